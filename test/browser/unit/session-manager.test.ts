import { expect } from 'chai';
import type { SessionChange } from '../../../src/browser/index.ts';
import { BrowserSessionManager, SESSION_STORAGE_KEY, type SessionManagerOptions } from '../../../src/browser/session-manager.ts';
import { FakeClock, MemoryStorage, ThrowingStorage } from '../support/memory-storage.ts';

const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-4[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}$/;

describe('BrowserSessionManager', () => {
  let clock: FakeClock;
  let storage: MemoryStorage;
  let changes: SessionChange[];

  const manager = (options: Partial<SessionManagerOptions> = {}): BrowserSessionManager => {
    const created = new BrowserSessionManager({ idleTimeoutSeconds: 900, maxDurationSeconds: 14_400, storage, now: clock.now, ...options });
    created.onChange((change) => changes.push(change));
    return created;
  };
  const stored = (): Record<string, unknown> => JSON.parse(storage.getItem(SESSION_STORAGE_KEY)!) as Record<string, unknown>;

  beforeEach(() => {
    clock = new FakeClock();
    storage = new MemoryStorage();
    changes = [];
  });

  it('starts a session with a random UUID, stored under one key, when there is none', () => {
    const session = manager().current();
    expect(session.id).to.match(UUID);
    expect(session).to.deep.include({ startTimestamp: clock.time, lastActivityTimestamp: clock.time, previousId: undefined });
    expect([...storage.values.keys()]).to.deep.equal([SESSION_STORAGE_KEY]);
    expect(stored()).to.deep.equal({ id: session.id, startTimestamp: clock.time, lastActivityTimestamp: clock.time });
    expect(changes).to.deep.equal([{ reason: 'new', current: session, ended: undefined, endTimestamp: undefined }]);
  });

  it('keeps the session when a new manager (a reload) reads the same storage', () => {
    const before = manager().current();
    clock.advanceSeconds(60);
    changes = [];
    const reloaded = manager();
    expect(reloaded.current()).to.deep.equal(before);
    expect(changes).to.deep.equal([]);
  });

  it('keeps the session while activity comes within the idle timeout', () => {
    const sessions = manager();
    const first = sessions.current();
    for (let step = 0; step < 10; step += 1) {
      clock.advanceSeconds(899);
      expect(sessions.recordActivity().id).to.equal(first.id);
    }
    expect(changes.map((change) => change.reason)).to.deep.equal(['new']);
  });

  it('starts a new session linked to the old one when the idle timeout passes without activity', () => {
    const sessions = manager();
    const first = sessions.recordActivity();
    clock.advanceSeconds(899);
    expect(sessions.current().id, 'reading is not activity').to.equal(first.id);
    clock.advanceSeconds(1);
    const second = sessions.current();
    expect(second.id).to.match(UUID).and.not.equal(first.id);
    expect(second).to.deep.include({ previousId: first.id, startTimestamp: clock.time });
    expect(changes.at(-1)).to.deep.equal({ reason: 'idle', current: second, ended: first, endTimestamp: first.lastActivityTimestamp + 900_000 });
    expect(stored()).to.include({ id: second.id, previousId: first.id });
  });

  it('measures idleness from the stored last activity when the page was reloaded in between', () => {
    const first = manager().recordActivity();
    clock.advanceSeconds(600);
    manager().recordActivity(); // a reload 10 minutes later, with activity
    clock.advanceSeconds(600);
    const reloadedAgain = manager();
    expect(reloadedAgain.current().id, '10 minutes after the last activity').to.equal(first.id);
    clock.advanceSeconds(301);
    const replaced = manager().current();
    expect(replaced).to.deep.include({ previousId: first.id });
    expect(changes.at(-1)?.reason).to.equal('idle');
  });

  it('starts a new session when the maximum duration is reached, however active the session is', () => {
    const sessions = manager({ idleTimeoutSeconds: 60, maxDurationSeconds: 300 });
    const first = sessions.recordActivity();
    for (let step = 0; step < 9; step += 1) {
      clock.advanceSeconds(30);
      expect(sessions.recordActivity().id).to.equal(first.id);
    }
    clock.advanceSeconds(30);
    const second = sessions.recordActivity();
    expect(second).to.deep.include({ previousId: first.id, startTimestamp: clock.time });
    expect(changes.at(-1)).to.deep.include({ reason: 'maximum-duration', endTimestamp: first.startTimestamp + 300_000 });
    expect(changes.at(-1)?.ended?.id).to.equal(first.id);
  });

  it('adopts an id answered by the server: the old session ends, the new one starts linked to it', () => {
    const sessions = manager();
    const first = sessions.current();
    clock.advanceSeconds(5);
    expect(sessions.adopt('server-minted-session-1')).to.equal(true);
    const adopted = sessions.current();
    expect(adopted).to.deep.equal({ id: 'server-minted-session-1', startTimestamp: clock.time, lastActivityTimestamp: clock.time, previousId: first.id });
    expect(changes.at(-1)).to.deep.equal({ reason: 'adopted', current: adopted, ended: first, endTimestamp: clock.time });
    expect(manager().current().id, 'after a reload').to.equal('server-minted-session-1');
  });

  it('changes nothing when the id to adopt is invalid or already current', () => {
    const sessions = manager();
    const first = sessions.current();
    for (const bad of ['short', 'has space in it', 'a'.repeat(129), 'session=1,user.id=x', 'ünïcode-session']) expect(sessions.adopt(bad), bad).to.equal(false);
    expect(sessions.adopt(first.id)).to.equal(false);
    expect(sessions.current()).to.deep.equal(first);
    expect(changes.map((change) => change.reason)).to.deep.equal(['new']);
  });

  it('follows a session another page of the browser started, without announcing it as its own', () => {
    const here = manager();
    const first = here.current();
    const otherPage = new BrowserSessionManager({ idleTimeoutSeconds: 900, maxDurationSeconds: 14_400, storage, now: clock.now });
    otherPage.adopt('rotated-by-other-page');
    expect(here.current().id).to.equal('rotated-by-other-page');
    expect(changes.at(-1)).to.deep.include({ reason: 'another-page', ended: first });
  });

  it('writes the last activity at most once a second', () => {
    const sessions = manager();
    sessions.recordActivity();
    const writes = storage.writes;
    for (let i = 0; i < 100; i += 1) {
      clock.time += 5;
      sessions.recordActivity();
    }
    expect(storage.writes - writes).to.equal(0);
    clock.time += 500;
    sessions.recordActivity();
    expect(storage.writes - writes).to.equal(1);
    expect(stored()['lastActivityTimestamp']).to.equal(clock.time);
  });

  it('counts activity not yet written when it checks the idle timeout', () => {
    const sessions = manager();
    const first = sessions.recordActivity();
    clock.time += 500;
    sessions.recordActivity(); // within the second: kept in memory only
    clock.time += 900_000 - 1;
    expect(sessions.current().id).to.equal(first.id);
  });

  describe('when storage is unavailable', () => {
    it('keeps the session in memory for the page\'s life when every storage call throws', () => {
      const throwing = new ThrowingStorage();
      const sessions = manager({ storage: throwing });
      const first = sessions.current();
      expect(first.id).to.match(UUID);
      const callsAfterFirstRead = throwing.calls;
      clock.advanceSeconds(60);
      expect(sessions.recordActivity().id).to.equal(first.id);
      expect(throwing.calls, 'storage is not tried again once it failed').to.equal(callsAfterFirstRead);
      clock.advanceSeconds(901);
      expect(sessions.current().previousId).to.equal(first.id);
    });

    it('stops using storage when a write is refused, so that an older stored session is not taken back', () => {
      storage.setItem(SESSION_STORAGE_KEY, JSON.stringify({ id: 'stored-session-1', startTimestamp: clock.time, lastActivityTimestamp: clock.time }));
      const refusing = Object.assign(storage, {
        setItem: () => {
          throw new DOMException('The quota has been exceeded.', 'QuotaExceededError');
        },
      });
      const sessions = manager({ storage: refusing });
      expect(sessions.current().id).to.equal('stored-session-1');
      sessions.adopt('adopted-session-1');
      expect(sessions.current().id).to.equal('adopted-session-1');
    });

    it('keeps the session in memory when there is no storage at all', () => {
      const sessions = manager({ storage: null });
      const first = sessions.current();
      clock.advanceSeconds(60);
      expect(sessions.current()).to.deep.equal(first);
      expect(manager({ storage: null }).current().id, 'a reload without storage starts anew').not.to.equal(first.id);
    });
  });

  describe('when the stored value is not a valid session', () => {
    const invalid: Record<string, string> = {
      'not JSON': '{"id":',
      'not an object': '"b0b0b0b0-session"',
      'null': 'null',
      'an id the server refuses': JSON.stringify({ id: 'bad id; with=baggage', startTimestamp: 0, lastActivityTimestamp: 0 }),
      'an id too short': JSON.stringify({ id: 'short', startTimestamp: 0, lastActivityTimestamp: 0 }),
      'a previous id the server refuses': JSON.stringify({ id: 'good-session-id', previousId: 'x\ny', startTimestamp: 0, lastActivityTimestamp: 0 }),
      'times that are not numbers': JSON.stringify({ id: 'good-session-id', startTimestamp: '0', lastActivityTimestamp: 0 }),
      'a start in the future': JSON.stringify({ id: 'good-session-id', startTimestamp: Date.UTC(2030, 0, 1), lastActivityTimestamp: Date.UTC(2030, 0, 1) }),
      'a last activity in the future': JSON.stringify({ id: 'good-session-id', startTimestamp: 0, lastActivityTimestamp: Date.UTC(2030, 0, 1) }),
      'a last activity before the start': JSON.stringify({ id: 'good-session-id', startTimestamp: 1000, lastActivityTimestamp: 10 }),
    };
    for (const [what, value] of Object.entries(invalid)) {
      it(`starts a new session when it holds ${what}`, () => {
        storage.setItem(SESSION_STORAGE_KEY, value);
        const session = manager().current();
        expect(session.id).to.match(UUID);
        expect(session.previousId).to.equal(undefined);
        expect(changes.map((change) => change.reason)).to.deep.equal(['new']);
        expect(stored()['id'], 'the invalid value is replaced').to.equal(session.id);
      });
    }

    it('takes a valid stored session as it is', () => {
      const start = clock.time - 60_000;
      storage.setItem(SESSION_STORAGE_KEY, JSON.stringify({ id: 'good-session-id', previousId: 'older-session-id', startTimestamp: start, lastActivityTimestamp: start }));
      expect(manager().current()).to.deep.equal({ id: 'good-session-id', previousId: 'older-session-id', startTimestamp: start, lastActivityTimestamp: start });
    });
  });
});
