import { PassThrough } from 'node:stream';
import { context, SeverityNumber, trace } from '@opentelemetry/api';
import type { ReadableLogRecord } from '@opentelemetry/sdk-logs';
import { expect } from 'chai';
import { Router } from 'express';
import { DEFAULT_LOG_VALUE_LENGTH_LIMIT } from '../../../src/core/config/index.ts';
import { runOutsideSession } from '../../../src/core/context/index.ts';
import { createLogger, runWithSession, type RoutesFactory } from '../../../src/core/index.ts';
import { exportedLogRecords } from '../support/exported-log-records.ts';
import { testServiceRoutes } from '../support/fixtures/test-service-routes.ts';
import { logRecordExporter, spanExporter } from '../support/integration-preload.ts';
import { waitFor } from '../support/service-process.ts';
import { spansOfTrace } from '../support/spans.ts';
import { request, startTestApp, type TestApp } from '../support/test-app.ts';
import { accessLineTraceId, waitForLogLines } from '../support/wait-for-log-lines.ts';

/** The exported log records whose body is `message`, once `count` of them have been exported. */
const exportedRecords = (message: string, count = 1): Promise<ReadableLogRecord[]> =>
  exportedLogRecords(`"${message}"`, (record) => record.body === message, count);

/** The fields of a JSON line that are neither its header nor its trace. */
const NOT_OWN_FIELDS = new Set(['timestamp', 'level', 'message', 'trace_id', 'span_id', 'trace_flags']);
function ownFields(line: Record<string, unknown>): Record<string, unknown> {
  return Object.fromEntries(Object.entries(line).filter(([name]) => !NOT_OWN_FIELDS.has(name)));
}

/** 90 KiB of client-supplied text. */
const LONG_TEXT = 'x'.repeat(90 * 1024);

/**
 * Routes that log what a client sent as a service might: `POST /client-data` logs the JSON
 * body as the meta object; `GET /long-fault` fails with an error whose message is 90 KiB
 * (the error handler logs it); `GET /long-error-object` logs an `Error` of 90 KiB under `err`.
 */
const clientDataRoutes: RoutesFactory = ({ logger }) => {
  const router = Router();
  router.post('/client-data', (req, res) => {
    logger.info('client data', req.body as Record<string, unknown>);
    res.json({});
  });
  router.get('/long-fault', () => {
    throw new Error(LONG_TEXT);
  });
  router.get('/long-error-object', (_req, res) => {
    logger.error('error object', { err: new Error(LONG_TEXT) });
    res.json({});
  });
  return router;
};

/** `text` cut as the core cuts a value longer than the default limit: its start and `…[N more characters]`. */
const CUT_TO_DEFAULT = new RegExp(`^.{1,${DEFAULT_LOG_VALUE_LENGTH_LIMIT}}…\\[\\d+ more characters\\]$`, 's');

