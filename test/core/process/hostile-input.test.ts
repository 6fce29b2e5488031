import { expect } from 'chai';
import { SignJWT } from 'jose';
import { SESSION_ID_PATTERN } from '../../../src/core/context/session-id.ts';
import { DEFAULT_ATTRIBUTE_VALUE_LENGTH_LIMIT } from '../../../src/core/telemetry/start-telemetry.ts';
import { SERVER_SPAN_KIND, startOtlpSink, waitForServerSpans, type OtlpSink } from '../support/otlp-sink.ts';
import { rawRequest, type RawResponse } from '../support/raw-http.ts';
import { startServiceProcess, type ServiceProcess } from '../support/service-process.ts';
import { accessLineTraceId, waitForLogLines } from '../support/wait-for-log-lines.ts';

/** What a case must get back. */
type Expectation =
  | { readonly status: number; readonly session?: 'fresh' | 'none' }
  | { readonly status: number; readonly session: 'adopted'; readonly id: string };

interface HostileCase {
  readonly name: string;
  /** Request line and headers, CRLF-separated; sent byte for byte. */
  readonly head: string;
  readonly body?: string;
  readonly expect: Expectation;
}

const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-4[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}$/;
const FORGED = '{"level":"error","message":"forged"}';
const SECRET = 'development-only-secret-do-not-deploy';
const LONG_USER_AGENT_CASE = 'user agent of 8 KiB';
const utf8AsLatin1 = (text: string): string => Buffer.from(text, 'utf8').toString('latin1');
const get = (...headers: string[]): string => ['GET /api/session HTTP/1.1', 'Host: service', ...headers].join('\r\n');
const postLogin = (...headers: string[]): string =>
  ['POST /api/login HTTP/1.1', 'Host: service', 'Content-Type: application/json', ...headers].join('\r\n');

async function token(payload: { sub: string; expiresAt: number }, secret = SECRET): Promise<string> {
  return new SignJWT({ sub: payload.sub })
    .setProtectedHeader({ alg: 'HS256' })
    .setExpirationTime(payload.expiresAt)
    .sign(new TextEncoder().encode(secret));
}

