import { randomUUID } from 'node:crypto';
import { expect } from 'chai';
import { isSessionSampled } from '../../../src/core/index.ts';
import type { LookupReport } from '../../../tools/session-traces/index.ts';
import { ComposeProject } from '../support/compose-project.ts';
import { driveSession, type DrivenSession } from '../support/e2e-stack.ts';
import { searchUntil } from '../support/session-checks.ts';
import { expectSessionLogs } from '../support/session-log-checks.ts';
import type { JaegerTrace } from '../support/jaeger-query.ts';
import { runTraceCommand } from '../../tools/support/cli-process.ts';
import { answersOk } from '../../core/support/probes.ts';
import { waitFor, type ServiceProcess } from '../../core/support/service-process.ts';
import { requirePrerequisites, skippedForPrerequisites } from '../support/require-prerequisites.ts';
import { queryMetrics } from '../support/victoria-metrics.ts';

const API_URL = 'http://127.0.0.1:3000';
const JAEGER_URL = 'http://127.0.0.1:16686';
const STORE_URL = 'http://127.0.0.1:9428';
const METRICS_URL = 'http://127.0.0.1:8428';
/**
 * A request in the RED metrics: the service's span batch (5 s), two span_metrics flushes (15 s
 * each: a new series is sent as 0 at its first flush, its count from the next) and 10 s for
 * ingestion on a loaded machine.
 */
const RED_METRICS_DEADLINE_MS = 5_000 + 2 * 15_000 + 10_000;
const GATEWAYS = ['otel-gateway-1', 'otel-gateway-2'];
/** The compose file's default SESSION_SAMPLE_THRESHOLD, 40000000, as a ratio. */
const RATIO = 0.25;

/** A trace as Jaeger returns it, with the process tags (the resource) of each span's process. */
type TraceWithProcessTags = JaegerTrace & { processes: Record<string, { serviceName: string; tags?: { key: string; value: unknown }[] }> };

/** The collector.gateway process tag of every span of `traces`. */
function gatewaysOf(traces: readonly JaegerTrace[]): string[] {
  return (traces as readonly TraceWithProcessTags[]).flatMap((trace) =>
    trace.spans.map((span) => String(trace.processes[span.processID]?.tags?.find((tag) => tag.key === 'collector.gateway')?.value)),
  );
}

/** A new session id that the gateways' rule keeps (`kept`) or drops at RATIO (the head sampler's rule). */
function sessionIdRuled(prefix: string, kept: boolean): string {
  for (;;) {
    const id = `${prefix}-${randomUUID()}`;
    if (isSessionSampled(id, RATIO) === kept) return id;
  }
}

/** `api` as the compose file publishes it, in the shape driveSession takes. */
const api = { url: API_URL } as ServiceProcess;

