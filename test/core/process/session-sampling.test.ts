import { randomUUID } from 'node:crypto';
import { expect } from 'chai';
import { isSessionSampled } from '../../../src/core/telemetry/session-bridge/session-ratio-sampler.ts';
import { SERVER_SPAN_KIND, startOtlpSink } from '../support/otlp-sink.ts';
import { startServiceProcess } from '../support/service-process.ts';

const SESSIONS = 300;
const REQUESTS_PER_SESSION = 3;
const RATIO = 0.25;
/** Sessions running at once; each sends its requests one after another. */
const CONCURRENCY = 10;
/** Requests without a session id: the edge mints one, and decides by it. */
const MINTED = 40;

/** How each session fared: its traces at the edge and at the internal service. */
interface SessionOutcome {
  readonly sessionId: string;
  readonly edgeTraces: ReadonlySet<string>;
  readonly internalTraces: ReadonlySet<string>;
  /** The trace flags of the edge's access lines of the session's requests. */
  readonly accessLineFlags: readonly unknown[];
}

/**
 * Runs SESSIONS sessions of REQUESTS_PER_SESSION requests against an edge service that calls
 * an internal one on every request (`GET /api/test/call`), both sampling with `sampler` at
 * RATIO, and returns what each service exported of each session once both have exited (a
 * service flushes its spans on the way out, so nothing is still on its way).
 */
async function runSessions(sampler: string): Promise<{ sessions: SessionOutcome[]; minted: SessionOutcome[] }> {
  const sink = await startOtlpSink();
  const samplingEnv = { OTEL_TRACES_SAMPLER: sampler, OTEL_TRACES_SAMPLER_ARG: String(RATIO) };
  const exportEnv = { OTEL_EXPORTER_OTLP_ENDPOINT: sink.endpoint, OTEL_EXPORTER_OTLP_PROTOCOL: 'http/json', ...samplingEnv };
  const internal = await startServiceProcess({ ...exportEnv, OTEL_SERVICE_NAME: 'internal', TRUST_INCOMING_BAGGAGE: 'true' });
  const edge = await startServiceProcess({ ...exportEnv, OTEL_SERVICE_NAME: 'edge', TEST_DOWNSTREAM_URL: `${internal.url}/api/test/session` });
  try {
    const sessionIds = Array.from({ length: SESSIONS }, () => `sampling-${randomUUID()}`);
    const queue = [...sessionIds];
    const worker = async (): Promise<void> => {
      for (let sessionId = queue.shift(); sessionId !== undefined; sessionId = queue.shift()) {
        for (let request = 0; request < REQUESTS_PER_SESSION; request++) {
          const response = await fetch(`${edge.url}/api/test/call`, { headers: { 'x-session-id': sessionId } });
          // Sampled or not, the request keeps its session: in its answer and downstream.
          expect(response.status, sessionId).to.equal(200);
          expect(response.headers.get('x-session-id')).to.equal(sessionId);
          const body = (await response.json()) as { downstream: { sessionId: unknown } };
          expect(body.downstream.sessionId).to.equal(sessionId);
        }
      }
    };
    await Promise.all(Array.from({ length: CONCURRENCY }, worker));
    const mintedIds: string[] = [];
    for (let i = 0; i < MINTED; i++) {
      const response = await fetch(`${edge.url}/api/test/call`);
      expect(response.status).to.equal(200);
      mintedIds.push(response.headers.get('x-session-id')!);
      await response.arrayBuffer();
    }
    expect(await internal.stop()).to.equal(0);
    expect(await edge.stop()).to.equal(0);

    const tracesOf = (service: string, sessionId: string): Set<string> =>
      new Set(
        sink.spans
          .filter((span) => span.kind === SERVER_SPAN_KIND && span.service === service && span.attributes['session.id'] === sessionId)
          .map((span) => span.traceId),
      );
    const accessLines = edge.logLines().filter((line) => line['message'] === 'request completed');
    const outcome = (sessionId: string): SessionOutcome => ({
      sessionId,
      edgeTraces: tracesOf('edge', sessionId),
      internalTraces: tracesOf('internal', sessionId),
      accessLineFlags: accessLines.filter((line) => line['session.id'] === sessionId).map((line) => line['trace_flags']),
    });
    return { sessions: sessionIds.map(outcome), minted: mintedIds.map(outcome) };
  } finally {
    await Promise.all([edge.stop('SIGKILL'), internal.stop('SIGKILL')]);
    await sink.close();
  }
}

const isComplete = (outcome: SessionOutcome): boolean =>
  outcome.edgeTraces.size === REQUESTS_PER_SESSION &&
  outcome.internalTraces.size === REQUESTS_PER_SESSION &&
  [...outcome.edgeTraces].every((traceId) => outcome.internalTraces.has(traceId));
const isAbsent = (outcome: SessionOutcome): boolean => outcome.edgeTraces.size === 0 && outcome.internalTraces.size === 0;

describe(`session sampling: ${SESSIONS} sessions of ${REQUESTS_PER_SESSION} requests across an edge and an internal service, at ${RATIO}`, function () {
  this.timeout(180_000);

  it('traces every session completely in both services or not at all (parentbased_session_ratio)', async () => {
    const { sessions: outcomes, minted } = await runSessions('parentbased_session_ratio');
    const partial = outcomes.filter((outcome) => !isComplete(outcome) && !isAbsent(outcome));
    expect(partial.map((outcome) => outcome.sessionId), 'sessions traced in part').to.deep.equal([]);

    const kept = outcomes.filter(isComplete);
    const share = kept.length / SESSIONS;
    console.log(`      ${kept.length} of ${SESSIONS} sessions kept whole (${share.toFixed(3)}), ${SESSIONS - kept.length} absent from both services, 0 partial`);
    expect(share).to.be.within(0.17, 0.33);
    // Kept are exactly the sessions the rule keeps: the decision is the session id's.
    for (const outcome of outcomes) expect(isComplete(outcome), outcome.sessionId).to.equal(isSessionSampled(outcome.sessionId, RATIO));

    // A session that is not traced keeps its session everywhere else: its log lines carry it,
    // with trace_flags 00.
    for (const outcome of outcomes) {
      expect(outcome.accessLineFlags, outcome.sessionId).to.have.length(REQUESTS_PER_SESSION);
      for (const flags of outcome.accessLineFlags) expect(flags, outcome.sessionId).to.equal(isComplete(outcome) ? '01' : '00');
    }

    // A request without a session id: the edge decided by the id it then gave the request.
    for (const outcome of minted) {
      const traced = outcome.edgeTraces.size === 1 && outcome.internalTraces.size === 1;
      expect(traced || isAbsent(outcome), outcome.sessionId).to.equal(true);
      expect(traced, outcome.sessionId).to.equal(isSessionSampled(outcome.sessionId, RATIO));
    }
    expect(new Set(minted.map((outcome) => outcome.sessionId)).size).to.equal(MINTED);
  });

  it('shows sessions traced in part with parentbased_traceidratio (what the test tells apart)', async () => {
    const { sessions: outcomes } = await runSessions('parentbased_traceidratio');
    const partial = outcomes.filter((outcome) => !isComplete(outcome) && !isAbsent(outcome));
    const complete = outcomes.filter(isComplete);
    console.log(`      ${complete.length} complete, ${outcomes.filter(isAbsent).length} absent, ${partial.length} partial`);
    // At 0.25 per trace, a session of three requests is whole with probability 1/64 and
    // absent with 27/64: some 160 of 300 are partial; none would be a chance below 1e-70.
    expect(partial.length).to.be.greaterThan(0);
  });
});
