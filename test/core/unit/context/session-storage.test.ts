import { setTimeout as sleep } from 'node:timers/promises';
import { context, diag, DiagLogLevel, ROOT_CONTEXT, type Context, type DiagLogger } from '@opentelemetry/api';
import { expect } from 'chai';
import { SessionMapKey } from '../../../../src/core/context/session-map-key.ts';
import { runWithSession } from '../../../../src/core/context/run-with-session.ts';
import {
  createSessionStore,
  currentSessionStore,
  getByKey,
  runInSessionStore,
  runOutsideSession,
  sessionSlotOf,
  setByKey,
  withSessionSlot,
} from '../../../../src/core/context/session-storage.ts';
import { installContextManager } from '../../support/context-manager.ts';
import { PROVIDER_USER_IDS } from '../../support/user-ids.ts';

/** Collects diagnostic warnings through the real OpenTelemetry diag API. */
function captureWarnings(): { warnings: string[]; restore: () => void } {
  const warnings: string[] = [];
  const noop = (): void => undefined;
  const logger: DiagLogger = { error: noop, warn: (message) => warnings.push(message), info: noop, debug: noop, verbose: noop };
  diag.setLogger(logger, { logLevel: DiagLogLevel.WARN, suppressOverrideMessage: true });
  return {
    warnings,
    restore: () => {
      diag.disable();
    },
  };
}

describe('session storage', () => {
  it('reads the values a session was started with', () => {
    runWithSession({ sessionId: 'session-a', userId: 'alice' }, () => {
      expect(getByKey(SessionMapKey.SESSION_ID)).to.equal('session-a');
      expect(getByKey(SessionMapKey.USER_ID)).to.equal('alice');
    });
  });

  it('returns undefined for an unset key', () => {
    runWithSession({ sessionId: 'session-a' }, () => {
      expect(getByKey(SessionMapKey.USER_ID)).to.equal(undefined);
    });
  });

  it('leaves the link to a previous session to rotateSession: setByKey does not take that key', () => {
    runWithSession({ sessionId: 'session-a', previousSessionId: 'session-0' }, () => {
      // The type forbids the write (typecheck fails if it ever allows it); at run time it would land.
      const forge = (): void => {
        // @ts-expect-error: PREVIOUS_SESSION_ID is not a WritableSessionMapKey
        setByKey(SessionMapKey.PREVIOUS_SESSION_ID, 'session-forged');
      };
      expect(forge).to.be.a('function');
      expect(getByKey(SessionMapKey.PREVIOUS_SESSION_ID)).to.equal('session-0');
    });
  });

  it('makes a setByKey visible to later code in the same async chain', async () => {
    await runWithSession({ sessionId: 'session-a' }, async () => {
      setByKey(SessionMapKey.USER_ID, 'bob');
      await sleep(1);
      expect(getByKey(SessionMapKey.USER_ID)).to.equal('bob');
    });
  });

  it('keeps concurrent sessions apart across timers and Promise.all', async () => {
    const ids = Array.from({ length: 50 }, (_, i) => `session-${String(i).padStart(4, '0')}`);
    const results = await Promise.all(
      ids.map((id) =>
        runWithSession({ sessionId: id }, async () => {
          await sleep(Math.floor(Math.random() * 5));
          setByKey(SessionMapKey.USER_ID, `user-of-${id}`);
          const seen = await Promise.all([1, 2, 3].map(async () => {
            await sleep(Math.floor(Math.random() * 5));
            return [getByKey(SessionMapKey.SESSION_ID), getByKey(SessionMapKey.USER_ID)];
          }));
          return { id, seen };
        }),
      ),
    );
    for (const { id, seen } of results) {
      for (const [sessionId, userId] of seen) {
        expect(sessionId).to.equal(id);
        expect(userId).to.equal(`user-of-${id}`);
      }
    }
  });

  it('gives a nested runWithSession its own store and restores the outer one after', () => {
    runWithSession({ sessionId: 'outer-session' }, () => {
      runWithSession({ sessionId: 'inner-session' }, () => {
        setByKey(SessionMapKey.USER_ID, 'inner-user');
        expect(getByKey(SessionMapKey.SESSION_ID)).to.equal('inner-session');
      });
      expect(getByKey(SessionMapKey.SESSION_ID)).to.equal('outer-session');
      expect(getByKey(SessionMapKey.USER_ID)).to.equal(undefined);
    });
  });

  it('does not share a mutable store with the values it was given', () => {
    const initial = { sessionId: 'session-a' };
    runWithSession(initial, () => {
      setByKey(SessionMapKey.SESSION_ID, 'session-b');
    });
    expect(initial.sessionId).to.equal('session-a');
  });

  it('stores the user ids identity providers issue (provider|id, emails with +)', () => {
    for (const id of PROVIDER_USER_IDS) {
      runWithSession({ sessionId: 'session-provider' }, () => {
        setByKey(SessionMapKey.USER_ID, id);
        expect(getByKey(SessionMapKey.USER_ID)).to.equal(id);
      });
    }
  });

  it('refuses a user id the shared rule refuses with an error that does not echo it, and keeps the value it had', () => {
    runWithSession({ sessionId: 'session-refuse', userId: 'alice' }, () => {
      expect(() => {
        setByKey(SessionMapKey.USER_ID, 'eve\r\nlevel: error');
      }).to.throw(RangeError, /^setByKey\(SessionMapKey\.USER_ID, …\): not a valid user id \(character 4 is U\+000D\); a user id is 1 to 255/);
      expect(() => {
        setByKey(SessionMapKey.USER_ID, 'x'.repeat(100_000));
      }).to.throw(RangeError, 'it is 100000 characters long');
      expect(() => {
        setByKey(SessionMapKey.USER_ID, 42 as unknown as string);
      }).to.throw(TypeError, 'a user id must be a string, got number');
      expect(getByKey(SessionMapKey.USER_ID)).to.equal('alice');
    });
  });

  it('refuses a session id an incoming one would be dropped for, with an error that does not echo it, and keeps the id it had', () => {
    runWithSession({ sessionId: 'session-refuse-id' }, () => {
      expect(() => {
        setByKey(SessionMapKey.SESSION_ID, 'spoofed\u200bsession');
      }).to.throw(RangeError, /^setByKey\(SessionMapKey\.SESSION_ID, …\): not a valid session id \(character 8 is U\+200B\); a session id is 8 to 128/);
      expect(() => {
        setByKey(SessionMapKey.SESSION_ID, 'short');
      }).to.throw(RangeError, 'it is 5 characters long');
      expect(getByKey(SessionMapKey.SESSION_ID)).to.equal('session-refuse-id');
    });
  });

  it('answers a session id set in a request in x-session-id while the headers are not sent, and leaves a sent answer alone', () => {
    for (const headersSent of [false, true]) {
      const headers: Record<string, string> = {};
      const response = { headersSent, destroyed: false, setHeader: (name: string, value: string) => (headers[name] = value) };
      runInSessionStore(createSessionStore({ sessionId: 'session-arrived' }, [], response), () => {
        setByKey(SessionMapKey.SESSION_ID, 'session-derived-0001');
      });
      expect(headers, `headers sent: ${headersSent}`).to.deep.equal(headersSent ? {} : { 'x-session-id': 'session-derived-0001' });
    }
  });

  describe('outside any session', () => {
    it('reads undefined', () => {
      expect(getByKey(SessionMapKey.SESSION_ID)).to.equal(undefined);
    });

    it('ignores writes, warning once through the diagnostic logger', () => {
      const { warnings, restore } = captureWarnings();
      try {
        setByKey(SessionMapKey.USER_ID, 'nobody');
        setByKey(SessionMapKey.USER_ID, 'nobody-again');
        expect(getByKey(SessionMapKey.USER_ID)).to.equal(undefined);
        expect(warnings.filter((message) => message.includes('outside any session'))).to.have.length(1);
      } finally {
        restore();
      }
    });

    it('refuses an invalid user id there too, before anything else: the call is wrong wherever it is made', () => {
      expect(() => {
        setByKey(SessionMapKey.USER_ID, '');
      }).to.throw(RangeError, 'it is empty');
    });
  });
});