async function cases(): Promise<HostileCase[]> {
  const now = Math.floor(Date.now() / 1000);
  const fresh = { status: 200, session: 'fresh' } as const;
  const rejectedByParser = { status: 400, session: 'none' } as const;
  const tooLarge = { status: 431, session: 'none' } as const;
  return [
    // Session ids in the x-session-id header.
    { name: 'session id with CRLF splitting the header', head: get('x-session-id: abc\r\nx-evil: 1'), expect: fresh },
    { name: 'session id with a bare LF', head: get('x-session-id: abcdefgh\nx-evil: 1'), expect: rejectedByParser },
    { name: 'session id with NUL', head: get('x-session-id: abcdefgh\u0000zz'), expect: rejectedByParser },
    { name: 'session id with DEL', head: get('x-session-id: abcdefgh\u007f'), expect: rejectedByParser },
    { name: 'session id with =', head: get('x-session-id: abcd=efgh'), expect: fresh },
    { name: 'session id with a space', head: get('x-session-id: abcd efgh'), expect: fresh },
    { name: 'session id with a tab', head: get('x-session-id: abcd\tefgh'), expect: fresh },
    { name: 'session id with ; and ,', head: get('x-session-id: abcd;efgh,ijkl'), expect: fresh },
    { name: 'session id in UTF-8', head: get(`x-session-id: ${utf8AsLatin1('sessión-0001')}`), expect: fresh },
    { name: 'session id in Latin-1', head: get('x-session-id: sessi\u00f3n-0001'), expect: fresh },
    { name: 'session id of 129 characters', head: get(`x-session-id: ${'a'.repeat(129)}`), expect: fresh },
    { name: 'session id of 4 KiB', head: get(`x-session-id: ${'a'.repeat(4096)}`), expect: fresh },
    { name: 'session id of 7 characters', head: get('x-session-id: abcdefg'), expect: fresh },
    { name: 'empty session id', head: get('x-session-id: '), expect: fresh },
    { name: 'repeated x-session-id headers', head: get('x-session-id: aaaaaaaa1', 'x-session-id: bbbbbbbb2'), expect: fresh },
    { name: 'session id forging a log line', head: get(`x-session-id: ${FORGED}`), expect: fresh },
    { name: 'valid session id of 128 characters (control)', head: get(`x-session-id: ${'b'.repeat(128)}`), expect: { status: 200, session: 'adopted', id: 'b'.repeat(128) } },
    { name: 'valid session id with padding spaces (control)', head: get('x-session-id:    padded-0001   '), expect: { status: 200, session: 'adopted', id: 'padded-0001' } },
    // Baggage.
    { name: 'baggage of 64 KiB', head: get(`baggage: k=${'v'.repeat(65536)}`), expect: tooLarge },
    { name: 'baggage of 500 members, session.id last (beyond the W3C 180)', head: get(`baggage: ${Array.from({ length: 500 }, (_, i) => `k${i}=v`).join(',')},session.id=from-huge-baggage`), expect: fresh },
    { name: 'baggage with broken percent-encoding', head: get('baggage: session.id=%E0%A4%A'), expect: fresh },
    { name: 'baggage session.id decoding to CRLF', head: get('baggage: session.id=abcd%0D%0Aefgh'), expect: fresh },
    { name: 'baggage session.id with =', head: get('baggage: session.id=abcd=efgh'), expect: fresh },
    { name: 'baggage of delimiters only', head: get('baggage: ;;;,,,===,;'), expect: fresh },
    { name: 'baggage with user.id from an untrusted client', head: get('baggage: user.id=mallory,session.id=bag-session-01'), expect: { status: 200, session: 'adopted', id: 'bag-session-01' } },
    // Trace context.
    { name: 'malformed traceparent', head: get('traceparent: zz'), expect: fresh },
    { name: 'traceparent with an all-zero trace id', head: get('traceparent: 00-00000000000000000000000000000000-0000000000000001-01'), expect: fresh },
    { name: 'traceparent of version ff', head: get('traceparent: ff-0af7651916cd43dd8448eb211c80319c-b7ad6b7169203331-01'), expect: fresh },
    { name: 'traceparent of 2 KiB', head: get(`traceparent: 00-${'a'.repeat(2048)}`), expect: fresh },
    { name: 'tracestate of 4 KiB', head: get(`tracestate: ${'k=v,'.repeat(1024)}`), expect: fresh },
    // Bodies.
    { name: 'JSON body over the limit', head: postLogin(), body: JSON.stringify({ userId: 'x'.repeat(200_000) }), expect: { status: 413 } },
    { name: 'invalid JSON', head: postLogin(), body: '{"userId": ', expect: { status: 400 } },
    { name: 'JSON forging a log line', head: postLogin(), body: `{"userId":"a"}\n${FORGED}`, expect: { status: 400 } },
    { name: 'userId that is a number', head: postLogin(), body: '{"userId":42}', expect: { status: 400 } },
    { name: 'userId with CRLF', head: postLogin(), body: JSON.stringify({ userId: 'eve\r\nlevel: error' }), expect: { status: 400 } },
    { name: 'userId of 129 characters', head: postLogin(), body: JSON.stringify({ userId: 'u'.repeat(129) }), expect: { status: 400 } },
    { name: 'empty body', head: postLogin(), body: '', expect: { status: 400 } },
    { name: 'body with an unsupported charset', head: ['POST /api/login HTTP/1.1', 'Host: service', 'Content-Type: application/json; charset=ebcdic'].join('\r\n'), body: '{}', expect: { status: 415 } },
    // Tokens.
    { name: 'garbage bearer token', head: get('Authorization: Bearer not.a.token'), expect: { status: 401 } },
    { name: 'expired token', head: get(`Authorization: Bearer ${await token({ sub: 'alice', expiresAt: now - 60 })}`), expect: { status: 401 } },
    { name: 'token signed with another secret', head: get(`Authorization: Bearer ${await token({ sub: 'alice', expiresAt: now + 60 }, 'x'.repeat(40))}`), expect: { status: 401 } },
    { name: 'unsigned token (alg none)', head: get(`Authorization: Bearer ${Buffer.from('{"alg":"none"}').toString('base64url')}.${Buffer.from(`{"sub":"alice","exp":${now + 60}}`).toString('base64url')}.`), expect: { status: 401 } },
    { name: 'Basic instead of Bearer', head: get('Authorization: Basic YWxpY2U6cHc='), expect: { status: 401 } },
    { name: 'bearer token of 8 KiB', head: get(`Authorization: Bearer ${'a'.repeat(8192)}`), expect: { status: 401 } },
    { name: 'valid token (control)', head: get(`Authorization: Bearer ${await token({ sub: 'alice', expiresAt: now + 60 })}`), expect: fresh },
    // Request line and header section.
    { name: '2,001 headers', head: get(...Array.from({ length: 2001 }, (_, i) => `x-h${i}: v`)), expect: tooLarge },
    { name: 'header section over 16 KiB', head: get(`x-big: ${'a'.repeat(17_000)}`), expect: tooLarge },
    { name: 'unknown method', head: 'FOO /api/session HTTP/1.1\r\nHost: service', expect: rejectedByParser },
    { name: 'space in the path', head: 'GET /a b HTTP/1.1\r\nHost: service', expect: rejectedByParser },
    { name: 'encoded CRLF and a forged line in the path', head: `GET /api/x%0d%0a${encodeURIComponent(FORGED)} HTTP/1.1\r\nHost: service`, expect: { status: 404, session: 'fresh' } },
    { name: LONG_USER_AGENT_CASE, head: get(`User-Agent: ${'u'.repeat(8192)}`), expect: fresh },
    { name: 'path of 4 KiB', head: `GET /${'p'.repeat(4096)} HTTP/1.1\r\nHost: service`, expect: { status: 404, session: 'fresh' } },
    { name: 'broken percent-encoding in the path', head: 'GET /api/%zz HTTP/1.1\r\nHost: service', expect: { status: 404, session: 'fresh' } },
  ];
}

