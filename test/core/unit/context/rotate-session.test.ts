import { expect } from 'chai';
import { getByKey, rotateSession, runWithSession, SessionMapKey } from '../../../../src/core/index.ts';

describe('rotateSession', () => {
  it('replaces the session id by a new random one and keeps the old one as the previous id', () => {
    runWithSession({ sessionId: 'session-job-1', userId: 'frank' }, () => {
      const next = rotateSession();
      expect(next).to.match(/^[0-9a-f-]{36}$/);
      expect(getByKey(SessionMapKey.SESSION_ID)).to.equal(next);
      expect(getByKey(SessionMapKey.PREVIOUS_SESSION_ID)).to.equal('session-job-1');
      expect(getByKey(SessionMapKey.USER_ID), 'the user stays').to.equal('frank');
    });
  });

  it('links each rotation to the session just before it when called twice', () => {
    runWithSession({ sessionId: 'session-job-2' }, () => {
      const first = rotateSession();
      const second = rotateSession();
      expect(second).not.to.equal(first);
      expect(getByKey(SessionMapKey.PREVIOUS_SESSION_ID)).to.equal(first);
    });
  });

  it('throws, naming the mistake, when called outside any session', () => {
    expect(() => rotateSession()).to.throw(Error, 'rotateSession() called outside any session');
  });

  it('leaves the session of the caller as it was after the run that rotated', () => {
    runWithSession({ sessionId: 'session-outer-1' }, () => {
      runWithSession({ sessionId: 'session-inner-1' }, () => rotateSession());
      expect(getByKey(SessionMapKey.SESSION_ID)).to.equal('session-outer-1');
      expect(getByKey(SessionMapKey.PREVIOUS_SESSION_ID)).to.equal(undefined);
    });
  });
});
