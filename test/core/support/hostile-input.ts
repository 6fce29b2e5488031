import { expect } from 'chai';
import { SESSION_ID_PATTERN } from '../../../src/core/context/session-id.ts';
import { DEFAULT_ATTRIBUTE_VALUE_LENGTH_LIMIT } from '../../../src/core/telemetry/sdk/start-telemetry.ts';
import { startOtlpSink, waitForServerSpans, type OtlpSink } from './otlp-sink.ts';
import { rawRequest, type RawResponse } from './raw-http.ts';
import { startServiceProcess, testServiceCommand, type ServiceProcess } from './service-process.ts';
import { accessLineTraceId, waitForLogLines } from './wait-for-log-lines.ts';

/**
 * What a hostile request must get back: a status and, where the session middleware answered,
 * a `fresh` session id (the input's was refused), the `adopted` one, or `none` checked.
 */
export type HostileExpectation =
  | { readonly status: number; readonly session?: 'fresh' | 'none' }
  | { readonly status: number; readonly session: 'adopted'; readonly id: string };

/** One hostile request, sent byte for byte. */
export interface HostileCase {
  readonly name: string;
  /** Request line and headers, CRLF-separated, without the blank line (see {@link requestHead}). */
  readonly head: string;
  readonly body?: string;
  readonly expect: HostileExpectation;
}

/** One case and what the service answered it. */
export interface HostileResult {
  readonly testCase: HostileCase;
  readonly response: RawResponse;
}

/** What the checks of a suite see once every case has been sent. */
export interface HostileRun {
  readonly service: ServiceProcess;
  readonly sink: OtlpSink;
  readonly results: readonly HostileResult[];
  /**
   * The trace ids of the requests that reached the app (the session middleware answered them
   * with an x-session-id); asserts that there are at least the suite's minimum and that each
   * carries an x-trace-id, else what the checks wait for is unknown.
   */
  tracedRequests(): string[];
}

/** Options of {@link describeHostileInput}. */
export interface HostileInputOptions {
  /** The cases, built when the suite runs (tokens may need the clock). */
  readonly cases: () => Promise<readonly HostileCase[]>;
  /** The suite fails when it has fewer cases: a guard against an emptied list. */
  readonly minimumCases: number;
  /** How many of the cases must reach the app (see {@link HostileRun.tracedRequests}). */
  readonly minimumReachingApp: number;
  /** The service to start. Default: the core's fixture service ({@link testServiceCommand}). */
  readonly command?: readonly string[];
  /** Registers checks of the suite's own, inside its `describe`; `run()` is valid inside them. */
  readonly moreChecks?: (run: () => HostileRun) => void;
}

/** A log line a hostile input tries to forge; it must never appear as a line of its own. */
export const FORGED_LOG_LINE = '{"level":"error","message":"forged"}';

/** A fresh session id: a random UUID. */
const FRESH_SESSION_ID = /^[0-9a-f]{8}-[0-9a-f]{4}-4[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}$/;

/** The UTF-8 bytes of `text` as a Latin-1 string: how a raw client sends non-ASCII in a header. */
export const utf8AsLatin1 = (text: string): string => Buffer.from(text, 'utf8').toString('latin1');

/** `requestLine`, a `Host` header and `headers`, CRLF-separated, for {@link HostileCase.head}. */
export function requestHead(requestLine: string, ...headers: string[]): string {
  return [requestLine, 'Host: service', ...headers].join('\r\n');
}

/**
 * A suite that starts the service (exporting OTLP/JSON to a local sink, LOG_LEVEL=debug),
 * sends every case byte for byte, one connection each, and then checks what holds for any
 * input: each case gets its documented status; no invalid session id is echoed and no stack
 * trace returned; the service still serves; every log line is one parseable JSON object, none
 * forged and none an error; every span attribute stays within the attribute length limit and
 * every `session.id` is valid.
 */
