import { randomUUID } from 'node:crypto';
import { expect } from 'chai';
import { isSessionSampled } from '../../../src/core/index.ts';
import type { LookupReport } from '../../../tools/session-traces/index.ts';
import { runTraceCommand } from '../../tools/support/cli-process.ts';
import { waitFor } from '../../core/support/service-process.ts';
import { driveSession, startE2eStack, type DrivenSession, type E2eStack } from '../support/e2e-stack.ts';
import { requirePrerequisites, skippedForPrerequisites } from '../support/require-prerequisites.ts';

const RATIO = 0.5;
/** Sessions of each kind: traced by the rule, and not. */
const PER_KIND = 4;

/** `count` session ids the rule keeps (or drops) at RATIO. */
function sessionIds(kept: boolean, count: number): string[] {
  const ids: string[] = [];
  while (ids.length < count) {
    const id = `sampled-e2e-${randomUUID()}`;
    if (isSessionSampled(id, RATIO) === kept) ids.push(id);
  }
  return ids;
}

describe(`session sampling at ${RATIO} through the real collector and Jaeger`, function () {
  // First: skipped (outside CI) or failed (CI) with the reason when the machine lacks these.
  before(function () {
    requirePrerequisites(this, 'test:e2e session-sampling', ['stack-programs']);
  });

  this.timeout(30 * 60_000);

  let stack: E2eStack;
  const kept: DrivenSession[] = [];
  const dropped: DrivenSession[] = [];
  const env = (): Record<string, string> => ({ JAEGER_URL: stack.jaeger.queryUrl });
  const lookup = async (sessionId: string): Promise<{ code: number | null; report?: LookupReport; stderr: string }> => {
    const result = await runTraceCommand([sessionId, '--json'], env());
    return { code: result.code, stderr: result.stderr, ...(result.code === 0 ? { report: JSON.parse(result.stdout) as LookupReport } : {}) };
  };

  before(async () => {
    stack = await startE2eStack({ OTEL_TRACES_SAMPLER: 'parentbased_session_ratio', OTEL_TRACES_SAMPLER_ARG: String(RATIO) });
    const keptIds = sessionIds(true, PER_KIND);
    const droppedIds = sessionIds(false, PER_KIND);
    // Dropped and kept sessions alternate, a kept one last: once the last kept session's
    // traces are in Jaeger, whatever the services exported before them is too. No login: a
    // login starts a new session, whose id the rule would decide afresh.
    for (let i = 0; i < PER_KIND; i++) {
      dropped.push(await driveSession(stack.api, droppedIds[i]!));
      kept.push(await driveSession(stack.api, keptIds[i]!));
    }
    await waitFor('every trace of every kept session in Jaeger', async () => {
      const found = await Promise.all(kept.map(async (session) => (await lookup(session.sessionId)).report?.traces.length ?? 0));
      return found.every((count, i) => count === kept[i]!.traceIds.length);
    }, 120_000);
  });

  after(async function () {
    if (skippedForPrerequisites(this)) return;
    await stack.stop();
  });

  it('finds every trace of every kept session, the downstream call with spans of both services', async () => {
    for (const session of kept) {
      const { code, report } = await lookup(session.sessionId);
      expect(code).to.equal(0);
      expect(report!.traces.map((trace) => trace.traceId)).to.have.members(session.traceIds);
      const downstream = report!.traces.find((trace) => trace.traceId === session.downstreamTraceId)!;
      expect(downstream.services).to.deep.equal(['api', 'orders']);
    }
  });

  it('finds nothing of the sessions the rule drops, in either service', async () => {
    for (const session of dropped) {
      const { code, stderr } = await runTraceCommand([session.sessionId], env());
      expect(code, `${session.sessionId}: ${stderr}`).to.equal(1);
      expect(stderr).to.include(`no traces of session ${session.sessionId}`);
    }
  });
});
