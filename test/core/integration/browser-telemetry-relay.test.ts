import { once } from 'node:events';
import { connect } from 'node:net';
import { OTLPLogExporter } from '@opentelemetry/exporter-logs-otlp-http';
import { OTLPTraceExporter } from '@opentelemetry/exporter-trace-otlp-http';
import { resourceFromAttributes } from '@opentelemetry/resources';
import { LoggerProvider, SimpleLogRecordProcessor } from '@opentelemetry/sdk-logs';
import { SimpleSpanProcessor, TracerProvider } from '@opentelemetry/sdk-trace';
import { expect } from 'chai';
import { registeredTelemetry, type BrowserRelayCounts } from '../../../src/core/index.ts';
import { spanExporter } from '../support/integration-preload.ts';
import { startOtlpSink, type OtlpSink, type SinkAnswer } from '../support/otlp-sink.ts';
import { closedPort } from '../support/ports.ts';
import { waitFor } from '../support/service-process.ts';
import { spansOfTrace } from '../support/spans.ts';
import { request, startTestApp, type TestApp } from '../support/test-app.ts';
import { waitForLogLine } from '../support/wait-for-log-lines.ts';

type Attribute = { key: string; value: { stringValue: string } };
const text = (key: string, value: string): Attribute => ({ key, value: { stringValue: value } });

/** A browser's trace export as its OTLP/HTTP JSON exporter shapes it, claiming to be `api` and `alice`. */
function traceBatch(sessionId: string, spanName = 'documentLoad'): Record<string, unknown> {
  return {
    resourceSpans: [
      {
        resource: { attributes: [text('service.name', 'api'), text('user.id', 'alice'), text('telemetry.sdk.language', 'webjs')] },
        scopeSpans: [
          {
            scope: { name: '@opentelemetry/instrumentation-document-load', attributes: [text('user.id', 'alice')] },
            spans: [
              {
                traceId: '5b8efff798038103d269b633813fc60c',
                spanId: 'eee19b7ec3c1b174',
                name: spanName,
                kind: 1,
                startTimeUnixNano: '1700000000000000000',
                endTimeUnixNano: '1700000000100000000',
                attributes: [text('session.id', sessionId), text('user.id', 'alice')],
                events: [{ timeUnixNano: '1700000000050000000', name: 'domInteractive', attributes: [text('user.id', 'alice')] }],
                status: {},
              },
            ],
          },
        ],
      },
    ],
  };
}

/** A browser's log export (a `session.start` event) claiming to be `orders` and `bob`. */
function logBatch(sessionId: string): Record<string, unknown> {
  return {
    resourceLogs: [
      {
        resource: { attributes: [text('service.name', 'orders')] },
        scopeLogs: [
          {
            scope: { name: 'browser-session' },
            logRecords: [
              {
                timeUnixNano: '1700000000000000000',
                eventName: 'session.start',
                body: { stringValue: 'session.start' },
                attributes: [text('session.id', sessionId), text('user.id', 'bob')],
              },
            ],
          },
        ],
      },
    ],
  };
}

/** Posts `body` to the relay path of `signal` the way the browser's exporter does (a fetch, tracing suppressed here). */
function post(app: TestApp, signal: 'traces' | 'logs', body: string | Record<string, unknown>, headers: Record<string, string> = {}): Promise<Response> {
  return request(`${app.url}/otlp/v1/${signal}`, {
    method: 'POST',
    headers: { 'content-type': 'application/json', ...headers },
    body: typeof body === 'string' ? body : JSON.stringify(body),
  });
}

/** Asserts the relay's own JSON error answer: status, code, no stack, and no session header (the relay runs outside sessions). */
async function expectRelayError(response: Response, status: number, code: string): Promise<void> {
  expect(response.status, `status of ${code}`).to.equal(status);
  expect(response.headers.get('content-type')).to.match(/^application\/json/);
  const body = (await response.json()) as Record<string, unknown>;
  expect(body['error']).to.equal(code);
  expect(body['message']).to.be.a('string');
  expect(JSON.stringify(body)).not.to.match(/ at |stack/i);
  expect(response.headers.get('x-session-id')).to.equal(null);
}