export function describeHostileInput(title: string, options: HostileInputOptions): void {
  describe(title, function () {
    this.timeout(120_000);

    let sink: OtlpSink;
    let service: ServiceProcess;
    const results: HostileResult[] = [];
    const tracedRequests = (): string[] => {
      const reachedTheApp = results.filter(({ response }) => response.headers['x-session-id'] !== undefined);
      expect(reachedTheApp.length, 'requests that reached the app').to.be.at.least(options.minimumReachingApp);
      const untraced = reachedTheApp.filter(({ response }) => response.headers['x-trace-id'] === undefined);
      expect(untraced.map(({ testCase }) => testCase.name), 'answered without an x-trace-id').to.deep.equal([]);
      return reachedTheApp.map(({ response }) => response.headers['x-trace-id']!);
    };
    const run = (): HostileRun => ({ service, sink, results, tracedRequests });

    before(async () => {
      sink = await startOtlpSink();
      service = await startServiceProcess(
        { OTEL_EXPORTER_OTLP_ENDPOINT: sink.endpoint, OTEL_EXPORTER_OTLP_PROTOCOL: 'http/json', OTEL_BSP_SCHEDULE_DELAY: '100', LOG_LEVEL: 'debug' },
        options.command ?? testServiceCommand(),
      );
      const port = Number(new URL(service.url).port);
      for (const testCase of await options.cases()) results.push({ testCase, response: await rawRequest(port, testCase.head, testCase.body) });
    });

    after(async () => {
      await service.stop();
      await sink.close();
    });

    it(`has at least ${options.minimumCases} cases`, () => {
      expect(results.length).to.be.at.least(options.minimumCases);
      console.log(`      ${results.length} hostile requests sent`);
    });

    it('answers each with its documented status, replacing invalid session ids with fresh ones', () => {
      const wrong: string[] = [];
      for (const { testCase, response } of results) {
        const sessionHeader = response.headers['x-session-id'];
        const expected = testCase.expect;
        let ok = response.status === expected.status;
        if ('session' in expected && expected.session === 'fresh') ok &&= FRESH_SESSION_ID.test(sessionHeader ?? '');
        if ('session' in expected && expected.session === 'adopted') ok &&= sessionHeader === expected.id;
        if (!ok) wrong.push(`${testCase.name}: got ${response.status} ${sessionHeader ?? '(no x-session-id)'}`);
      }
      expect(wrong).to.deep.equal([]);
    });

    it('never echoes an invalid session id in a header and never returns a stack trace', () => {
      for (const { testCase, response } of results) {
        const sessionHeader = response.headers['x-session-id'];
        if (sessionHeader !== undefined) expect(SESSION_ID_PATTERN.test(sessionHeader), testCase.name).to.equal(true);
        expect(response.body, testCase.name).not.to.match(/\n\s+at |node:internal/);
      }
    });

    it('is still alive and serving afterwards', async () => {
      expect(service.child.exitCode).to.equal(null);
      expect((await fetch(`${service.url}/healthz`)).status).to.equal(200);
    });

    it('writes one parseable JSON object per log line: no input starts a line or forges a field', async () => {
      // Each request's access line is its last line, written on 'finish': once every traced
      // request's access line is read, every line those requests wrote is.
      await waitForLogLines(service, 'the access line of every request that reached the app', tracedRequests(), accessLineTraceId, 20_000);
      const lines = service.logLines();
      expect(lines.filter((line) => 'unparsed' in line)).to.deep.equal([]);
      expect(lines.filter((line) => line['message'] === 'forged')).to.deep.equal([]);
      expect(lines.filter((line) => line['level'] === 'error')).to.deep.equal([]);
      for (const line of lines) {
        const sessionId = line['session.id'];
        if (sessionId !== undefined) expect(typeof sessionId === 'string' && SESSION_ID_PATTERN.test(sessionId)).to.equal(true);
      }
    });

    it(`keeps every span attribute within ${DEFAULT_ATTRIBUTE_VALUE_LENGTH_LIMIT} characters and every session.id valid`, async () => {
      await waitForServerSpans(sink, tracedRequests(), 20_000);
      let longest = 0;
      for (const span of sink.spans) {
        for (const value of Object.values(span.attributes)) longest = Math.max(longest, String(value).length);
        expect(SESSION_ID_PATTERN.test(String(span.attributes['session.id'])), span.name).to.equal(true);
      }
      expect(longest).to.be.at.most(DEFAULT_ATTRIBUTE_VALUE_LENGTH_LIMIT);
      console.log(`      ${sink.spans.length} spans, longest attribute ${longest} characters`);
    });

    options.moreChecks?.(run);
  });
}