describe('docker compose -f docker-compose.gateway.yml up: an agent, two gateways and the stores, every container real', function () {
  before(function () {
    requirePrerequisites(this, 'test:compose', ['stack-programs', 'docker-compose', 'docker-engine', 'debootstrap']);
  });

  // The images are those of the docker-compose.yml suite (built once, kept by their labels).
  this.timeout(20 * 60_000);

  // The decision window set here, not left at the file's default: what the searches below wait
  // for does not depend on it (each waits up to 60 s).
  const compose = new ComposeProject('session-context-compose-gateway-test', 'docker-compose.gateway.yml', { TAIL_SAMPLING_DECISION_WAIT: '5s' });
  const startedAt = Date.now();
  const run = Date.now().toString(36);
  const sessions: DrivenSession[] = [];

  before(async () => {
    await compose.upFromScratch([3000, 16686, 9428, 8428], ['api', 'orders', 'jaeger', 'victorialogs-probe', 'victoriametrics']);
    // The collector image has no healthcheck: ask each collector's health_check extension.
    for (const collector of ['otel-agent', ...GATEWAYS]) {
      const health = `http://${compose.containerAddress(collector)}:13133/`;
      await waitFor(`${collector} to report healthy`, () => answersOk(health), 60_000);
    }
  });

  after(function () {
    if (skippedForPrerequisites(this)) return;
    compose.downAndStopEngine();
  });

  it('starts every container: the services, the agent, both gateways, Jaeger and the stores', () => {
    const running = compose.run(['ps', '--services', '--filter', 'status=running'], { quiet: true }).trim().split('\n').sort();
    expect(running).to.deep.equal(['api', 'jaeger', 'orders', 'otel-agent', ...GATEWAYS, 'victorialogs', 'victorialogs-probe', 'victoriametrics'].sort());
  });

  it("stores each kept session's traces whole in Jaeger, every span through one gateway, named on the spans (collector.gateway)", async () => {
    for (let i = 0; i < 4; i++) sessions.push(await driveSession(api, sessionIdRuled(`compose-gateway-${run}-${i}`, true)));
    const gatewayOf = new Map<string, string>();
    for (const session of sessions) {
      // Every request's trace, the downstream one with its spans in api and orders: 3 traces, 5 spans.
      const expected = session.traceIds.length + 2;
      const traces = await searchUntil(JAEGER_URL, 'api', { 'session.id': session.sessionId }, startedAt, `the ${expected} spans of session ${session.sessionId}`, (found) =>
        found.reduce((sum, trace) => sum + trace.spans.length, 0) >= expected,
      );
      expect(traces.map((trace) => trace.traceID).sort(), session.sessionId).to.deep.equal([...session.traceIds].sort());
      const gateways = new Set(gatewaysOf(traces));
      expect([...gateways], `the gateways of session ${session.sessionId}`).to.have.length(1);
      expect(GATEWAYS, session.sessionId).to.include([...gateways][0]);
      gatewayOf.set(session.sessionId, [...gateways][0]!);
    }
    // Which gateway a session hashes to is the exporter's ring: shown, not asserted (the
    // gateway-tier suite checks that every gateway gets sessions, over 300 of them).
    console.log(`      the gateway of each session: ${[...gatewayOf.values()].join(', ')}`);
  });

  it("stores each session's logs in VictoriaLogs through the agent", async () => {
    for (const session of sessions) await expectSessionLogs(STORE_URL, session);
  });

  it('counts the requests of every session in the RED metrics, those of sessions the gateways drop included: the agent counts before sampling', async () => {
    const dropped = [];
    for (let i = 0; i < 2; i++) dropped.push(await driveSession(api, sessionIdRuled(`compose-gateway-${run}-dropped-${i}`, false)));
    // Each session made one GET /api/session; the project is new (down -v), so the counter holds exactly these.
    const sent = sessions.length + dropped.length;
    const query = 'sum(traces_span_metrics_calls_total{service_name="api",span_kind="SPAN_KIND_SERVER",span_name="GET /api/session"})';
    let counted: number | undefined;
    await waitFor(
      `VictoriaMetrics to count ${sent} calls of GET /api/session`,
      async () => {
        counted = (await queryMetrics(METRICS_URL, query))[0]?.value;
        return counted === sent;
      },
      RED_METRICS_DEADLINE_MS,
      () => `counted: ${counted}`,
    );
    expect(counted).to.equal(sent);
  });

  it('lets `npm run trace -- <session> --json` find every trace of a session, and with --logs its log lines', async () => {
    const session = sessions[0]!;
    const lookup = await runTraceCommand([session.sessionId, '--json'], { JAEGER_URL });
    expect(lookup.code, lookup.stderr).to.equal(0);
    const report = JSON.parse(lookup.stdout) as LookupReport;
    expect(report.traces.map((trace) => trace.traceId).sort()).to.deep.equal([...session.traceIds].sort());
    const withLogs = await runTraceCommand([session.sessionId, '--json', '--logs'], { JAEGER_URL, VICTORIALOGS_URL: STORE_URL });
    expect(withLogs.code, withLogs.stderr).to.equal(0);
    const logged = JSON.parse(withLogs.stdout) as LookupReport;
    expect(logged.logsMissing).to.equal(null);
    for (const trace of logged.traces) expect(trace.logs, trace.traceId).to.have.length.above(0);
  });
});
