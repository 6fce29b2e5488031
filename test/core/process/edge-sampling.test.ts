import { randomBytes, randomUUID } from 'node:crypto';
import { expect } from 'chai';
import { isSessionSampled } from '../../../src/core/telemetry/session-bridge/session-ratio-sampler.ts';
import type { TraceContextSnapshot } from '../support/fixtures/trace-context-routes.ts';
import { SERVER_SPAN_KIND, startOtlpSink, type OtlpSink } from '../support/otlp-sink.ts';
import { startServiceProcess, type ServiceProcess } from '../support/service-process.ts';

const SESSIONS = 200;
const RATIO = 0.5;
/** Requests running at once. */
const CONCURRENCY = 8;
/** Requests sent straight to the trusted service, half with each flag. */
const TRUSTED_REQUESTS = 20;
/** What a client plants in `tracestate`: a vendor entry and OpenTelemetry's "always sample" threshold. */
const PLANTED_TRACESTATE = 'planted=evil-value,ot=th:0';

type Flags = '01' | '00';

/** One request a client sent with its own `traceparent`, and what the service answered. */
interface ClientRequest {
  readonly sessionId: string;
  readonly flags: Flags;
  readonly clientTraceId: string;
  readonly status: number;
  readonly headers: Headers;
  readonly body: unknown;
}

/** The answer of the edge's `GET /api/test/call` to the internal service's `/api/test/trace-context`. */
interface CallAnswer {
  readonly status: number;
  readonly downstream: TraceContextSnapshot;
}

const hex = (bytes: number): string => randomBytes(bytes).toString('hex');

/**
 * Sends one request to `url` as a browser would: its own trace (a random trace id, flag
 * `flags`), the planted `tracestate`, and the session in baggage.
 */
async function send(url: string, sessionId: string, flags: Flags): Promise<ClientRequest> {
  const clientTraceId = hex(16);
  const response = await fetch(url, {
    headers: {
      traceparent: `00-${clientTraceId}-${hex(8)}-${flags}`,
      tracestate: PLANTED_TRACESTATE,
      baggage: `session.id=${sessionId}`,
    },
  });
  return { sessionId, flags, clientTraceId, status: response.status, headers: response.headers, body: await response.json() };
}

/** Sends each of `jobs` with `send`, CONCURRENCY at a time. */
async function sendAll(url: string, jobs: readonly (readonly [string, Flags])[]): Promise<ClientRequest[]> {
  const queue = [...jobs];
  const done: ClientRequest[] = [];
  const worker = async (): Promise<void> => {
    for (let job = queue.shift(); job !== undefined; job = queue.shift()) done.push(await send(url, ...job));
  };
  await Promise.all(Array.from({ length: CONCURRENCY }, worker));
  return done;
}

/** The trace ids of the server spans `service` exported. */
function exportedTraces(sink: OtlpSink, service: string): Set<string> {
  return new Set(sink.spans.filter((span) => span.kind === SERVER_SPAN_KIND && span.service === service).map((span) => span.traceId));
}

/** Starts a trusted internal service and an untrusted edge that calls it, both exporting to `sink`. */
async function startEdgeAndInternal(sink: OtlpSink, samplingEnv: Record<string, string>): Promise<{ edge: ServiceProcess; internal: ServiceProcess }> {
  const exportEnv = { OTEL_EXPORTER_OTLP_ENDPOINT: sink.endpoint, OTEL_EXPORTER_OTLP_PROTOCOL: 'http/json', ...samplingEnv };
  const internal = await startServiceProcess({ ...exportEnv, OTEL_SERVICE_NAME: 'internal', TRUST_INCOMING_BAGGAGE: 'true' });
  try {
    // TRUST_INCOMING_BAGGAGE unset: an edge, the default.
    const edge = await startServiceProcess({ ...exportEnv, OTEL_SERVICE_NAME: 'edge', TEST_DOWNSTREAM_URL: `${internal.url}/api/test/trace-context` });
    return { edge, internal };
  } catch (error) {
    await internal.stop('SIGKILL');
    throw error;
  }
}

/**
 * What every answer of the edge must show, sampled or not: the session, the client's trace id
 * in `x-trace-id` and downstream, the edge's decision (`sampled`) downstream, and no
 * `tracestate` anywhere after the edge.
 */
function expectEdgeAnswer(request: ClientRequest, sampled: boolean): void {
  const what = `${request.sessionId} ${request.flags}`;
  expect(request.status, what).to.equal(200);
  expect(request.headers.get('x-session-id'), what).to.equal(request.sessionId);
  expect(request.headers.get('x-trace-id'), what).to.equal(request.clientTraceId);
  const { downstream } = request.body as CallAnswer;
  expect(downstream.sessionId, what).to.equal(request.sessionId);
  expect(downstream.traceparent, what).to.match(new RegExp(`^00-${request.clientTraceId}-[0-9a-f]{16}-${sampled ? '01' : '00'}$`));
  expect(downstream.tracestate, what).to.equal(null);
  expect(downstream.traceId, what).to.equal(request.clientTraceId);
  expect(downstream.traceState, what).to.equal(null);
}

/**
 * Sends TRUSTED_REQUESTS straight to the trusted service, with flags `flagsOf(sessionId)`:
 * it follows the flag and keeps the tracestate, as a service behind an edge must.
 */
