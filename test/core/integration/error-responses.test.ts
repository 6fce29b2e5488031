import { gzipSync } from 'node:zlib';
import { expect } from 'chai';
import { Router } from 'express';
import { expectJsonError } from '../support/expect-json-error.ts';
import { exportedLogRecords } from '../support/exported-log-records.ts';
import { request, startTestApp, type TestApp } from '../support/test-app.ts';
import { linesOfRequests } from '../support/wait-for-log-lines.ts';

/** Raw path text that must never reach a log line. */
const PATH_MARKER = 'path-marker-7f3a';

/**
 * Test routes under /api: a route parameter (for broken percent-encoding), errors of another
 * library's shape (a `status` or only a `statusCode`), and a handler that fails with the
 * request path in its message.
 */
function errorRoutes(): Router {
  const router = Router();
  router.get('/users/:id', (req, res) => {
    res.json({ id: req.params['id'] });
  });
  router.get('/library-error/:status', (req) => {
    const status = Number(req.params['status']);
    throw Object.assign(new Error(`library refused ${req.originalUrl}`), req.query['statusCode'] === undefined ? { status } : { statusCode: status });
  });
  router.get('/server-fault/:name', (req) => {
    throw new Error(`could not load ${req.originalUrl} (${decodeURIComponent(req.path)})`);
  });
  return router;
}