describe('hostile input, sent byte for byte to the running service', function () {
  this.timeout(120_000);

  let sink: OtlpSink;
  let service: ServiceProcess;
  const results: { testCase: HostileCase; response: RawResponse }[] = [];

  before(async () => {
    sink = await startOtlpSink();
    service = await startServiceProcess({
      OTEL_EXPORTER_OTLP_ENDPOINT: sink.endpoint,
      OTEL_EXPORTER_OTLP_PROTOCOL: 'http/json',
      OTEL_BSP_SCHEDULE_DELAY: '100',
      LOG_LEVEL: 'debug',
    });
    const port = Number(new URL(service.url).port);
    for (const testCase of await cases()) results.push({ testCase, response: await rawRequest(port, testCase.head, testCase.body) });
  });

  after(async () => {
    await service.stop();
    await sink.close();
  });

  /**
   * The trace ids of the requests that reached the app (those the session middleware answered
   * with an x-session-id); each must carry one, else what the checks below wait for is unknown.
   */
  const tracedRequests = (): string[] => {
    const reachedTheApp = results.filter(({ response }) => response.headers['x-session-id'] !== undefined);
    expect(reachedTheApp.length, 'requests that reached the app').to.be.at.least(25);
    const untraced = reachedTheApp.filter(({ response }) => response.headers['x-trace-id'] === undefined);
    expect(untraced.map(({ testCase }) => testCase.name), 'answered without an x-trace-id').to.deep.equal([]);
    return reachedTheApp.map(({ response }) => response.headers['x-trace-id']!);
  };

  it('has at least 40 cases', () => {
    expect(results.length).to.be.at.least(40);
    console.log(`      ${results.length} hostile requests sent`);
  });

  it('answers each with its documented status, replacing invalid session ids with fresh ones', () => {
    const wrong: string[] = [];
    for (const { testCase, response } of results) {
      const sessionHeader = response.headers['x-session-id'];
      const expected = testCase.expect;
      let ok = response.status === expected.status;
      if ('session' in expected && expected.session === 'fresh') ok &&= UUID.test(sessionHeader ?? '');
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
    const longUserAgent = results.find(({ testCase }) => testCase.name === LONG_USER_AGENT_CASE)!.response.headers['x-trace-id'];
    expect(longUserAgent, 'the trace id of the 8 KiB user agent request').to.be.a('string');
    const byTrace = await waitForServerSpans(sink, tracedRequests(), 20_000);
    let longest = 0;
    for (const span of sink.spans) {
      for (const value of Object.values(span.attributes)) longest = Math.max(longest, String(value).length);
      expect(SESSION_ID_PATTERN.test(String(span.attributes['session.id'])), span.name).to.equal(true);
    }
    expect(longest).to.be.at.most(DEFAULT_ATTRIBUTE_VALUE_LENGTH_LIMIT);
    const serverSpan = byTrace.get(longUserAgent!)!.find((span) => span.kind === SERVER_SPAN_KIND)!;
    expect(String(serverSpan.attributes['user_agent.original']), 'the 8 KiB user agent, cut to the limit').to.equal(
      'u'.repeat(DEFAULT_ATTRIBUTE_VALUE_LENGTH_LIMIT),
    );
    console.log(`      ${sink.spans.length} spans, longest attribute ${longest} characters`);
  });
});