async function readyzRelay(app: TestApp): Promise<BrowserRelayCounts> {
  const readyz = (await (await request(`${app.url}/readyz`)).json()) as { telemetry: { browserRelay: BrowserRelayCounts } };
  return readyz.telemetry.browserRelay;
}

/** A response read off a raw socket that the test leaves unfinished: the body never ends. */
async function postWithoutEnd(port: number, head: string, body: readonly Buffer[]): Promise<{ status: number; head: string }> {
  const socket = connect(port, '127.0.0.1');
  const chunks: Buffer[] = [];
  socket.on('data', (chunk: Buffer) => chunks.push(chunk));
  socket.on('error', () => undefined);
  socket.write(`${head}\r\n\r\n`);
  for (const chunk of body) socket.write(chunk);
  // Never the end of the body: the answer must come without it.
  await once(socket, 'close');
  const received = Buffer.concat(chunks).toString('latin1');
  const responseHead = received.split('\r\n\r\n')[0] ?? '';
  return { status: Number(/^HTTP\/1\.1 (\d{3})/.exec(responseHead)?.[1] ?? 0), head: responseHead.toLowerCase() };
}

function chunked(bytes: number, chunkSize: number): Buffer[] {
  const chunks: Buffer[] = [];
  for (let sent = 0; sent < bytes; sent += chunkSize) {
    const size = Math.min(chunkSize, bytes - sent);
    chunks.push(Buffer.from(`${size.toString(16)}\r\n${'a'.repeat(size)}\r\n`, 'latin1'));
  }
  return chunks;
}

const sinkAnswers = (answer: SinkAnswer): (() => SinkAnswer) => () => answer;