describe('error responses', () => {
  let app: TestApp;

  before(async () => {
    app = await startTestApp({ env: { JSON_BODY_LIMIT: '1kb' }, routers: [errorRoutes()] });
  });

  after(async () => {
    await app.close();
  });

  /** A JSON body to the test route that reads one (`POST /api/test/user`). */
  const postJson = (body: string): Promise<Response> =>
    request(`${app.url}/api/test/user`, { method: 'POST', headers: { 'content-type': 'application/json' }, body });

  it('answers 404 in JSON for an unknown route, without echoing the path', async () => {
    const response = await request(`${app.url}/no/such/route-secret`);
    await expectJsonError(response.clone(), 404, 'not_found');
    expect(await response.text()).not.to.include('route-secret');
  });

  it('answers 400 in JSON, not an HTML stack trace, for invalid JSON', async () => {
    await expectJsonError(await postJson('{"userId": '), 400, 'invalid_json');
  });

  it('logs a rejected body by error type only, never quoting it', async () => {
    const before = app.logLines().length;
    // Short on purpose: Node cuts long JSON parse messages down to a snippet, hiding a leak.
    await expectJsonError(await postJson('{"p":hunter2}'), 400, 'invalid_json');
    const lines = await linesOfRequests(app, before, 1);
    const rejected = lines.filter((line) => line['message'] === 'request rejected' && line['error.type'] === 'invalid_json');
    expect(rejected).to.have.length(1);
    expect(rejected[0]).to.include({ 'http.response.status_code': 400 });
    expect(JSON.stringify(app.logLines())).not.to.include('hunter2');
  });

  it('answers 413 for a JSON body over JSON_BODY_LIMIT', async () => {
    await expectJsonError(await postJson(JSON.stringify({ userId: 'x'.repeat(2048) })), 413, 'payload_too_large');
  });

  it('answers 400 invalid_content_encoding and logs no error when a gzip, br, deflate or zstd body is not compressed', async () => {
    const before = app.logLines().length;
    const bodies: [string, string | Uint8Array][] = [
      ['gzip', '{"userId":"alice"}'],
      ['br', '{"userId":"alice"}'],
      ['deflate', '{"userId":"alice"}'],
      ['zstd', '{"userId":"alice"}'],
      ['gzip', new Uint8Array(gzipSync('{"userId":"alice"}').subarray(0, 12))],
    ];
    for (const [encoding, body] of bodies) {
      const response = await request(`${app.url}/api/test/user`, {
        method: 'POST',
        headers: { 'content-type': 'application/json', 'content-encoding': encoding },
        body,
      });
      await expectJsonError(response, 400, 'invalid_content_encoding');
    }
    const lines = await linesOfRequests(app, before, bodies.length);
    expect(lines.filter((line) => line['level'] !== 'info'), 'lines above info').to.deep.equal([]);
    const rejected = lines.filter((line) => line['message'] === 'request rejected');
    expect(rejected).to.have.length(bodies.length);
    for (const line of rejected) expect(line).to.include({ 'http.response.status_code': 400, 'error.type': 'invalid_content_encoding' });
    expect(JSON.stringify(lines)).not.to.match(/zlib|incorrect header|Decompression failed|Unknown frame|unexpected end/i);
  });

  it('answers 400 invalid_path and never logs the path when a route parameter has broken percent-encoding', async () => {
    const before = app.logLines().length;
    const response = await request(`${app.url}/api/users/${PATH_MARKER}%E0%A4%A`);
    await expectJsonError(response.clone(), 400, 'invalid_path');
    expect(await response.text()).not.to.include(PATH_MARKER);
    const lines = await linesOfRequests(app, before, 1);
    expect(lines.filter((line) => line['level'] !== 'info'), 'lines above info').to.deep.equal([]);
    expect(lines.find((line) => line['message'] === 'request rejected')).to.include({ 'http.response.status_code': 400, 'error.type': 'invalid_path' });
    expect(JSON.stringify(lines)).not.to.include(PATH_MARKER);
  });

  it("answers another library's 4xx error with its status and a stable code when it carries status or statusCode", async () => {
    const before = app.logLines().length;
    const cases: [string, number, string][] = [
      ['400', 400, 'bad_request'],
      ['404', 404, 'not_found'],
      ['405?statusCode', 405, 'method_not_allowed'],
      ['413', 413, 'payload_too_large'],
      ['415?statusCode', 415, 'unsupported_media_type'],
      ['422', 422, 'client_error'],
      ['429?statusCode', 429, 'client_error'],
    ];
    for (const [path, status, code] of cases) {
      const response = await request(`${app.url}/api/library-error/${path.replace('?', `?${PATH_MARKER}&`)}`);
      await expectJsonError(response, status, code);
    }
    const lines = await linesOfRequests(app, before, cases.length);
    expect(lines.filter((line) => line['level'] !== 'info'), 'lines above info').to.deep.equal([]);
    expect(JSON.stringify(lines)).not.to.include(PATH_MARKER);
  });

  it('answers 500 internal_error and logs the fault in full, without the request path, when a handler fails', async () => {
    const before = app.logLines().length;
    const response = await request(`${app.url}/api/server-fault/${PATH_MARKER}%20x?${PATH_MARKER}=1`);
    await expectJsonError(response, 500, 'internal_error');
    const lines = await linesOfRequests(app, before, 1);
    const failed = lines.filter((line) => line['level'] === 'error');
    expect(failed).to.have.length(1);
    expect(failed[0]).to.include({ message: 'request failed' });
    // OpenTelemetry's exception attributes, in the line as in the exported log record.
    expect(failed[0]).to.include({ 'exception.type': 'Error' });
    expect(failed[0]!['exception.message']).to.match(/^could not load \[request path\]/);
    expect(failed[0]!['exception.stacktrace']).to.include('error-responses.test.ts');
    expect(JSON.stringify(lines)).not.to.include(PATH_MARKER);
    const [exported] = await exportedLogRecords('request failed, of the failed request', (record) => record.body === 'request failed' && record.spanContext?.traceId === failed[0]!['trace_id']);
    expect(exported!.severityText).to.equal('error');
    expect(exported!.attributes).to.include({ 'exception.type': 'Error', 'exception.message': failed[0]!['exception.message'] });
    expect(exported!.attributes['exception.stacktrace']).to.equal(failed[0]!['exception.stacktrace']);
    expect(JSON.stringify(exported!.attributes)).not.to.include(PATH_MARKER);
  });

  it('answers 500 internal_error when an error carries a 5xx status', async () => {
    await expectJsonError(await request(`${app.url}/api/library-error/503`), 500, 'internal_error');
  });

  it('reports readiness and the delivery counters of spans and log records on /readyz', async () => {
    const response = await request(`${app.url}/readyz`);
    expect(response.status).to.equal(200);
    const body = (await response.json()) as { status: string; telemetry: Record<string, Record<string, number>> };
    expect(body.status).to.equal('ready');
    expect(body.telemetry).to.have.keys(['spans', 'logRecords']);
    expect(body.telemetry['spans']).to.have.keys(['exported', 'droppedQueueFull', 'failedExport']);
    expect(body.telemetry['logRecords']).to.have.keys(['exported', 'droppedQueueFull', 'failedExport']);
  });

  it('answers /readyz 503 when readiness is off', async () => {
    // Connection: close during shutdown is graceful shutdown's (test/core/unit/server, test/core/process).
    const draining = await startTestApp();
    try {
      draining.readiness.ready = false;
      const ready = await request(`${draining.url}/readyz`);
      expect(ready.status).to.equal(503);
      expect(((await ready.json()) as { status: string }).status).to.equal('shutting_down');
    } finally {
      await draining.close();
    }
  });
});