describe('the session slot of a request context', () => {
  let uninstall: () => void;
  before(() => {
    uninstall = installContextManager();
  });
  after(() => {
    uninstall();
  });

  function requestContextWith(sessionId: string): Context {
    const ctx = withSessionSlot(ROOT_CONTEXT, sessionId);
    sessionSlotOf(ctx)!.store = createSessionStore({ sessionId }, []);
    return ctx;
  }

  it('gives code in the request context its session when no session run is active (listeners on req and res)', async () => {
    await context.with(requestContextWith('session-slot-a'), async () => {
      expect(getByKey(SessionMapKey.SESSION_ID)).to.equal('session-slot-a');
      await sleep(1);
      setByKey(SessionMapKey.USER_ID, 'alice');
      expect(currentSessionStore()?.values).to.deep.equal({ sessionId: 'session-slot-a', userId: 'alice' });
    });
  });

  it('yields to a session run inside the request context', () => {
    context.with(requestContextWith('session-slot-b'), () => {
      runWithSession({ sessionId: 'session-job-b' }, () => {
        expect(getByKey(SessionMapKey.SESSION_ID)).to.equal('session-job-b');
      });
    });
  });

  it('is hidden, with the session run and the trace context, inside runOutsideSession', () => {
    context.with(requestContextWith('session-slot-c'), () => {
      runWithSession({ sessionId: 'session-job-c' }, () => {
        runOutsideSession(() => {
          expect(currentSessionStore()).to.equal(undefined);
          expect(context.active()).to.equal(ROOT_CONTEXT);
        });
      });
    });
  });
});
