import { expect } from 'chai';
import { deriveSessionId } from '../../../src/core/context/derive-session-id.ts';
import { isSessionSampled } from '../../../src/core/telemetry/session-bridge/session-ratio-sampler.ts';
import { TEST_DERIVATION_SECRET, TEST_LOGIN_HEADER, type DerivedSessionResult } from '../support/fixtures/derived-session-routes.ts';
import { SERVER_SPAN_KIND, startOtlpSink, type SinkLogRecord, type SinkSpan } from '../support/otlp-sink.ts';
import { startServiceProcess } from '../support/service-process.ts';

const RATIO = 0.5;
const REQUESTS_PER_LOGIN = 20;

/** A login whose derived session id the rule keeps (`kept` true) or drops. */
function loginWhere(kept: boolean): string {
  for (let i = 0; ; i++) {
    const login = `login-${kept ? 'kept' : 'dropped'}-${i}`;
    if (isSessionSampled(deriveSessionId(login, TEST_DERIVATION_SECRET), RATIO) === kept) return login;
  }
}

interface Run {
  readonly spans: readonly SinkSpan[];
  /** The edge's access lines. */
  readonly accessLines: readonly Record<string, unknown>[];
  /** The edge's exported access records. */
  readonly accessRecords: readonly SinkLogRecord[];
  /** Per login, the answers of its requests and the request traces' ids (the x-trace-id header). */
  readonly answers: ReadonlyMap<string, readonly { result: DerivedSessionResult; requestTraceId: string; requestSessionId: string }[]>;
}

/**
 * An untrusted edge (sampling sessions at RATIO, calling a trusted internal service that
 * samples the same way) gets REQUESTS_PER_LOGIN requests on `path` for a login whose derived
 * session the rule keeps and for one it drops, none with a session id: each request starts
 * with a new random session, and the route derives the session from the login after the
 * request's server span started. Returns what both services exported once they exited.
 */
async function run(path: string): Promise<Run> {
  const sink = await startOtlpSink();
  const exportEnv = {
    OTEL_EXPORTER_OTLP_ENDPOINT: sink.endpoint,
    OTEL_EXPORTER_OTLP_PROTOCOL: 'http/json',
    OTEL_TRACES_SAMPLER: 'parentbased_session_ratio',
    OTEL_TRACES_SAMPLER_ARG: String(RATIO),
  };
  const internal = await startServiceProcess({ ...exportEnv, OTEL_SERVICE_NAME: 'internal', TRUST_INCOMING_BAGGAGE: 'true' });
  const edge = await startServiceProcess({ ...exportEnv, OTEL_SERVICE_NAME: 'edge', TEST_DOWNSTREAM_URL: `${internal.url}/api/test/session` });
  try {
    const answers = new Map<string, { result: DerivedSessionResult; requestTraceId: string; requestSessionId: string }[]>();
    for (const login of [loginWhere(true), loginWhere(false)]) {
      const ofLogin: { result: DerivedSessionResult; requestTraceId: string; requestSessionId: string }[] = [];
      for (let i = 0; i < REQUESTS_PER_LOGIN; i++) {
        const response = await fetch(`${edge.url}${path}`, { headers: { [TEST_LOGIN_HEADER]: login } });
        expect(response.status).to.equal(200);
        const result = (await response.json()) as DerivedSessionResult;
        expect(result.downstreamStatus).to.equal(200);
        ofLogin.push({ result, requestTraceId: response.headers.get('x-trace-id')!, requestSessionId: response.headers.get('x-session-id')! });
      }
      answers.set(login, ofLogin);
    }
    expect(await internal.stop()).to.equal(0);
    expect(await edge.stop()).to.equal(0);
    return {
      spans: [...sink.spans],
      answers,
      accessLines: edge.logLines().filter((line) => line['message'] === 'request completed'),
      accessRecords: sink.logRecords.filter((record) => record.service === 'edge' && record.body === 'request completed'),
    };
  } finally {
    await Promise.all([edge.stop('SIGKILL'), internal.stop('SIGKILL')]);
    await sink.close();
  }
}

const spansOfTrace = (spans: readonly SinkSpan[], traceId: string): SinkSpan[] => spans.filter((span) => span.traceId === traceId);
const names = (spans: readonly SinkSpan[]): string[] => spans.map((span) => `${span.service}: ${span.name}`).sort();

