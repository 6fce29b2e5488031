import { expect } from 'chai';
import { rotateSession, runWithSession } from '../../../../src/core/index.ts';

// What a rotation does to a request's session is proven against the real app, in
// test/core/integration/session-rotation.test.ts; these are the calls it refuses.
describe('rotateSession', () => {
  it('throws, naming the mistake, when called outside any session', () => {
    expect(() => rotateSession()).to.throw(Error, 'rotateSession() called outside any session');
  });

  it('throws in a session of runWithSession, which has no answer to carry the new id', () => {
    runWithSession({ sessionId: 'session-job-1' }, () => {
      expect(() => rotateSession()).to.throw(Error, 'rotateSession() called in a session of runWithSession');
    });
  });
});