async function sendToTrusted(internal: ServiceProcess, sessionIds: readonly string[], flagsOf: (sessionId: string) => Flags): Promise<ClientRequest[]> {
  const answers = await sendAll(
    `${internal.url}/api/test/trace-context`,
    sessionIds.map((sessionId) => [sessionId, flagsOf(sessionId)] as const),
  );
  for (const answer of answers) {
    const snapshot = answer.body as TraceContextSnapshot;
    expect(answer.status).to.equal(200);
    expect(snapshot.traceId, answer.sessionId).to.equal(answer.clientTraceId);
    expect(snapshot.traceFlags, answer.sessionId).to.equal(answer.flags);
    expect(snapshot.traceState, answer.sessionId).to.equal(PLANTED_TRACESTATE);
  }
  return answers;
}

describe('edge sampling: an untrusted edge decides sampling and trust, whatever the client sends', function () {
  this.timeout(180_000);

  it(`exports a request exactly when the session rule keeps its session, whatever its traceparent flag, under parentbased_session_ratio at ${RATIO}`, async () => {
    const sink = await startOtlpSink();
    const { edge, internal } = await startEdgeAndInternal(sink, { OTEL_TRACES_SAMPLER: 'parentbased_session_ratio', OTEL_TRACES_SAMPLER_ARG: String(RATIO) });
    try {
      const sessionIds = Array.from({ length: SESSIONS }, () => `edge-${randomUUID()}`);
      const fromClients = await sendAll(
        `${edge.url}/api/test/call`,
        sessionIds.flatMap((sessionId) => [[sessionId, '01'] as const, [sessionId, '00'] as const]),
      );
      for (const request of fromClients) expectEdgeAnswer(request, isSessionSampled(request.sessionId, RATIO));

      // Behind the edge the caller's flag decides, even against the rule (the flag is the
      // opposite of the rule's answer for every one of these sessions).
      const opposite = (sessionId: string): Flags => (isSessionSampled(sessionId, RATIO) ? '00' : '01');
      const toTrusted = await sendToTrusted(internal, sessionIds.slice(0, TRUSTED_REQUESTS), opposite);

      expect(await internal.stop()).to.equal(0);
      expect(await edge.stop()).to.equal(0);

      const atEdge = exportedTraces(sink, 'edge');
      const atInternal = exportedTraces(sink, 'internal');
      const edgeSessions = new Map(
        sink.spans.filter((span) => span.kind === SERVER_SPAN_KIND && span.service === 'edge').map((span) => [span.traceId, span.attributes['session.id']]),
      );
      const accessLineFlags = new Map(
        edge.logLines().filter((line) => line['message'] === 'request completed').map((line) => [line['trace_id'], line['trace_flags']]),
      );
      for (const request of fromClients) {
        const what = `${request.sessionId} ${request.flags}`;
        const sampled = isSessionSampled(request.sessionId, RATIO);
        // Exported at the edge and behind it exactly when the rule keeps the session, in the client's trace.
        expect(atEdge.has(request.clientTraceId), what).to.equal(sampled);
        expect(atInternal.has(request.clientTraceId), what).to.equal(sampled);
        if (sampled) expect(edgeSessions.get(request.clientTraceId), what).to.equal(request.sessionId);
        expect(accessLineFlags.get(request.clientTraceId), what).to.equal(sampled ? '01' : '00');
      }
      for (const request of toTrusted) expect(atInternal.has(request.clientTraceId), `trusted ${request.sessionId} ${request.flags}`).to.equal(request.flags === '01');

      const kept = sessionIds.filter((sessionId) => isSessionSampled(sessionId, RATIO)).length;
      console.log(`      ${kept} of ${SESSIONS} sessions kept by the rule: ${2 * kept} of ${fromClients.length} requests exported, half of them sent with flag 00`);
      // Both outcomes occur, so neither flag can have decided.
      expect(kept).to.be.within(1, SESSIONS - 1);
    } finally {
      await Promise.all([edge.stop('SIGKILL'), internal.stop('SIGKILL')]);
      await sink.close();
    }
  });

  it('exports a request sent with flag 00 under the default sampler, while a trusted service follows the flag', async () => {
    const sink = await startOtlpSink();
    const { edge, internal } = await startEdgeAndInternal(sink, {});
    try {
      const sessionIds = Array.from({ length: TRUSTED_REQUESTS }, () => `edge-default-${randomUUID()}`);
      const fromClients = await sendAll(
        `${edge.url}/api/test/call`,
        sessionIds.map((sessionId) => [sessionId, '00'] as const),
      );
      for (const request of fromClients) expectEdgeAnswer(request, true);
      const toTrusted = await sendToTrusted(internal, sessionIds, (sessionId) => (sessionIds.indexOf(sessionId) % 2 === 0 ? '01' : '00'));

      expect(await internal.stop()).to.equal(0);
      expect(await edge.stop()).to.equal(0);

      const atEdge = exportedTraces(sink, 'edge');
      const atInternal = exportedTraces(sink, 'internal');
      for (const request of fromClients) {
        expect(atEdge.has(request.clientTraceId), request.sessionId).to.equal(true);
        expect(atInternal.has(request.clientTraceId), request.sessionId).to.equal(true);
      }
      for (const request of toTrusted) expect(atInternal.has(request.clientTraceId), `trusted ${request.sessionId} ${request.flags}`).to.equal(request.flags === '01');
      expect(toTrusted.filter((request) => request.flags === '00')).to.have.length(TRUSTED_REQUESTS / 2);
    } finally {
      await Promise.all([edge.stop('SIGKILL'), internal.stop('SIGKILL')]);
      await sink.close();
    }
  });
});
