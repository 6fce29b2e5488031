import { expect } from 'chai';
import { logRecordsLostByCollector } from '../support/collector-metrics.ts';
import { discardTelemetryBackends, EXPORT_TO_COLLECTOR_ENV, startTelemetryBackends } from '../support/e2e-stack.ts';
import { exactly, queryLogsUntil } from '../support/logs-query.ts';
import { builtBinary, type Jaeger, type RunningProgram } from '../support/observability-stack.ts';
import { singleRequestSessions, type SingleRequestSession } from '../support/single-request-sessions.ts';
import { deliveryAtReadiness, lostByService } from '../support/telemetry-loss.ts';
import { queryLogs, startVictoriaLogs, type StoredLogRecord, type VictoriaLogs } from '../support/victoria-logs.ts';
import type { VictoriaMetrics } from '../support/victoria-metrics.ts';
import { startCommand, startServiceProcess, waitFor, type ServiceProcess } from '../../core/support/service-process.ts';
import { requirePrerequisites, skippedForPrerequisites } from '../support/require-prerequisites.ts';

const SERVICE_NAME = 'log-store-restart-test';

/** The collector's exporter that writes to VictoriaLogs, as otel-collector.yaml names it. */
const STORE_EXPORTER = 'otlp_http/victorialogs';

/** A collector log line saying an export to the store failed and will be retried. */
const RETRY_LINE = new RegExp(`Exporting failed\\. Will retry[^\\n]*"${STORE_EXPORTER}"`, 'g');

/** One log record, by what both the service's JSON line and the store keep of it. */
const recordKey = (sessionId: unknown, message: unknown, traceId: unknown): string => `${String(sessionId)} | ${String(message)} | ${String(traceId)}`;

/** The log lines the service wrote for `sessions`, as keys; each request's line carries its trace. */
function linesOf(service: ServiceProcess, sessions: readonly SingleRequestSession[]): string[] {
  const traceOf = new Map(sessions.map((session) => [session.sessionId, session.traceId]));
  const lines = service.logLines().filter((line) => traceOf.has(String(line['session.id'])));
  for (const line of lines) expect(line['trace_id'], JSON.stringify(line)).to.equal(traceOf.get(String(line['session.id'])));
  return lines.map((line) => recordKey(line['session.id'], line['message'], line['trace_id']));
}

describe('the real log store (VictoriaLogs) restarted mid-run', function () {
  // First: skipped (outside CI) or failed (CI) with the reason when the machine lacks these.
  before(function () {
    requirePrerequisites(this, 'test:e2e log-store-restart', ['stack-programs']);
  });

  this.timeout(30 * 60_000);

  let jaeger: Jaeger;
  let victoriaLogs: VictoriaLogs;
  let victoriaMetrics: VictoriaMetrics;
  let collector: RunningProgram;
  let service: ServiceProcess;

  before(async () => {
    ({ jaeger, victoriaLogs, victoriaMetrics, collector } = await startTelemetryBackends());
    service = await startServiceProcess({ ...EXPORT_TO_COLLECTOR_ENV, OTEL_SERVICE_NAME: SERVICE_NAME }, startCommand());
  });

  after(async function () {
    if (skippedForPrerequisites(this)) return;
    await service.stop('SIGKILL');
    await discardTelemetryBackends({ collector, victoriaLogs, jaeger, victoriaMetrics });
  });

  it('stores every record sent after it is back, keeps those sent before, and delivers or counts every record sent during the outage', async () => {
    const store = (): string => victoriaLogs.baseUrl;
    const query = exactly('service.name', SERVICE_NAME);
    const keysOf = (records: readonly StoredLogRecord[]): Set<string> =>
      new Set(records.map((record) => recordKey(record['session.id'], record['_msg'], record['trace_id'])));

    const before = await singleRequestSessions(service, 'log-restart-before', 100);
    await queryLogsUntil(store(), query, `a record of each of the ${before.length} requests sent before the outage`, (records) =>
      before.every((request) => records.some((record) => record['session.id'] === request.sessionId && record['trace_id'] === request.traceId)),
    );

    // The same store (port and data) is started again after the outage.
    const { port, storageDataPath } = victoriaLogs;
    await victoriaLogs.stop();
    const retriesBefore = collector.output().match(RETRY_LINE)?.length ?? 0;
    const during = await singleRequestSessions(service, 'log-restart-during', 200);
    // The outage must be felt: the collector tried to deliver records of it to the stopped store.
    await waitFor(
      'the collector to fail an export to the stopped store and schedule a retry',
      () => (collector.output().match(RETRY_LINE)?.length ?? 0) > retriesBefore,
      60_000,
      () => `the collector's output so far:\n${collector.output().slice(-4000)}`,
    );
    victoriaLogs = await startVictoriaLogs({ port, storageDataPath, binary: builtBinary('build-victorialogs.sh') });
    const after = await singleRequestSessions(service, 'log-restart-after', 200);

    const atReadiness = await deliveryAtReadiness(service);
    expect(await service.stop('SIGTERM')).to.equal(0);
    const lostInService = lostByService(service, 'logRecords', atReadiness);
    // Read once the service has exited: every line it wrote is in.
    const sentBefore = linesOf(service, before);
    const sentDuring = linesOf(service, during);
    const sentAfter = linesOf(service, after);

    // The service has exited, so its counters are final; records of the outage may still be
    // waiting for the collector's next retry. Wait for exactly what is asserted below: every
    // record sent before and after the outage, and no more records of the outage missing than
    // the service and the collector counted lost (the collector counts a batch once its
    // retries are exhausted).
    let found = new Set<string>();
    let lostInCollector = 0;
    const missing = (keys: readonly string[]): string[] => keys.filter((key) => !found.has(key));
    await waitFor(
      'every record sent before and after the outage in VictoriaLogs, and every record of the outage there or counted lost',
      async () => {
        lostInCollector = await logRecordsLostByCollector(STORE_EXPORTER);
        found = keysOf(await queryLogs(store(), query));
        return missing(sentBefore).length === 0 && missing(sentAfter).length === 0 && missing(sentDuring).length <= lostInService + lostInCollector;
      },
      120_000,
      () =>
        `missing: ${missing(sentBefore).length} before, ${missing(sentDuring).length} during (counted lost: ${lostInService} by the service, ` +
        `${lostInCollector} by the collector), ${missing(sentAfter).length} after: ${[...missing(sentBefore), ...missing(sentAfter)].slice(0, 5).join('; ')}`,
    );

    const missingDuring = missing(sentDuring).length;
    console.log(
      `      log records found in VictoriaLogs: ${sentBefore.length - missing(sentBefore).length}/${sentBefore.length} before, ` +
        `${sentDuring.length - missingDuring}/${sentDuring.length} during the outage, ${sentAfter.length - missing(sentAfter).length}/${sentAfter.length} after; ` +
        `counted lost: ${lostInService} by the service, ${lostInCollector} by the collector`,
    );
    expect(missing(sentBefore)).to.deep.equal([]);
    expect(missing(sentAfter)).to.deep.equal([]);
    // A record of the outage missing from the store must have been counted lost somewhere.
    expect(lostInService + lostInCollector).to.be.at.least(missingDuring);
    expect(sentDuring.length).to.be.at.least(during.length);
  });
});
