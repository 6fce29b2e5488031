import { expect } from 'chai';
import { discardTelemetryBackends, EXPORT_TO_COLLECTOR_ENV, startTelemetryBackends } from '../support/e2e-stack.ts';
import { searchTraces } from '../support/jaeger-query.ts';
import { builtBinary, startCollector, type CollectorTargets, type Jaeger, type RunningProgram } from '../support/observability-stack.ts';
import { singleRequestSessions } from '../support/single-request-sessions.ts';
import { deliveryAtReadiness, lostByService } from '../support/telemetry-loss.ts';
import type { VictoriaLogs } from '../support/victoria-logs.ts';
import type { VictoriaMetrics } from '../support/victoria-metrics.ts';
import { startCommand, startServiceProcess, waitFor, type ServiceProcess } from '../../core/support/service-process.ts';
import { requirePrerequisites, skippedForPrerequisites } from '../support/require-prerequisites.ts';

/** `count` requests, each its own session, returning their trace ids. */
async function requests(service: ServiceProcess, phase: string, count: number): Promise<string[]> {
  return (await singleRequestSessions(service, `restart-${phase}`, count)).map((session) => session.traceId);
}

describe('the real collector restarted mid-run', function () {
  // First: skipped (outside CI) or failed (CI) with the reason when the machine lacks these.
  before(function () {
    requirePrerequisites(this, 'test:e2e collector-restart', ['stack-programs']);
  });

  this.timeout(30 * 60_000);

  let jaeger: Jaeger;
  let victoriaLogs: VictoriaLogs;
  let victoriaMetrics: VictoriaMetrics;
  let targets: CollectorTargets;
  let collector: RunningProgram;
  let service: ServiceProcess;
  const startedAt = Date.now();

  before(async () => {
    // The service exports its log records too: the collector's logs pipeline needs its store.
    ({ jaeger, victoriaLogs, victoriaMetrics, collector, targets } = await startTelemetryBackends());
    service = await startServiceProcess({ ...EXPORT_TO_COLLECTOR_ENV, OTEL_SERVICE_NAME: 'restart-test' }, startCommand());
  });

  after(async function () {
    if (skippedForPrerequisites(this)) return;
    await service.stop('SIGKILL');
    await discardTelemetryBackends({ collector, victoriaLogs, jaeger, victoriaMetrics });
  });

  it('delivers every span sent after it is back, and delivers or counts every span sent during the outage', async () => {
    const before = await requests(service, 'before', 100);
    let foundBefore = new Set<string>();
    await waitFor(
      'the traces sent before the outage in Jaeger',
      async () => {
        foundBefore = new Set((await searchTraces(jaeger.queryUrl, 'restart-test', {}, startedAt)).map((trace) => trace.traceID));
        return before.every((traceId) => foundBefore.has(traceId));
      },
      60_000,
      () => `${before.filter((traceId) => !foundBefore.has(traceId)).length} of ${before.length} missing`,
    );
    await collector.stop();
    const during = await requests(service, 'during', 200);
    collector = await startCollector(builtBinary('build-collector.sh'), targets);
    const after = await requests(service, 'after', 200);

    const atReadiness = await deliveryAtReadiness(service);
    expect(await service.stop('SIGTERM')).to.equal(0);
    const lostSpans = lostByService(service, 'spans', atReadiness);

    const everyTrace = [...before, ...during, ...after];
    // The service has exited, so the loss counters are final; spans of the outage may still be
    // on their way through the collector. Wait for exactly what is asserted below: every trace
    // sent before and after the outage, and no more traces of the outage missing than spans
    // counted lost.
    let found = new Set<string>();
    const missing = (traceIds: readonly string[]): string[] => traceIds.filter((traceId) => !found.has(traceId));
    await waitFor(
      'every trace sent before and after the outage in Jaeger, and every trace of the outage either there or counted lost',
      async () => {
        found = new Set((await searchTraces(jaeger.queryUrl, 'restart-test', {}, startedAt)).map((trace) => trace.traceID));
        return missing(before).length === 0 && missing(after).length === 0 && missing(during).length <= lostSpans;
      },
      60_000,
      () =>
        `missing: ${missing(before).length} before, ${missing(during).length} during (${lostSpans} spans counted lost), ` +
        `${missing(after).length} after: ${[...missing(before), ...missing(after)].slice(0, 10).join(', ')}`,
    );

    const missingDuring = missing(during).length;
    console.log(
      `      found in Jaeger: ${before.filter((id) => found.has(id)).length}/${before.length} before, ` +
        `${during.length - missingDuring}/${during.length} during the outage, ${after.filter((id) => found.has(id)).length}/${after.length} after; ` +
        `spans reported lost: ${lostSpans}`,
    );
    expect(after.filter((traceId) => !found.has(traceId))).to.deep.equal([]);
    expect(before.filter((traceId) => !found.has(traceId))).to.deep.equal([]);
    // A trace of the outage missing from Jaeger lost at least one span, which must have been counted.
    expect(lostSpans).to.be.at.least(missingDuring);
    expect(everyTrace).to.have.length(500);
  });
});
