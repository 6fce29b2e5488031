import { randomUUID } from 'node:crypto';
import type { Span, Tracer } from '@opentelemetry/api';
import { OTLPTraceExporter } from '@opentelemetry/exporter-trace-otlp-http';
import { resourceFromAttributes } from '@opentelemetry/resources';
import { BatchSpanProcessor, TracerProvider } from '@opentelemetry/sdk-trace';
import { expect } from 'chai';
import { isSessionSampled } from '../../../src/core/index.ts';
import { waitFor } from '../../core/support/service-process.ts';
import { sumOf } from '../support/collector-metrics.ts';
import { endRequestSpans, startGatewayTier, type GatewayTier } from '../support/gateway-tier-stack.ts';
import { searchTraces, tagOf, type JaegerSpan, type JaegerTrace } from '../support/jaeger-query.ts';
import { requirePrerequisites, skippedForPrerequisites } from '../support/require-prerequisites.ts';

const RATIO = 0.25;
/** RATIO x 2^32 as 8 lowercase hex digits: otel-gateway.yaml's SESSION_SAMPLE_THRESHOLD. */
const THRESHOLD = Math.floor(RATIO * 2 ** 32).toString(16).padStart(8, '0');
const SESSIONS = 300;
const ERROR_SESSIONS = 20;
const REQUESTS = 3;
/** The gateways' session window (otel-gateway.yaml's TAIL_SAMPLING_DECISION_WAIT), short for the test. */
const DECISION_WAIT = '3s';
/** Sessions that make one more request after their window was decided: every tenth one, and some error sessions. */
const LONG_SESSIONS = 30;
const LONG_ERROR_SESSIONS = 10;
/** Dropped sessions whose one more request, after their window, fails: dropped with the session. */
const LATE_ERROR_SESSIONS = 5;
/** Requests made outside any session, half of them failing: routed by trace id, kept when failed. */
const WITHOUT_SESSION = 40;
const GATEWAYS = ['gateway-1', 'gateway-2'];
/** The attribute otel-gateway.yaml keeps the real trace id in while tail_sampling decides per session. */
const PRIVATE_ATTRIBUTE = 'gateway.original_trace_id';
const RUN = randomUUID().slice(0, 8);
const SERVICES = [`gw-api-${RUN}`, `gw-orders-${RUN}`];

/** A span as sent: its ids, parent (empty for the root) and name. */
interface SentSpan {
  readonly spanId: string;
  readonly parentId: string;
  readonly name: string;
}

interface SentRequest {
  readonly traceId: string;
  readonly spans: SentSpan[];
  readonly fails: boolean;
  /** Sent after the session's window was decided. */
  readonly late: boolean;
}

interface SentSession {
  readonly id: string;
  /** Kept by the ratio rule (the head sampler's). */
  readonly kept: boolean;
  /** Which of its first REQUESTS requests failed, or -1. */
  readonly errorAt: number;
  readonly requests: SentRequest[];
}

/** A trace as Jaeger returns it, with span references and the process tags (the resource) of each span. */
type StoredSpan = JaegerSpan & { references?: { refType: string; traceID: string; spanID: string }[] };
type StoredTrace = Omit<JaegerTrace, 'spans'> & {
  spans: StoredSpan[];
  processes: Record<string, { serviceName: string; tags?: { key: string; value: unknown }[] }>;
};

/** One request (endRequestSpans), as the test expects to find it stored. */
function request(api: Tracer, orders: Tracer, sessionId: string | undefined, fails: boolean, late = false): SentRequest {
  const [server, client, downstream] = endRequestSpans(api, orders, sessionId, fails);
  const id = (span: Span): string => span.spanContext().spanId;
  return {
    traceId: server.spanContext().traceId,
    spans: [
      { spanId: id(server), parentId: '', name: 'GET /checkout' },
      { spanId: id(client), parentId: id(server), name: 'GET orders' },
      { spanId: id(downstream), parentId: id(client), name: 'GET /orders' },
    ],
    fails,
    late,
  };
}

/** The gateways' own metrics, scraped once: the sum over them of counter `name` on the series with all of `labels`. */
type Counters = (name: string, labels?: Readonly<Record<string, string>>) => number;

async function scrape(tier: GatewayTier): Promise<Counters> {
  const samples = (await Promise.all(tier.gateways.map((gateway) => gateway.metrics()))).flat();
  return (name, labels = {}) => sumOf(samples, name, labels);
}

