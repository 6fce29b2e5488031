import { expect } from 'chai';
import { driveSession, startE2eStack, type DrivenSession, type E2eStack } from '../support/e2e-stack.ts';
import {
  expectDownstreamAcrossServices,
  expectEveryRequestFound,
  expectFoundByHashedUser,
  expectSessionTags,
} from '../support/session-checks.ts';

describe('end to end: service -> OpenTelemetry Collector -> Jaeger (real programs)', function () {
  // The first run builds the collector and Jaeger from the Go module proxy.
  this.timeout(30 * 60_000);

  let stack: E2eStack;
  const startedAt = Date.now();
  const sessions: DrivenSession[] = [];

  before(async () => {
    stack = await startE2eStack();
    const run = Date.now().toString(36);
    for (const [i, user] of ['alice', 'bob', 'carol'].entries()) {
      sessions.push(await driveSession(stack.api, `e2e-${run}-session-${i}`, `${user}@example.com`));
    }
    // SIGTERM flushes the services' span queues; the collector and Jaeger batch further.
    expect(await stack.api.stop('SIGTERM')).to.equal(0);
    expect(await stack.orders.stop('SIGTERM')).to.equal(0);
  });

  after(async () => {
    await stack.stop();
  });

  it('finds every request of each session, and no trace of another session, by session.id in service api', async () => {
    for (const session of sessions) await expectEveryRequestFound(stack.jaeger.queryUrl, session, startedAt);
  });

  it('finds the downstream call of each session in service orders, as one trace holding spans of both services', async () => {
    for (const session of sessions) await expectDownstreamAcrossServices(stack.jaeger.queryUrl, session, startedAt);
  });

  it('stores session.id on every span and user.id only as its SHA-256, never raw', async () => {
    for (const session of sessions) await expectSessionTags(stack.jaeger.queryUrl, session, startedAt);
  });

  it("finds a user's traces by the hashed user.id", async () => {
    await expectFoundByHashedUser(stack.jaeger.queryUrl, sessions[0]!, startedAt);
  });
});