describe('browser telemetry relay', () => {
  let sink: OtlpSink;
  let app: TestApp;

  before(async () => {
    sink = await startOtlpSink();
    app = await startTestApp({ env: { BROWSER_TELEMETRY_OTLP_ENDPOINT: sink.endpoint }, browserTelemetry: true });
  });

  after(async () => {
    await app.close();
    await sink.close();
  });

  it('forwards a trace batch to the collector with service.name set to web and every user.id removed', async () => {
    const response = await post(app, 'traces', traceBatch('relay-session-0001'));
    expect(response.status).to.equal(200);
    expect(await response.json()).to.deep.equal({});
    const forwarded = sink.jsonRequests.filter(({ path }) => path === '/v1/traces').map(({ body }) => JSON.stringify(body));
    const ours = forwarded.filter((body) => body.includes('relay-session-0001'));
    expect(ours).to.have.length(1);
    expect(ours[0]).not.to.include('user.id');
    expect(ours[0]).not.to.include('alice');
    const span = sink.spans.find((candidate) => candidate.attributes['session.id'] === 'relay-session-0001');
    expect(span).to.include({ service: 'web', name: 'documentLoad', traceId: '5b8efff798038103d269b633813fc60c' });
  });

  it('forwards a log batch to /v1/logs with service.name set to web, user.id removed and session.id kept', async () => {
    const response = await post(app, 'logs', logBatch('relay-session-0002'));
    expect(response.status).to.equal(200);
    const record = sink.logRecords.find((candidate) => candidate.attributes['session.id'] === 'relay-session-0002');
    expect(record).to.not.equal(undefined);
    expect(record!.service).to.equal('web');
    expect(record!.attributes).to.deep.equal({ 'session.id': 'relay-session-0002' });
  });

  it('sends the collector nothing but the batch: no traceparent, no baggage, no header of the browser', async () => {
    const before = sink.headers.length;
    const response = await post(app, 'traces', traceBatch('relay-session-0003'), {
      traceparent: '00-0af7651916cd43dd8448eb211c80319c-b7ad6b7169203331-01',
      baggage: 'session.id=relay-session-0003,user.id=mallory',
      'x-session-id': 'relay-session-0003',
      cookie: 'sid=secret',
    });
    expect(response.status).to.equal(200);
    const headers = sink.headers.slice(before);
    expect(headers).to.have.length(1);
    expect(headers[0]).to.not.have.any.keys('traceparent', 'tracestate', 'baggage', 'x-session-id', 'cookie');
    expect(headers[0]!['content-type']).to.equal('application/json');
  });

  it('accepts what the OpenTelemetry OTLP/HTTP JSON exporters send, and overwrites their service name', async () => {
    const resource = resourceFromAttributes({ 'service.name': 'api', 'user.id': 'alice' });
    const tracerProvider = new TracerProvider({
      resource,
      spanProcessors: [new SimpleSpanProcessor({ exporter: new OTLPTraceExporter({ url: `${app.url}/otlp/v1/traces` }) })],
    });
    const loggerProvider = new LoggerProvider({
      resource,
      processors: [new SimpleLogRecordProcessor({ exporter: new OTLPLogExporter({ url: `${app.url}/otlp/v1/logs` }) })],
    });
    try {
      tracerProvider.getTracer('relay-test').startSpan('exported by the real exporter', { attributes: { 'session.id': 'relay-session-0004', 'user.id': 'alice' } }).end();
      loggerProvider.getLogger('relay-test').emit({ body: 'a real log record', attributes: { 'session.id': 'relay-session-0004', 'user.id': 'alice' } });
      await tracerProvider.forceFlush();
      await loggerProvider.forceFlush();
    } finally {
      await tracerProvider.shutdown();
      await loggerProvider.shutdown();
    }
    const span = sink.spans.find((candidate) => candidate.name === 'exported by the real exporter');
    expect(span?.service).to.equal('web');
    expect(span?.attributes).to.deep.equal({ 'session.id': 'relay-session-0004' });
    const record = sink.logRecords.find((candidate) => candidate.body === 'a real log record');
    expect(record?.service).to.equal('web');
    expect(record?.attributes).to.deep.equal({ 'session.id': 'relay-session-0004' });
  });

  it('records no span, neither a server span for the relay request nor a client span for the forward, and writes no access line', async () => {
    await registeredTelemetry().forceFlush();
    spanExporter.reset();
    const linesBefore = app.logLines().length;
    const relayed = await post(app, 'traces', traceBatch('relay-session-0005'));
    expect(relayed.status).to.equal(200);
    expect(relayed.headers.get('x-trace-id')).to.equal(null);
    expect(relayed.headers.get('x-session-id')).to.equal(null);
    // A traced request after it: once its spans are flushed, any span of the relay (ended
    // before its answer) would have been flushed with them.
    const marker = await request(`${app.url}/api/test/session`, { headers: { 'x-session-id': 'relay-marker-0005' } });
    const traceId = marker.headers.get('x-trace-id') ?? 'missing x-trace-id';
    await spansOfTrace(spanExporter, traceId);
    const others = spanExporter.getFinishedSpans().filter((span) => span.spanContext().traceId !== traceId);
    // The sink runs in this process too, a plain node:http server: nothing traces its receipts.
    expect(others.map((span) => ({ name: span.name, kind: span.kind, path: span.attributes['url.path'] }))).to.deep.equal([]);
    await waitForLogLine(app, 'the access line of the marker', (line) => line['trace_id'] === traceId && line['message'] === 'request completed');
    const newLines = app.logLines().slice(linesBefore);
    expect(newLines.map((line) => line['trace_id'])).to.deep.equal(newLines.map(() => traceId));
  });

  it('answers 415 unsupported_media_type when the body is not declared OTLP/HTTP JSON', async () => {
    const batch = JSON.stringify(traceBatch('relay-session-0006'));
    for (const contentType of ['text/plain', 'application/x-protobuf', 'application/json; charset=latin1', 'application/jsonp']) {
      await expectRelayError(await post(app, 'traces', batch, { 'content-type': contentType }), 415, 'unsupported_media_type');
    }
    const withoutType = await request(`${app.url}/otlp/v1/traces`, { method: 'POST', body: new Blob([batch]) });
    await expectRelayError(withoutType, 415, 'unsupported_media_type');
    expect((await post(app, 'traces', batch, { 'content-type': 'Application/JSON; charset=UTF-8' })).status).to.equal(200);
  });

  it('answers 415 unsupported_encoding when the body is compressed', async () => {
    await expectRelayError(await post(app, 'traces', JSON.stringify(traceBatch('relay-session-0007')), { 'content-encoding': 'gzip' }), 415, 'unsupported_encoding');
  });

  it('answers 400 invalid_otlp when the body is not an OTLP/JSON export of the signal posted', async () => {
    const invalid: [string, string][] = [
      ['not JSON', '{"resourceSpans": ['],
      ['empty', ''],
      ['a log batch to the traces path', JSON.stringify(logBatch('relay-session-0008'))],
      ['an extra field', JSON.stringify({ ...traceBatch('relay-session-0008'), extra: true })],
      ['an array', JSON.stringify([traceBatch('relay-session-0008')])],
      ['nested 100,000 deep', `{"resourceSpans":[${'['.repeat(100_000)}${']'.repeat(100_000)}]}`],
    ];
    for (const [what, body] of invalid) {
      const response = await post(app, 'traces', body);
      expect(response.status, what).to.equal(400);
      await expectRelayError(response, 400, 'invalid_otlp');
    }
    const invalidUtf8 = await request(`${app.url}/otlp/v1/logs`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: Buffer.from([0x7b, 0x22, 0xff, 0xfe, 0x22, 0x7d]),
    });
    await expectRelayError(invalidUtf8, 400, 'invalid_otlp');
  });

  it('answers 413 payload_too_large when the body is larger than 512 KiB', async () => {
    const padding = 'p'.repeat(512 * 1024);
    await expectRelayError(await post(app, 'traces', traceBatch(`relay-session-0009-${padding}`)), 413, 'payload_too_large');
  });

  it('answers 413 without waiting for the rest of the body when the declared length is too large', async () => {
    const port = Number(new URL(app.url).port);
    const answer = await postWithoutEnd(port, 'POST /otlp/v1/traces HTTP/1.1\r\nHost: service\r\nContent-Type: application/json\r\nContent-Length: 1073741824', [
      Buffer.from('{"resourceSpans":['),
    ]);
    expect(answer.status).to.equal(413);
    expect(answer.head).to.include('connection: close');
  });

  it('answers 413 at the chunk that crosses the limit, without waiting for the end, when a chunked body grows too large', async () => {
    const port = Number(new URL(app.url).port);
    const answer = await postWithoutEnd(
      port,
      'POST /otlp/v1/logs HTTP/1.1\r\nHost: service\r\nContent-Type: application/json\r\nTransfer-Encoding: chunked',
      chunked(512 * 1024 + 1, 64 * 1024),
    );
    expect(answer.status).to.equal(413);
    expect(answer.head).to.include('connection: close');
  });

  it('answers 404 not_found, like any unknown path, when another method or spelling of a relay path is used', async () => {
    for (const [method, path] of [
      ['GET', '/otlp/v1/traces'],
      ['POST', '/otlp/v1/traces/'],
      ['POST', '/OTLP/v1/traces'],
      ['POST', '/otlp/v1/metrics'],
    ] as const) {
      const response = await request(`${app.url}${path}`, { method, ...(method === 'POST' ? { headers: { 'content-type': 'application/json' }, body: '{}' } : {}) });
      expect(response.status, `${method} ${path}`).to.equal(404);
      expect(((await response.json()) as { error: string }).error).to.equal('not_found');
    }
  });

  it('is absent, POST /otlp/v1/traces answering 404 not_found, when the option is off', async () => {
    const plain = await startTestApp({ env: { BROWSER_TELEMETRY_OTLP_ENDPOINT: sink.endpoint } });
    try {
      const received = sink.jsonRequests.length;
      const response = await post(plain, 'traces', traceBatch('relay-session-0010'));
      expect(response.status).to.equal(404);
      expect(((await response.json()) as { error: string }).error).to.equal('not_found');
      const readyz = (await (await request(`${plain.url}/readyz`)).json()) as { telemetry: Record<string, unknown> };
      expect(readyz.telemetry).to.have.all.keys('spans', 'logRecords');
      expect(sink.jsonRequests.length).to.equal(received);
    } finally {
      await plain.close();
    }
  });
});

