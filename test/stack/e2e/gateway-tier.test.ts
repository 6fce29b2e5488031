import { randomUUID } from 'node:crypto';
import { context, SpanKind, SpanStatusCode, trace, type Tracer } from '@opentelemetry/api';
import { OTLPTraceExporter } from '@opentelemetry/exporter-trace-otlp-http';
import { resourceFromAttributes } from '@opentelemetry/resources';
import { BatchSpanProcessor, TracerProvider } from '@opentelemetry/sdk-trace';
import { expect } from 'chai';
import { isSessionSampled } from '../../../src/core/index.ts';
import { freePorts } from '../../core/support/ports.ts';
import { waitFor } from '../../core/support/service-process.ts';
import { searchTraces, type JaegerTrace } from '../support/jaeger-query.ts';
import { builtBinary, startJaeger, startProgram, waitUntilAnswering, type Jaeger, type StartedProgram } from '../support/observability-stack.ts';
import { requirePrerequisites, skippedForPrerequisites } from '../support/require-prerequisites.ts';

const RATIO = 0.25;
/** RATIO x 2^32 as 8 lowercase hex digits: otel-gateway.yaml's SESSION_SAMPLE_THRESHOLD. */
const THRESHOLD = Math.floor(RATIO * 2 ** 32).toString(16).padStart(8, '0');
const SESSIONS = 300;
const ERROR_SESSIONS = 20;
const REQUESTS = 3;
/** Sessions that make one more request after decision_wait has passed on their first ones. */
const LONG_SESSIONS = 40;
/** Requests made outside any session, half of them failing: routed by trace id, kept when failed. */
const WITHOUT_SESSION = 40;
const GATEWAYS = ['gateway-1', 'gateway-2'];
const RUN = randomUUID().slice(0, 8);
const SERVICES = [`gw-api-${RUN}`, `gw-orders-${RUN}`];

interface SentSession {
  readonly id: string;
  readonly kept: boolean;
  /** The trace ids of its requests (a long session's last one sent after decision_wait), and which one failed (or -1). */
  readonly traceIds: string[];
  readonly errorAt: number;
}

/** A trace as Jaeger returns it, with the process tags (the resource) of each span. */
type TraceWithProcessTags = JaegerTrace & { processes: Record<string, { serviceName: string; tags?: { key: string; value: unknown }[] }> };

/** One request of a session: a server span in the api, its client span, and the orders service's server span. */
function request(api: Tracer, orders: Tracer, sessionId: string | undefined, fails: boolean): string {
  const attributes = sessionId === undefined ? {} : { 'session.id': sessionId };
  const server = api.startSpan('GET /checkout', { kind: SpanKind.SERVER, attributes });
  const inServer = trace.setSpan(context.active(), server);
  const client = api.startSpan('GET orders', { kind: SpanKind.CLIENT, attributes }, inServer);
  const downstream = orders.startSpan(
    'GET /orders',
    { kind: SpanKind.SERVER, attributes },
    trace.setSpan(context.active(), client),
  );
  if (fails) downstream.setStatus({ code: SpanStatusCode.ERROR, message: 'test failure' });
  downstream.end();
  client.end();
  server.end();
  return server.spanContext().traceId;
}

