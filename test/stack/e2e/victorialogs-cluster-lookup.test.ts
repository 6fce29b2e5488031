import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { expect } from 'chai';
import type { LookupReport } from '../../../tools/session-traces/index.ts';
import { runTraceCommand } from '../../tools/support/cli-process.ts';
import { waitFor } from '../../core/support/service-process.ts';
import { driveSession, startE2eStack, type DrivenSession, type E2eStack, type TelemetryBackends } from '../support/e2e-stack.ts';
import { builtBinary, startCollector, startJaeger, type CollectorTargets } from '../support/observability-stack.ts';
import { startVictoriaLogs } from '../support/victoria-logs.ts';
import { startVictoriaLogsCluster, type VictoriaLogsCluster } from '../support/victoria-logs-cluster.ts';
import { startVictoriaMetrics } from '../support/victoria-metrics.ts';
import { requirePrerequisites, skippedForPrerequisites } from '../support/require-prerequisites.ts';

/**
 * Merged over otel-collector.yaml: the logs pipeline sends every record both to VICTORIALOGS_URL
 * (the cluster's insert node) and to a single node, with the same stream header.
 */
const SECOND_LOG_STORE = `exporters:
  otlp_http/victorialogs-single:
    logs_endpoint: \${env:VICTORIALOGS_SINGLE_URL}/insert/opentelemetry/v1/logs
    headers:
      VL-Stream-Fields: service.name,deployment.environment.name
service:
  pipelines:
    logs:
      exporters: [otlp_http/victorialogs, otlp_http/victorialogs-single]
`;

describe('the lookup with --logs against a VictoriaLogs cluster and a single node fed by one collector', function () {
  // First: skipped (outside CI) or failed (CI) with the reason when the machine lacks these.
  before(function () {
    requirePrerequisites(this, 'test:e2e victorialogs-cluster-lookup', ['stack-programs']);
  });

  this.timeout(30 * 60_000);
  let cluster: VictoriaLogsCluster | undefined;
  let configDir: string | undefined;
  let stack: E2eStack | undefined;
  let sessions: DrivenSession[];

  /** VictoriaMetrics, Jaeger, the single node (the stack's `victoriaLogs`), the cluster, and the collector writing to both log stores. */
  async function startBackends(): Promise<TelemetryBackends> {
    configDir = await mkdtemp(join(tmpdir(), 'collector-second-log-store-'));
    const overlay = join(configDir, 'second-log-store.yaml');
    await writeFile(overlay, SECOND_LOG_STORE);
    const victoriaMetrics = await startVictoriaMetrics(builtBinary('build-victoriametrics.sh'));
    const jaeger = await startJaeger(builtBinary('build-jaeger.sh'), { victoriaMetricsUrl: victoriaMetrics.baseUrl });
    const victoriaLogs = await startVictoriaLogs({ binary: builtBinary('build-victorialogs.sh') });
    cluster = await startVictoriaLogsCluster();
    const targets: CollectorTargets = {
      jaegerOtlpEndpoint: jaeger.otlpGrpcEndpoint,
      victoriaLogsUrl: cluster.insertNode.baseUrl,
      victoriaMetricsUrl: victoriaMetrics.baseUrl,
    };
    const collector = await startCollector(builtBinary('build-collector.sh'), targets, { configs: [overlay], env: { VICTORIALOGS_SINGLE_URL: victoriaLogs.baseUrl } });
    return { jaeger, victoriaLogs, victoriaMetrics, collector, targets };
  }

  const lookup = async (sessionId: string, victoriaLogsUrl: string, logs: boolean): Promise<string> => {
    const result = await runTraceCommand([sessionId, ...(logs ? ['--logs'] : []), '--json'], { JAEGER_URL: stack!.jaeger.queryUrl, VICTORIALOGS_URL: victoriaLogsUrl });
    expect(result.code, result.stderr).to.equal(0);
    // The report names the store it read (victoriaLogsUrl, and the UI links): the one difference expected.
    return result.stdout.split(new URL(victoriaLogsUrl).host).join('<VICTORIALOGS_HOST>');
  };
  const printedLines = (stdout: string): number => {
    const report = JSON.parse(stdout) as LookupReport;
    return [...report.traces.flatMap((trace) => trace.logs ?? []), ...(report.logs ?? [])].length;
  };

  before(async () => {
    stack = await startE2eStack({}, startBackends);
    const run = Date.now().toString(36);
    sessions = [await driveSession(stack.api, `vlc-${run}-first`, `ada-${run}@example.com`), await driveSession(stack.api, `vlc-${run}-second`)];
    // Every line api and orders wrote for a session on stdout is also exported as a log record, and
    // a session a login started has one record more, api's session.start event (no stdout line):
    // wait until each store holds exactly those, and Jaeger every trace.
    const single = stack.victoriaLogs.baseUrl;
    const select = cluster!.selectNode.baseUrl;
    let seen = '';
    await waitFor('every trace in Jaeger and every line the services wrote in both log stores', async () => {
      for (const session of sessions) {
        const lines = [...stack!.api.logLines(), ...stack!.orders.logLines()].filter((line) => line['session.id'] === session.sessionId).length;
        const written = lines + (session.replacedSessionId === undefined ? 0 : 1);
        seen = `${session.sessionId}: ${lines} lines written${session.replacedSessionId === undefined ? '' : ' and a session.start event'}`;
        for (const store of [single, select]) {
          const result = await runTraceCommand([session.sessionId, '--logs', '--json'], { JAEGER_URL: stack!.jaeger.queryUrl, VICTORIALOGS_URL: store });
          if (result.code !== 0 || (JSON.parse(result.stdout) as LookupReport).traces.length !== session.traceIds.length) return false;
          seen += `, ${printedLines(result.stdout)} in ${store === single ? 'the single node' : 'the cluster'}`;
          if (written === 0 || printedLines(result.stdout) !== written) return false;
        }
      }
      return true;
    }, 120_000, () => seen);
  });

  after(async function () {
    if (skippedForPrerequisites(this)) return;
    await stack?.stop();
    await cluster?.discard();
    if (configDir !== undefined) await rm(configDir, { recursive: true, force: true });
  });

  it('prints the same with and without --logs against the select node as against the single node', async () => {
    for (const session of sessions) {
      for (const logs of [false, true]) {
        const [fromCluster, fromSingle] = [await lookup(session.sessionId, cluster!.selectNode.baseUrl, logs), await lookup(session.sessionId, stack!.victoriaLogs.baseUrl, logs)];
        expect(fromCluster, `${session.sessionId} ${logs ? 'with' : 'without'} --logs`).to.equal(fromSingle);
      }
    }
  });
});
