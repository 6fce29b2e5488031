import { expect } from 'chai';
import { DEFAULT_ATTRIBUTE_VALUE_LENGTH_LIMIT } from '../../../src/core/telemetry/sdk/start-telemetry.ts';
import { describeHostileInput, FORGED_LOG_LINE, requestHead, utf8AsLatin1, type HostileCase } from '../support/hostile-input.ts';
import { SERVER_SPAN_KIND, waitForServerSpans } from '../support/otlp-sink.ts';

const LONG_USER_AGENT_CASE = 'user agent of 8 KiB';
const get = (...headers: string[]): string => requestHead('GET /api/test/session HTTP/1.1', ...headers);
/** A JSON body to the fixture's route that reads one, as any service's JSON route would get it. */
const postJson = (...headers: string[]): string => requestHead('POST /api/test/user HTTP/1.1', 'Content-Type: application/json', ...headers);

function cases(): Promise<HostileCase[]> {
  const fresh = { status: 200, session: 'fresh' } as const;
  const rejectedByParser = { status: 400, session: 'none' } as const;
  const tooLarge = { status: 431, session: 'none' } as const;
  return Promise.resolve([
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
    { name: 'session id forging a log line', head: get(`x-session-id: ${FORGED_LOG_LINE}`), expect: fresh },
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
    { name: 'JSON body over the limit', head: postJson(), body: JSON.stringify({ userId: 'x'.repeat(200_000) }), expect: { status: 413 } },
    { name: 'invalid JSON', head: postJson(), body: '{"userId": ', expect: { status: 400 } },
    { name: 'JSON forging a log line', head: postJson(), body: `{"userId":"a"}\n${FORGED_LOG_LINE}`, expect: { status: 400 } },
    { name: 'empty body', head: postJson(), body: '', expect: { status: 400 } },
    { name: 'body with an unsupported charset', head: requestHead('POST /api/test/user HTTP/1.1', 'Content-Type: application/json; charset=ebcdic'), body: '{}', expect: { status: 415 } },
    // Request line and header section.
    { name: '2,001 headers', head: get(...Array.from({ length: 2001 }, (_, i) => `x-h${i}: v`)), expect: tooLarge },
    { name: 'header section over 16 KiB', head: get(`x-big: ${'a'.repeat(17_000)}`), expect: tooLarge },
    { name: 'unknown method', head: requestHead('FOO /api/test/session HTTP/1.1'), expect: rejectedByParser },
    { name: 'space in the path', head: requestHead('GET /a b HTTP/1.1'), expect: rejectedByParser },
    { name: 'encoded CRLF and a forged line in the path', head: requestHead(`GET /api/x%0d%0a${encodeURIComponent(FORGED_LOG_LINE)} HTTP/1.1`), expect: { status: 404, session: 'fresh' } },
    { name: LONG_USER_AGENT_CASE, head: get(`User-Agent: ${'u'.repeat(8192)}`), expect: fresh },
    { name: 'path of 4 KiB', head: requestHead(`GET /${'p'.repeat(4096)} HTTP/1.1`), expect: { status: 404, session: 'fresh' } },
    { name: 'broken percent-encoding in the path', head: requestHead('GET /api/%zz HTTP/1.1'), expect: { status: 404, session: 'fresh' } },
  ]);
}

describeHostileInput('hostile input, sent byte for byte to a running service', {
  cases,
  minimumCases: 40,
  minimumReachingApp: 25,
  moreChecks: (run) => {
    it(`cuts an 8 KiB user agent to ${DEFAULT_ATTRIBUTE_VALUE_LENGTH_LIMIT} characters on the server span`, async () => {
      const traceId = run().results.find(({ testCase }) => testCase.name === LONG_USER_AGENT_CASE)!.response.headers['x-trace-id'];
      expect(traceId, 'the trace id of the 8 KiB user agent request').to.be.a('string');
      const byTrace = await waitForServerSpans(run().sink, [traceId!], 20_000);
      const serverSpan = byTrace.get(traceId!)!.find((span) => span.kind === SERVER_SPAN_KIND)!;
      expect(String(serverSpan.attributes['user_agent.original']), 'the 8 KiB user agent, cut to the limit').to.equal(
        'u'.repeat(DEFAULT_ATTRIBUTE_VALUE_LENGTH_LIMIT),
      );
    });
  },
});
