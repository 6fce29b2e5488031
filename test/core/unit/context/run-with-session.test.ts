import { context, propagation } from '@opentelemetry/api';
import { expect } from 'chai';
import { runWithSession } from '../../../../src/core/context/run-with-session.ts';
import { SessionMapKey } from '../../../../src/core/context/session-map-key.ts';
import { getByKey } from '../../../../src/core/context/session-storage.ts';
import { ATTR_SESSION_ID, ATTR_USER_ID } from '../../../../src/core/context/semconv.ts';
import { installContextManager } from '../../support/context-manager.ts';

describe('runWithSession', () => {
  let uninstall: () => void;
  before(() => {
    uninstall = installContextManager();
  });
  after(() => {
    uninstall();
  });

  it('creates the matching OpenTelemetry context: baggage with session.id and user.id', async () => {
    await runWithSession({ sessionId: 'job-session-1', userId: 'worker' }, async () => {
      await Promise.resolve();
      const baggage = propagation.getActiveBaggage();
      expect(baggage?.getEntry(ATTR_SESSION_ID)?.value).to.equal('job-session-1');
      expect(baggage?.getEntry(ATTR_USER_ID)?.value).to.equal('worker');
    });
  });

  it('removes a user.id inherited from the surrounding baggage when the session has no user', () => {
    runWithSession({ sessionId: 'outer-session', userId: 'outer-user' }, () => {
      runWithSession({ sessionId: 'inner-session' }, () => {
        expect(propagation.getActiveBaggage()?.getEntry(ATTR_USER_ID)).to.equal(undefined);
      });
    });
  });

  it('keeps the other entries of the surrounding baggage', () => {
    const surrounding = propagation.setBaggage(context.active(), propagation.createBaggage({ tenant: { value: 'acme' } }));
    context.with(surrounding, () => {
      runWithSession({ sessionId: 'session-base' }, () => {
        const baggage = propagation.getActiveBaggage();
        expect(baggage?.getEntry('tenant')?.value).to.equal('acme');
        expect(baggage?.getEntry(ATTR_SESSION_ID)?.value).to.equal('session-base');
      });
    });
  });

  it('applies the middleware rules to its values: an invalid session id is replaced, an invalid user id left out', () => {
    runWithSession({ sessionId: 'bad id\r\n', userId: 'eve\nlevel=error' }, () => {
      const sessionId = getByKey(SessionMapKey.SESSION_ID);
      expect(sessionId).to.match(/^[0-9a-f-]{36}$/);
      expect(getByKey(SessionMapKey.USER_ID)).to.equal(undefined);
      expect(propagation.getActiveBaggage()?.getEntry(ATTR_SESSION_ID)?.value).to.equal(sessionId);
    });
  });

  it('returns what the function returns', () => {
    expect(runWithSession({ sessionId: 'session-ret' }, () => 42)).to.equal(42);
  });
});
