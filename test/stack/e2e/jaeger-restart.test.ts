import { existsSync, readdirSync } from 'node:fs';
import { join } from 'node:path';
import { expect } from 'chai';
import type { LookupReport } from '../../../tools/session-traces/index.ts';
import { runTraceCommand } from '../../tools/support/cli-process.ts';
import { driveSession, startE2eStack, type DrivenSession, type E2eStack } from '../support/e2e-stack.ts';
import { searchTraces, servicesOf, type JaegerTrace } from '../support/jaeger-query.ts';
import { waitFor } from '../../core/support/service-process.ts';
import { requirePrerequisites, skippedForPrerequisites } from '../support/require-prerequisites.ts';

/** The collector's exporter that sends traces to Jaeger, as otel-collector.yaml names it. */
const JAEGER_EXPORTER = 'otlp_grpc/jaeger';

/** A collector log line saying an export to Jaeger failed and will be retried. */
const RETRY_LINE = new RegExp(`Exporting failed\\. Will retry[^\\n]*"${JAEGER_EXPORTER}"`, 'g');

/** Every span of `session`, as `<trace id>/<span id>`, sorted. */
const spanIdsOf = (traces: readonly JaegerTrace[], session: DrivenSession): string[] =>
  traces
    .filter((trace) => session.traceIds.includes(trace.traceID))
    .flatMap((trace) => trace.spans.map((span) => `${trace.traceID}/${span.spanID}`))
    .sort();

describe('Jaeger on Badger, stopped and started again on the same data directory (real programs)', function () {
  // First: skipped (outside CI) or failed (CI) with the reason when the machine lacks these.
  before(function () {
    requirePrerequisites(this, 'test:e2e jaeger-restart', ['stack-programs']);
  });

  this.timeout(30 * 60_000);

  let stack: E2eStack;
  const startedAt = Date.now();
  const run = Date.now().toString(36);
  let kept: DrivenSession;
  /** The session's spans as Jaeger held them before the restart. */
  let spansBefore: string[];

  /**
   * Polls Jaeger until it holds every request of `session` (in `api`, by session.id) with all
   * of its spans: one per request in `api`, plus the downstream call's client span and the
   * server span in `orders`. Returns the traces found.
   */
  async function wholeSession(session: DrivenSession, what: string, timeoutMs: number): Promise<JaegerTrace[]> {
    const expected = session.traceIds.length + 2;
    let traces: JaegerTrace[] = [];
    await waitFor(
      `${what}: every request of session ${session.sessionId} with its ${expected} spans in Jaeger`,
      async () => {
        traces = await searchTraces(stack.jaeger.queryUrl, 'api', { 'session.id': session.sessionId }, startedAt);
        return session.traceIds.every((traceId) => traces.some((trace) => trace.traceID === traceId)) && spanIdsOf(traces, session).length >= expected;
      },
      timeoutMs,
      () => `found ${traces.map((trace) => `${trace.traceID} (${trace.spans.length} spans of ${[...servicesOf(trace)].join(',')})`).join(', ') || 'nothing'}`,
    );
    expect(traces.map((trace) => trace.traceID).sort()).to.deep.equal([...session.traceIds].sort());
    expect(spanIdsOf(traces, session)).to.have.length(expected);
    return traces;
  }

  before(async () => {
    stack = await startE2eStack();
    kept = await driveSession(stack.api, `jaeger-restart-${run}-kept`, `kept-${run}@example.com`);
    spansBefore = spanIdsOf(await wholeSession(kept, 'before the restart', 60_000), kept);
    // Stopped (SIGTERM: Badger closes its files) and started again on the same ports and data.
    await stack.jaeger.start();
  });

  after(async function () {
    if (skippedForPrerequisites(this)) return;
    await stack.stop();
  });

  it('keeps its data in JAEGER_DATA_DIR: Badger keys and values on disk', () => {
    for (const folder of ['keys', 'values']) {
      const path = join(stack.jaeger.dataDir, folder);
      expect(existsSync(path), path).to.equal(true);
      expect(readdirSync(path), path).not.to.deep.equal([]);
    }
  });

  it('finds every request and every span of a session it held before the restart, with the same span ids', async () => {
    const traces = await wholeSession(kept, 'after the restart', 60_000);
    expect(spanIdsOf(traces, kept)).to.deep.equal(spansBefore);
    const downstream = traces.find((trace) => trace.traceID === kept.downstreamTraceId);
    expect([...servicesOf(downstream!)].sort()).to.deep.equal(['api', 'orders']);
  });

  it('lets npm run trace find the session after the restart', async () => {
    const result = await runTraceCommand([kept.sessionId, '--json'], { JAEGER_URL: stack.jaeger.queryUrl });
    expect(result.code, result.stderr).to.equal(0);
    const report = JSON.parse(result.stdout) as LookupReport;
    expect(report.traces.map((trace) => trace.traceId).sort()).to.deep.equal([...kept.traceIds].sort());
  });

  it('receives the spans of a session sent while it was down once it is back: the collector keeps them and retries', async () => {
    await stack.jaeger.stop();
    const retriesBefore = stack.collector.output().match(RETRY_LINE)?.length ?? 0;
    const duringOutage = await driveSession(stack.api, `jaeger-restart-${run}-outage`, `outage-${run}@example.com`);
    // The outage is felt: the collector failed to export the session's spans and keeps them to retry.
    await waitFor(
      `the collector to fail an export to the stopped Jaeger (${JAEGER_EXPORTER}) and schedule a retry`,
      () => (stack.collector.output().match(RETRY_LINE)?.length ?? 0) > retriesBefore,
      60_000,
      () => `the collector's output so far:\n${stack.collector.output().slice(-4000)}`,
    );
    await stack.jaeger.start();
    // The retry comes after a back-off of 5 s, growing to 30 s, for up to 5 minutes
    // (the exporter's defaults): well within this wait.
    await wholeSession(duringOutage, 'after the outage', 120_000);
    // And what it held before is still there.
    expect(spanIdsOf(await wholeSession(kept, 'after the second restart', 60_000), kept)).to.deep.equal(spansBefore);
  });
});