describe('log records exported to OpenTelemetry', () => {
  let app: TestApp;

  beforeEach(async () => {
    spanExporter.reset();
    logRecordExporter.reset();
    app = await startTestApp({ routes: [testServiceRoutes, clientDataRoutes] });
  });

  afterEach(async () => {
    await app.close();
  });

  it("carry the request's session, user, trace, span, severity and fields, as its JSON lines do", async () => {
    const response = await request(`${app.url}/api/test/user`, {
      method: 'POST',
      headers: { 'content-type': 'application/json', 'x-session-id': 'session-export-1' },
      body: JSON.stringify({ userId: 'grace' }),
    });
    const traceId = response.headers.get('x-trace-id')!;
    await waitForLogLines(app, 'the access line', [traceId], accessLineTraceId);
    const lines = app.logLines();
    const serverSpan = (await spansOfTrace(spanExporter, traceId)).find((span) => span.name === 'POST /api/test/user')!;

    for (const message of ['user set', 'request completed']) {
      const [record, ...others] = (await exportedRecords(message)).filter((r) => r.attributes['session.id'] === 'session-export-1');
      expect(others, `one record "${message}"`).to.have.length(0);
      const line = lines.find((candidate) => candidate['message'] === message && candidate['trace_id'] === traceId)!;
      expect(record, `record "${message}"`).not.to.equal(undefined);
      expect(record!.severityText).to.equal('info');
      expect(record!.severityNumber).to.equal(SeverityNumber.INFO);
      expect(record!.spanContext?.traceId).to.equal(traceId);
      expect(record!.spanContext?.spanId).to.equal(serverSpan.spanContext().spanId).and.to.equal(line['span_id']);
      // Every field of the line, session and user included, is an attribute with the same
      // value; the trace fields are the record's own, not attributes.
      expect(record!.attributes).to.deep.equal(ownFields(line));
      expect(record!.attributes).to.include({ 'session.id': 'session-export-1', 'user.id': 'grace' });
    }
    const access = (await exportedRecords('request completed')).find((r) => r.attributes['session.id'] === 'session-export-1')!;
    expect(access.attributes).to.include({ 'http.request.method': 'POST', 'http.route': '/api/test/user', 'http.response.status_code': 200 });
  });

  it("keep the request's session, user and trace when a route logs a client's body naming them, the body's under meta.<name>", async () => {
    const forged = {
      'session.id': 'someone-elses-session',
      'user.id': 'victim',
      trace_id: 'f'.repeat(32),
      span_id: 'e'.repeat(16),
      timestamp: '2000-01-01T00:00:00.000Z',
      'event.name': 'session.start',
    };
    const response = await request(`${app.url}/api/client-data`, {
      method: 'POST',
      headers: { 'content-type': 'application/json', 'x-session-id': 'session-export-forge', 'x-test-user-id': 'grace' },
      body: JSON.stringify(forged),
    });
    const traceId = response.headers.get('x-trace-id')!;
    const [record] = await exportedRecords('client data');
    await waitForLogLines(app, 'the access line', [traceId], accessLineTraceId);
    const line = app.logLines().find((candidate) => candidate['message'] === 'client data')!;

    expect(line).to.include({ 'session.id': 'session-export-forge', 'user.id': 'grace', trace_id: traceId });
    expect(line['timestamp']).not.to.equal(forged.timestamp);
    expect(record!.attributes).to.include({ 'session.id': 'session-export-forge', 'user.id': 'grace' });
    expect(record!.spanContext?.traceId).to.equal(traceId);
    expect(record!.spanContext?.spanId).to.equal(line['span_id']);
    expect(record!.eventName).to.equal(undefined);
    const kept = Object.fromEntries(Object.entries(forged).map(([name, value]) => [`meta.${name}`, value]));
    expect(line).to.include(kept);
    expect(record!.attributes).to.include(kept);
    expect(record!.attributes).to.deep.equal(ownFields(line));
  });

  it('cut a 90 KiB exception message to the limit, marked, in the line and in the exported record alike', async () => {
    const response = await request(`${app.url}/api/long-fault`, { headers: { 'x-session-id': 'session-export-long' } });
    expect(response.status).to.equal(500);
    const [record] = await exportedRecords('request failed');
    const line = app.logLines().find((candidate) => candidate['message'] === 'request failed' && candidate['session.id'] === 'session-export-long')!;
    for (const name of ['exception.message', 'exception.stacktrace']) {
      expect(line[name], `${name} of the line`).to.match(CUT_TO_DEFAULT).and.have.length.at.most(DEFAULT_LOG_VALUE_LENGTH_LIMIT);
      expect(record!.attributes[name], `${name} of the record`).to.equal(line[name]);
    }
    expect(JSON.stringify(line).length).to.be.below(3 * DEFAULT_LOG_VALUE_LENGTH_LIMIT);
  });

  it('cut the exception attributes the bridge takes from an error object', async () => {
    await request(`${app.url}/api/long-error-object`, { headers: { 'x-session-id': 'session-export-error' } });
    const [record] = await exportedRecords('error object');
    expect(record!.attributes['exception.message']).to.match(CUT_TO_DEFAULT).and.have.length.at.most(DEFAULT_LOG_VALUE_LENGTH_LIMIT);
    expect(record!.attributes['exception.stacktrace']).to.match(CUT_TO_DEFAULT);
  });

  it('leave the JSON lines exactly as they are without export', async () => {
    const both = collectLines();
    const exporting = createLogger({ level: 'info', stream: both.stream, exportRecords: true });
    const withoutExport = collectLines();
    const notExporting = createLogger({ level: 'info', stream: withoutExport.stream });
    runWithSession({ sessionId: 'session-export-2', userId: 'heidi' }, () => {
      exporting.warn('disk almost full', { free_mb: 12, volume: '/data' });
      notExporting.warn('disk almost full', { free_mb: 12, volume: '/data' });
    });
    const [exported] = await exportedRecords('disk almost full');
    await waitFor('both JSON lines', () => both.lines().length === 1 && withoutExport.lines().length === 1, 5000);
    const strip = (line: string): string => line.replace(/"timestamp":"[^"]+"/, '');
    expect(strip(both.lines()[0]!)).to.equal(strip(withoutExport.lines()[0]!));
    expect(exported!.severityText).to.equal('warn');
    expect(exported!.severityNumber).to.equal(SeverityNumber.WARN);
    expect(exported!.attributes).to.deep.equal({ 'session.id': 'session-export-2', 'user.id': 'heidi', free_mb: 12, volume: '/data' });
    expect(exported!.spanContext).to.equal(undefined);
  });

  it('carry neither session nor trace when written outside both', async () => {
    const logger = createLogger({ level: 'info', stream: collectLines().stream, exportRecords: true });
    runOutsideSession(() => logger.info('service started', { port: 1234 }));
    const [record] = await exportedRecords('service started');
    expect(record!.attributes).to.deep.equal({ port: 1234 });
    expect(record!.spanContext).to.equal(undefined);
  });

  it('keep the span of the logging call when winston hands the record on after that call', async () => {
    const logger = createLogger({ level: 'info', stream: collectLines().stream, exportRecords: true });
    const span = trace.getTracer('test').startSpan('work');
    // Corked, winston's stream holds the record until uncork, which here runs outside the span.
    logger.cork();
    context.with(trace.setSpan(context.active(), span), () => logger.info('inside the span'));
    span.end();
    logger.uncork();
    const [record] = await exportedRecords('inside the span');
    expect(record!.spanContext?.spanId).to.equal(span.spanContext().spanId);
  });
});

/** A stream for a logger, and the lines written to it. */
function collectLines(): { stream: PassThrough; lines(): string[] } {
  const stream = new PassThrough();
  let text = '';
  stream.on('data', (chunk: Buffer) => (text += chunk.toString('utf8')));
  return { stream, lines: () => text.split('\n').filter((line) => line !== '') };
}