describe(`the gateway tier: one agent, ${GATEWAYS.length} gateways, tail sampling at ${RATIO}`, function () {
  before(function () {
    requirePrerequisites(this, 'test:e2e gateway-tier', ['stack-programs']);
  });

  this.timeout(20 * 60_000);

  let jaeger: Jaeger;
  const programs: StartedProgram[] = [];
  const sessions: SentSession[] = [];
  /** Trace ids of the requests outside sessions, failed and not. */
  const failedWithoutSession: string[] = [];
  const okWithoutSession: string[] = [];
  const stored = new Map<string, TraceWithProcessTags>();

  before(async () => {
    const collector = builtBinary('build-collector.sh');
    // The Monitor tab's metrics backend is not used here: nothing answers on port 9.
    jaeger = await startJaeger(builtBinary('build-jaeger.sh'), { victoriaMetricsUrl: 'http://127.0.0.1:9' });
    const ports = await freePorts(3 * GATEWAYS.length + 4);
    const gatewayEndpoints: string[] = [];
    for (const [i, name] of GATEWAYS.entries()) {
      const [grpc, health, metrics] = ports.slice(3 * i, 3 * i + 3) as [number, number, number];
      const gateway = startProgram(collector, ['--config', 'otel-gateway.yaml'], {
        GATEWAY_NAME: name,
        GATEWAY_OTLP_GRPC_ENDPOINT: `127.0.0.1:${grpc}`,
        GATEWAY_HEALTH_ENDPOINT: `127.0.0.1:${health}`,
        GATEWAY_METRICS_HOST: '127.0.0.1',
        GATEWAY_METRICS_PORT: String(metrics),
        JAEGER_OTLP_ENDPOINT: jaeger.otlpGrpcEndpoint,
        SESSION_SAMPLE_THRESHOLD: THRESHOLD,
        TAIL_SAMPLING_DECISION_WAIT: '2s',
      });
      programs.push(gateway);
      await waitUntilAnswering([`http://127.0.0.1:${health}/`], gateway, name);
      gatewayEndpoints.push(`127.0.0.1:${grpc}`);
    }
    const [grpc, http, health, metrics] = ports.slice(3 * GATEWAYS.length) as [number, number, number, number];
    const agent = startProgram(collector, ['--config', 'otel-agent.yaml'], {
      AGENT_OTLP_GRPC_ENDPOINT: `127.0.0.1:${grpc}`,
      AGENT_OTLP_HTTP_ENDPOINT: `127.0.0.1:${http}`,
      AGENT_HEALTH_ENDPOINT: `127.0.0.1:${health}`,
      AGENT_METRICS_HOST: '127.0.0.1',
      AGENT_METRICS_PORT: String(metrics),
      GATEWAY_ENDPOINTS: `[${gatewayEndpoints.join(', ')}]`,
    });
    programs.push(agent);
    await waitUntilAnswering([`http://127.0.0.1:${health}/`], agent, 'the agent');

    const newProviders = (): TracerProvider[] =>
      SERVICES.map(
        (service) =>
          new TracerProvider({
            resource: resourceFromAttributes({ 'service.name': service }),
            spanProcessors: [new BatchSpanProcessor({ exporter: new OTLPTraceExporter({ url: `http://127.0.0.1:${http}/v1/traces` }) })],
          }),
      );
    const tracers = (providers: TracerProvider[]): [Tracer, Tracer] => providers.map((provider) => provider.getTracer('gateway-tier-test')) as [Tracer, Tracer];
    const providers = newProviders();
    const [api, orders] = tracers(providers);
    // Error sessions are taken among those the rule drops, so that only the error policy keeps them.
    let errors = 0;
    for (let i = 0; i < SESSIONS; i++) {
      const id = `gw-${RUN}-${randomUUID()}`;
      const kept = isSessionSampled(id, RATIO);
      const errorAt = !kept && errors < ERROR_SESSIONS ? i % REQUESTS : -1;
      if (errorAt >= 0) errors++;
      const traceIds = Array.from({ length: REQUESTS }, (_, r) => request(api, orders, id, r === errorAt));
      sessions.push({ id, kept, traceIds, errorAt });
    }
    expect(errors, 'error sessions among the dropped ones').to.equal(ERROR_SESSIONS);
    for (let i = 0; i < WITHOUT_SESSION; i++) (i % 2 === 0 ? failedWithoutSession : okWithoutSession).push(request(api, orders, undefined, i % 2 === 0));
    await Promise.all(providers.map((provider) => provider.shutdown()));

    const expected = new Set([...sessions.flatMap((s) => (s.kept ? s.traceIds : s.errorAt >= 0 ? [s.traceIds[s.errorAt]!] : [])), ...failedWithoutSession]);
    await waitFor(
      `the ${expected.size} kept traces in Jaeger`,
      async () => {
        for (const found of await searchTraces(jaeger.queryUrl, SERVICES[0]!, {}, Date.now() - 30 * 60_000)) {
          stored.set(found.traceID, found);
        }
        return [...expected].every((id) => stored.get(id)?.spans.length === 3);
      },
      180_000,
      () => `${stored.size} traces so far`,
    );

    // Sessions longer than decision_wait: the first LONG_SESSIONS sessions make one more
    // request now that their first traces have been decided (the kept ones are stored above).
    const later = newProviders();
    const [laterApi, laterOrders] = tracers(later);
    for (const session of sessions.slice(0, LONG_SESSIONS)) session.traceIds.push(request(laterApi, laterOrders, session.id, false));
    await Promise.all(later.map((provider) => provider.shutdown()));
    const expectedLater = sessions.slice(0, LONG_SESSIONS).filter((s) => s.kept).map((s) => s.traceIds.at(-1)!);
    await waitFor(
      `the ${expectedLater.length} later traces of kept long sessions in Jaeger`,
      async () => {
        for (const found of await searchTraces(jaeger.queryUrl, SERVICES[0]!, {}, Date.now() - 30 * 60_000)) stored.set(found.traceID, found);
        return expectedLater.every((id) => stored.get(id)?.spans.length === 3);
      },
      180_000,
      () => `${stored.size} traces so far`,
    );
  });

  after(async function () {
    if (skippedForPrerequisites(this)) return;
    for (const program of programs.reverse()) await program.stop();
    await jaeger.discard();
  });

  const gatewaysOf = (found: TraceWithProcessTags): string[] =>
    found.spans.map((span) => String(found.processes[span.processID]?.tags?.find((tag) => tag.key === 'collector.gateway')?.value));

  it('sends every span of a session through one gateway, and uses every gateway', () => {
    const used = new Set<string>();
    for (const session of sessions) {
      const names = new Set(session.traceIds.flatMap((id) => (stored.has(id) ? gatewaysOf(stored.get(id)!) : [])));
      if (names.size === 0) continue;
      expect([...names], session.id).to.have.length(1);
      used.add([...names][0]!);
    }
    expect([...used].sort()).to.deep.equal(GATEWAYS);
  });

  it('stores every trace of the sessions the rule keeps, each whole, also those sent after decision_wait, and of the others, and outside sessions, only the failed requests', () => {
    const want = [...sessions.flatMap((s) => (s.kept ? s.traceIds : s.errorAt >= 0 ? [s.traceIds[s.errorAt]!] : [])), ...failedWithoutSession].sort();
    expect([...stored.keys()].sort()).to.deep.equal(want);
    for (const found of stored.values()) expect(found.spans, found.traceID).to.have.length(3);
  });

  it('routes requests outside sessions by trace id, over every gateway, not all to one', () => {
    // 20 failed traces on one gateway by chance: 2 in 2^20.
    const used = new Set(failedWithoutSession.flatMap((id) => gatewaysOf(stored.get(id)!)));
    expect([...used].sort()).to.deep.equal(GATEWAYS);
    expect(okWithoutSession.filter((id) => stored.has(id))).to.deep.equal([]);
  });
});