describe(`the gateway tier: one agent, ${GATEWAYS.length} gateways, tail sampling of whole sessions at ${RATIO}`, function () {
  before(function () {
    requirePrerequisites(this, 'test:e2e gateway-tier', ['stack-programs']);
  });

  this.timeout(20 * 60_000);

  let tier: GatewayTier;
  const sessions: SentSession[] = [];
  const withoutSession: SentRequest[] = [];
  const stored = new Map<string, StoredTrace>();
  /** The gateways' decisions (sessions and traces without session) after the windows of the first requests. */
  const firstDecisions = { sampled: 0, notSampled: 0 };
  /** After the late requests: new decisions, and the spans released from remembered decisions. */
  const laterDecisions = { sampled: 0, notSampled: 0, lateKeptSpans: 0, lateDroppedSpans: 0 };

  const storedFromJaeger = async (): Promise<number> => {
    for (const found of (await searchTraces(tier.jaeger.queryUrl, SERVICES[0]!, {}, Date.now() - 30 * 60_000)) as StoredTrace[]) stored.set(found.traceID, found);
    return [...stored.values()].reduce((sum, found) => sum + found.spans.length, 0);
  };
  const sessionKeptWhole = (s: SentSession): boolean => s.kept || s.errorAt >= 0;
  /** The requests the gateways must store: every request of a kept session (first ones and late ones), failed requests outside sessions. */
  const wanted = (): SentRequest[] => [...sessions.flatMap((s) => (sessionKeptWhole(s) ? s.requests : [])), ...withoutSession.filter((r) => r.fails)];

  /**
   * Waits until the gateways have accepted all `sentSpans` spans, decided every session and
   * trace they hold (one decision per entry tail_sampling created), Jaeger acknowledged every
   * span tail_sampling released, and Jaeger answers with all of them; twice in a row, since a
   * batch the receiver has accepted reaches tail_sampling's loop a moment later. Then reads
   * what Jaeger stored. Waits on the same condition whatever the gateways decide, so that a
   * wrong decision shows in the assertions, not as a timeout.
   */
  const settled = async (sentSpans: number): Promise<void> => {
    let progress = '';
    let stableOnce = false;
    await waitFor(
      `the gateways to settle on ${sentSpans} spans`,
      async () => {
        const counter = await scrape(tier);
        const accepted = counter('otelcol_receiver_accepted_spans');
        const created = counter('otelcol_processor_tail_sampling_new_trace_id_received');
        const decided = counter('otelcol_processor_tail_sampling_global_count_traces_sampled');
        const released = counter('otelcol_processor_incoming_items', { processor: 'transform/restore-trace' });
        const exported = counter('otelcol_exporter_sent_spans', { exporter: 'otlp_grpc/jaeger' });
        const inJaeger = await storedFromJaeger();
        progress = `${accepted} spans accepted, ${decided} of ${created} entries decided, ${released} spans released, ${exported} exported, ${inJaeger} in Jaeger`;
        const now = accepted === sentSpans && created > 0 && decided === created && exported === released && inJaeger === exported;
        const done = now && stableOnce;
        stableOnce = now;
        return done;
      },
      180_000,
      () => progress,
    );
  };

  before(async () => {
    tier = await startGatewayTier({ gateways: GATEWAYS, gatewayEnv: { SESSION_SAMPLE_THRESHOLD: THRESHOLD, TAIL_SAMPLING_DECISION_WAIT: DECISION_WAIT } });

    const newProviders = (): TracerProvider[] =>
      SERVICES.map(
        (service) =>
          new TracerProvider({
            resource: resourceFromAttributes({ 'service.name': service }),
            spanProcessors: [new BatchSpanProcessor({ exporter: new OTLPTraceExporter({ url: tier.agentTracesUrl }) })],
          }),
      );
    const tracers = (providers: TracerProvider[]): [Tracer, Tracer] => providers.map((provider) => provider.getTracer('gateway-tier-test')) as [Tracer, Tracer];
    const providers = newProviders();
    const [api, orders] = tracers(providers);
    // Error sessions are taken among those the rule drops, so that only the error policy keeps
    // them; the failed request is the first, second or third in turn.
    let errors = 0;
    for (let i = 0; i < SESSIONS; i++) {
      const id = `gw-${RUN}-${randomUUID()}`;
      const kept = isSessionSampled(id, RATIO);
      const errorAt = !kept && errors < ERROR_SESSIONS ? errors++ % REQUESTS : -1;
      sessions.push({ id, kept, errorAt, requests: Array.from({ length: REQUESTS }, (_, r) => request(api, orders, id, r === errorAt)) });
    }
    expect(errors, 'error sessions among the dropped ones').to.equal(ERROR_SESSIONS);
    for (let i = 0; i < WITHOUT_SESSION; i++) withoutSession.push(request(api, orders, undefined, i % 2 === 0));
    await Promise.all(providers.map((provider) => provider.shutdown()));

    await settled(3 * (SESSIONS * REQUESTS + WITHOUT_SESSION));
    const afterWindows = await scrape(tier);
    firstDecisions.sampled = afterWindows('otelcol_processor_tail_sampling_global_count_traces_sampled', { sampled: 'true' });
    firstDecisions.notSampled = afterWindows('otelcol_processor_tail_sampling_global_count_traces_sampled', { sampled: 'false' });

    // Sessions longer than the window: one more request now that their window was decided.
    // Some dropped sessions fail in it: the remembered decision drops it all the same.
    const later = newProviders();
    const [laterApi, laterOrders] = tracers(later);
    const droppedWithoutError = sessions.filter((s) => !sessionKeptWhole(s)).slice(-LATE_ERROR_SESSIONS);
    const long = new Set([...sessions.filter((_, i) => i % (SESSIONS / LONG_SESSIONS) === 0), ...sessions.filter((s) => s.errorAt >= 0).slice(-LONG_ERROR_SESSIONS), ...droppedWithoutError]);
    for (const session of long) session.requests.push(request(laterApi, laterOrders, session.id, droppedWithoutError.includes(session), true));
    await Promise.all(later.map((provider) => provider.shutdown()));
    await settled(3 * (SESSIONS * REQUESTS + WITHOUT_SESSION + long.size));
    const atEnd = await scrape(tier);
    laterDecisions.sampled = atEnd('otelcol_processor_tail_sampling_global_count_traces_sampled', { sampled: 'true' }) - firstDecisions.sampled;
    laterDecisions.notSampled = atEnd('otelcol_processor_tail_sampling_global_count_traces_sampled', { sampled: 'false' }) - firstDecisions.notSampled;
    laterDecisions.lateKeptSpans = atEnd('otelcol_processor_tail_sampling_early_releases_from_cache_decision', { sampled: 'true' });
    laterDecisions.lateDroppedSpans = atEnd('otelcol_processor_tail_sampling_early_releases_from_cache_decision', { sampled: 'false' });
  });

  after(async function () {
    if (skippedForPrerequisites(this)) return;
    await tier.stop();
  });

  const gatewaysOf = (found: StoredTrace): string[] =>
    found.spans.map((span) => String(found.processes[span.processID]?.tags?.find((tag) => tag.key === 'collector.gateway')?.value));

  it('decides once per session (and per trace outside sessions), after the window, and remembers the decision for later requests', () => {
    const keptSessions = sessions.filter(sessionKeptWhole).length;
    const keptWithout = withoutSession.filter((r) => r.fails).length;
    // One decision per session over both gateways: a session split between them would be decided twice.
    expect(firstDecisions).to.deep.equal({ sampled: keptSessions + keptWithout, notSampled: SESSIONS - keptSessions + WITHOUT_SESSION - keptWithout });
    expect(laterDecisions).to.deep.equal({
      sampled: 0,
      notSampled: 0,
      lateKeptSpans: 3 * sessions.filter((s) => sessionKeptWhole(s) && s.requests.some((r) => r.late)).length,
      lateDroppedSpans: 3 * sessions.filter((s) => !sessionKeptWhole(s) && s.requests.some((r) => r.late)).length,
    });
  });

  it('sends every span of a session through one gateway, and uses every gateway', () => {
    const used = new Set<string>();
    const figures = new Map<string, { sessions: number; traces: number; spans: number }>();
    for (const session of sessions) {
      const names = new Set(session.requests.flatMap((r) => (stored.has(r.traceId) ? gatewaysOf(stored.get(r.traceId)!) : [])));
      if (names.size === 0) continue;
      expect([...names], session.id).to.have.length(1);
      const name = [...names][0]!;
      used.add(name);
      const figure = figures.get(name) ?? { sessions: 0, traces: 0, spans: 0 };
      const traces = session.requests.filter((r) => stored.has(r.traceId));
      figures.set(name, { sessions: figure.sessions + 1, traces: figure.traces + traces.length, spans: figure.spans + traces.reduce((sum, r) => sum + stored.get(r.traceId)!.spans.length, 0) });
    }
    expect([...used].sort()).to.deep.equal(GATEWAYS);
    console.log(`      stored per gateway: ${[...figures].sort().map(([name, f]) => `${name} ${f.sessions} sessions, ${f.traces} traces, ${f.spans} spans`).join('; ')}`);
  });

  it('stores exactly the error sessions and the sessions the rule keeps, each complete with its later requests, and of requests outside sessions only the failed ones', () => {
    // Requests by what they are, stored or not: the wanted ones must all be stored, no other.
    const kinds = (stores: boolean): Record<string, number> => {
      const counts: Record<string, number> = {};
      const count = (kind: string, r: SentRequest): void => {
        const key = `${kind}${r.late ? ', late' : ''}${r.fails ? ', failed' : ''}`;
        if (stored.has(r.traceId) === stores) counts[key] = (counts[key] ?? 0) + 1;
      };
      for (const s of sessions) for (const r of s.requests) count(s.kept ? 'session kept by the rule' : s.errorAt >= 0 ? 'error session' : 'dropped session', r);
      for (const r of withoutSession) count('outside sessions', r);
      return counts;
    };
    const wantedIds = new Set(wanted().map((r) => r.traceId));
    const storedKinds = kinds(true);
    const unstoredKinds = kinds(false);
    const all = Object.keys({ ...storedKinds, ...unstoredKinds }).sort();
    const total = (kind: string): number => (storedKinds[kind] ?? 0) + (unstoredKinds[kind] ?? 0);
    const kept = (kind: string): boolean => !kind.startsWith('dropped') && kind !== 'outside sessions';
    expect({ stored: storedKinds, notStored: unstoredKinds }).to.deep.equal({
      stored: Object.fromEntries(all.filter(kept).map((kind) => [kind, total(kind)])),
      notStored: Object.fromEntries(all.filter((kind) => !kept(kind)).map((kind) => [kind, total(kind)])),
    });
    console.log(`      stored: ${JSON.stringify(storedKinds)}; not stored: ${JSON.stringify(unstoredKinds)}`);
    expect([...stored.keys()].filter((id) => !wantedIds.has(id)), 'traces stored that were not sent').to.deep.equal([]);
    const errorSessions = sessions.filter((s) => s.errorAt >= 0);
    expect(errorSessions.map((s) => s.errorAt).sort()).to.deep.equal([...Array.from({ length: 7 }, () => 0), ...Array.from({ length: 7 }, () => 1), ...Array.from({ length: 6 }, () => 2)]);
    expect(sessions.filter((s) => s.kept).length, 'sessions the rule keeps').to.be.within(40, 110);
  });

  it('stores the spans as the services sent them: same trace, span and parent ids, the session kept, the private attribute gone', () => {
    for (const sent of wanted().filter((r) => stored.has(r.traceId))) {
      const found = stored.get(sent.traceId)!;
      const spans = found.spans.map((span) => ({
        spanId: span.spanID,
        parentId: span.references?.find((ref) => ref.refType === 'CHILD_OF' && ref.traceID === sent.traceId)?.spanID ?? '',
        name: span.operationName,
      }));
      expect(spans.sort((a, b) => a.spanId.localeCompare(b.spanId)), sent.traceId).to.deep.equal([...sent.spans].sort((a, b) => a.spanId.localeCompare(b.spanId)));
      for (const span of found.spans) {
        expect(span.traceID).to.equal(sent.traceId);
        expect(tagOf(span, PRIVATE_ATTRIBUTE), `${PRIVATE_ATTRIBUTE} on ${span.spanID}`).to.equal(undefined);
      }
    }
    for (const session of sessions.filter(sessionKeptWhole)) {
      for (const sent of session.requests.filter((r) => stored.has(r.traceId))) expect(stored.get(sent.traceId)!.spans.map((span) => tagOf(span, 'session.id'))).to.deep.equal([session.id, session.id, session.id]);
    }
  });

  it('routes requests outside sessions by trace id, over every gateway, not all to one', () => {
    // 20 failed traces on one gateway by chance: 2 in 2^20.
    const used = new Set(withoutSession.filter((r) => r.fails && stored.has(r.traceId)).flatMap((r) => gatewaysOf(stored.get(r.traceId)!)));
    expect([...used].sort()).to.deep.equal(GATEWAYS);
  });
});