describe('browser telemetry relay, bounded and counted', () => {
  const apps: TestApp[] = [];
  const sinks: OtlpSink[] = [];

  async function relayTo(endpoint: string, options: Parameters<typeof startTestApp>[0] = {}): Promise<TestApp> {
    const app = await startTestApp({ browserTelemetry: true, ...options, env: { BROWSER_TELEMETRY_OTLP_ENDPOINT: endpoint } });
    apps.push(app);
    return app;
  }

  async function sinkAnswering(answer: SinkAnswer, delayMs = 0): Promise<OtlpSink> {
    const sink = await startOtlpSink(delayMs, sinkAnswers(answer));
    sinks.push(sink);
    return sink;
  }

  afterEach(async () => {
    await Promise.all(apps.splice(0).map((app) => app.close()));
    await Promise.all(sinks.splice(0).map((sink) => sink.close()));
  });

  it('answers 429 rate_limited with Retry-After once the burst is spent, forwarding nothing more', async () => {
    const sink = await sinkAnswering({ status: 200, contentType: 'application/json', body: '{}' });
    const app = await relayTo(sink.endpoint, { browserTelemetry: { burst: 3, requestsPerSecond: 0.01 } });
    for (let i = 0; i < 3; i++) expect((await post(app, 'traces', traceBatch(`rate-${i}`))).status).to.equal(200);
    const limited = await post(app, 'logs', logBatch('rate-3'));
    const retryAfter = Number(limited.headers.get('retry-after'));
    await expectRelayError(limited, 429, 'rate_limited');
    expect(retryAfter).to.be.within(1, 100);
    expect(Number.isInteger(retryAfter)).to.equal(true);
    expect(sink.jsonRequests).to.have.length(3);
    const counts = await readyzRelay(app);
    expect(counts.forwarded).to.equal(3);
    expect(counts.refused.rateLimited).to.equal(1);
  });

  it('answers 503 relay_busy with Retry-After: 1 when as many requests as allowed are in progress', async () => {
    const sink = await sinkAnswering({ status: 200, contentType: 'application/json', body: '{}' }, 1000);
    const app = await relayTo(sink.endpoint, { browserTelemetry: { maxConcurrent: 1 } });
    const first = post(app, 'traces', traceBatch('busy-1'));
    await waitFor('the first batch at the collector', () => sink.paths.length === 1);
    const second = await post(app, 'traces', traceBatch('busy-2'));
    expect(second.headers.get('retry-after')).to.equal('1');
    await expectRelayError(second, 503, 'relay_busy');
    expect((await first).status).to.equal(200);
    expect((await post(app, 'traces', traceBatch('busy-3'))).status).to.equal(200);
  });

  it('answers 502 bad_gateway when nothing listens at the collector', async () => {
    const app = await relayTo(`http://127.0.0.1:${await closedPort()}`);
    await expectRelayError(await post(app, 'traces', traceBatch('down-1')), 502, 'bad_gateway');
    expect((await readyzRelay(app)).failed.unreachable).to.equal(1);
  });

  it('answers 502 bad_gateway when the collector fails with a 5xx, whatever its body says', async () => {
    const sink = await sinkAnswering({ status: 503, contentType: 'text/plain', body: 'upstream secret details' });
    const app = await relayTo(sink.endpoint);
    const response = await post(app, 'logs', logBatch('failing-1'));
    expect(await response.clone().text()).not.to.include('secret');
    await expectRelayError(response, 502, 'bad_gateway');
    expect((await readyzRelay(app)).failed.collectorError).to.equal(1);
  });

  it('answers 502 bad_gateway and follows no redirect when the collector answers one', async () => {
    const elsewhere = await sinkAnswering({ status: 200, contentType: 'application/json', body: '{}' });
    const sink = await sinkAnswering({ status: 307, contentType: 'text/plain', body: '', headers: { location: `${elsewhere.endpoint}/v1/traces` } });
    const app = await relayTo(sink.endpoint);
    await expectRelayError(await post(app, 'traces', traceBatch('redirect-1')), 502, 'bad_gateway');
    expect(sink.paths).to.deep.equal(['/v1/traces']);
    expect(elsewhere.paths).to.deep.equal([]);
  });

  it("passes on the collector's 4xx status and JSON body, and its Retry-After, when it refuses a batch", async () => {
    const refusal = JSON.stringify({ code: 3, message: 'unknown field' });
    const sink = await sinkAnswering({ status: 429, contentType: 'application/json', body: refusal, headers: { 'retry-after': '7', 'x-internal': 'hidden' } });
    const app = await relayTo(sink.endpoint);
    const response = await post(app, 'traces', traceBatch('refused-1'));
    expect(response.status).to.equal(429);
    expect(response.headers.get('retry-after')).to.equal('7');
    expect(response.headers.get('x-internal')).to.equal(null);
    expect(await response.text()).to.equal(refusal);
    expect((await readyzRelay(app)).failed.collectorRefused).to.equal(1);
  });

  it("answers the collector's 4xx status with collector_refused when its body is not JSON", async () => {
    const sink = await sinkAnswering({ status: 400, contentType: 'text/html', body: '<h1>bad</h1>' });
    const app = await relayTo(sink.endpoint);
    await expectRelayError(await post(app, 'traces', traceBatch('refused-2')), 400, 'collector_refused');
  });

  it("passes on the collector's 2xx JSON answer, such as a partial success", async () => {
    const partial = JSON.stringify({ partialSuccess: { rejectedSpans: '1', errorMessage: 'one span was invalid' } });
    const sink = await sinkAnswering({ status: 200, contentType: 'application/json', body: partial });
    const app = await relayTo(sink.endpoint);
    const response = await post(app, 'traces', traceBatch('partial-1'));
    expect(response.status).to.equal(200);
    expect(await response.text()).to.equal(partial);
  });

  it('shows every batch in /readyz telemetry.browserRelay: forwarded, refused by reason, failed by reason', async () => {
    const sink = await sinkAnswering({ status: 200, contentType: 'application/json', body: '{}' });
    const app = await relayTo(sink.endpoint);
    await post(app, 'traces', traceBatch('count-1'));
    await post(app, 'logs', logBatch('count-2'));
    await post(app, 'traces', traceBatch('count-3'), { 'content-type': 'text/plain' });
    await post(app, 'traces', '{}');
    await post(app, 'logs', 'x'.repeat(600 * 1024));
    expect(await readyzRelay(app)).to.deep.equal({
      forwarded: 2,
      refused: { rateLimited: 0, busy: 0, unsupportedMediaType: 1, payloadTooLarge: 1, invalidOtlp: 1, aborted: 0 },
      failed: { unreachable: 0, collectorError: 0, collectorRefused: 0 },
    });
  });
});