describe(`session sampling of a session id decided after the request started, ${REQUESTS_PER_LOGIN} requests a session at ${RATIO}`, function () {
  this.timeout(120_000);

  it('traces every request of a session derived with setByKey, or none: the id the request ends with decides', async () => {
    const { spans, answers, accessLines, accessRecords } = await run('/api/test/derived-session');
    for (const [login, requests] of answers) {
      const derived = requests[0]!.result.derivedSessionId;
      const kept = isSessionSampled(derived, RATIO);
      const traced = requests.filter(({ requestTraceId }) => spansOfTrace(spans, requestTraceId).length > 0);
      console.log(`      ${login}: ${traced.length} of ${requests.length} requests traced (the rule ${kept ? 'keeps' : 'drops'} the session)`);
      expect(traced.length, login).to.equal(kept ? REQUESTS_PER_LOGIN : 0);
      // The access line, written as the request ends, tells whether its trace is kept.
      const flags = accessLines.filter((line) => line['session.id'] === derived).map((line) => line['trace_flags']);
      expect(flags, login).to.deep.equal(Array.from({ length: REQUESTS_PER_LOGIN }, () => (kept ? '01' : '00')));
      // So does its exported record: a dropped session's record points at no trace kept.
      const recordFlags = accessRecords.filter((record) => record.attributes['session.id'] === derived).map((record) => record.flags & 1);
      expect(recordFlags, login).to.deep.equal(Array.from({ length: REQUESTS_PER_LOGIN }, () => (kept ? 1 : 0)));
      for (const { result, requestTraceId, requestSessionId } of requests) {
        expect(result.sessionId).to.equal(derived);
        // The answer names the session the request ended in.
        expect(requestSessionId).to.equal(derived);
        if (!kept) continue;
        // Whole: the span that ended before the id was derived, the server span, the call
        // and the internal service's span, every one with the trace's session.
        const ofTrace = spansOfTrace(spans, requestTraceId);
        expect(names(ofTrace), requestTraceId).to.deep.equal(['edge: GET', 'edge: GET /api/test/derived-session', 'edge: look up the login', 'internal: GET /api/test/session']);
        const serverSpans = ofTrace.filter((span) => span.kind === SERVER_SPAN_KIND);
        for (const span of serverSpans) expect(span.attributes['session.id'], span.name).to.equal(derived);
      }
    }
    expect(spans.filter((span) => span.attributes['session.id'] === deriveSessionId(loginWhere(false), TEST_DERIVATION_SECRET))).to.deep.equal([]);
  });

  it('traces every run of a session started with runWithSession inside a request, or none, in traces of its own', async () => {
    const { spans, answers } = await run('/api/test/derived-job');
    for (const [login, requests] of answers) {
      const derived = requests[0]!.result.derivedSessionId;
      const kept = isSessionSampled(derived, RATIO);
      const traced = requests.filter(({ result }) => spansOfTrace(spans, result.derivedTraceId!).length > 0);
      console.log(`      ${login}: ${traced.length} of ${requests.length} runs traced (the rule ${kept ? 'keeps' : 'drops'} the session)`);
      expect(traced.length, login).to.equal(kept ? REQUESTS_PER_LOGIN : 0);
      for (const { result, requestTraceId, requestSessionId } of requests) {
        // The run is a trace of its own, not a part of the request's.
        expect(result.derivedTraceId).to.not.equal(requestTraceId);
        // The request's own trace belongs to the request's session, decided by it.
        const requestSpans = spansOfTrace(spans, requestTraceId);
        expect(names(requestSpans), requestTraceId).to.deep.equal(isSessionSampled(requestSessionId, RATIO) ? ['edge: GET /api/test/derived-job'] : []);
        if (!kept) continue;
        const ofRun = spansOfTrace(spans, result.derivedTraceId!);
        expect(names(ofRun)).to.deep.equal(['edge: GET', 'edge: derived work', 'internal: GET /api/test/session']);
        for (const span of ofRun) expect(span.attributes['session.id'], span.name).to.equal(derived);
        // Its root links back to the request's server span.
        const root = ofRun.find((span) => span.name === 'derived work')!;
        expect(root.parentSpanId).to.equal('');
        expect(root.links.map((link) => link.traceId)).to.deep.equal([requestTraceId]);
      }
    }
  });
});
