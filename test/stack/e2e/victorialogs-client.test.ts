import { ROOT_CONTEXT, SeverityNumber, trace } from '@opentelemetry/api';
import { OTLPLogExporter } from '@opentelemetry/exporter-logs-otlp-proto';
import { resourceFromAttributes } from '@opentelemetry/resources';
import { LoggerProvider, SimpleLogRecordProcessor } from '@opentelemetry/sdk-logs';
import { expect } from 'chai';
import { groupLogs, hashUserId, VictoriaLogsClient } from '../../../tools/session-traces/index.ts';
import { waitFor } from '../../core/support/service-process.ts';
import { OBSERVED_LINE } from '../../tools/support/session-traces/log-fixtures.ts';
import { startVictoriaLogs, type VictoriaLogs } from '../support/victoria-logs.ts';
import { requirePrerequisites } from '../support/require-prerequisites.ts';

/** Sends log records as the service does: the logs SDK's OTLP exporter, protobuf (v1.52.1 refuses OTLP/JSON). */
async function sendRecords(url: string, service: string, emit: (logger: ReturnType<LoggerProvider['getLogger']>) => void): Promise<void> {
  const provider = new LoggerProvider({
    resource: resourceFromAttributes({ 'service.name': service }),
    processors: [new SimpleLogRecordProcessor({ exporter: new OTLPLogExporter({ url }) })],
  });
  emit(provider.getLogger('@opentelemetry/winston-transport', '0.34.0'));
  await provider.forceFlush();
  await provider.shutdown();
}

const SESSION = 'session-real-store-0001';
const TRACE = '0af7651916cd43dd8448eb211c80319c';
const inTrace = trace.setSpanContext(ROOT_CONTEXT, { traceId: TRACE, spanId: 'b7ad6b7169203331', traceFlags: 1 });
/** The records' times: a minute ago, a few milliseconds apart. */
const T0 = Date.now() - 60_000;
const access = { 'http.method': 'GET', 'http.route': '/api/downstream', 'http.status_code': 200, duration_ms: 12.1 };

describe('VictoriaLogsClient against VictoriaLogs v1.52.1', function () {
  // First: skipped (outside CI) or failed (CI) with the reason when the machine lacks these.
  before(function () {
    requirePrerequisites(this, 'test:e2e victorialogs-client', ['stack-programs']);
  });

  this.timeout(240_000);
  let store: VictoriaLogs | undefined;
  let client: VictoriaLogsClient;
  const search = { field: 'session.id', value: SESSION, sinceMs: T0 - 60_000, limit: 100 };

  before(async () => {
    store = await startVictoriaLogs();
    client = new VictoriaLogsClient(store.baseUrl);
    const url = store.otlpLogsUrl;
    const userId = hashUserId('alice@example.com');
    await sendRecords(url, 'api', (logger) => {
      logger.emit({ timestamp: T0 + 1, severityNumber: SeverityNumber.INFO, severityText: 'info', body: 'request completed', context: inTrace, attributes: { 'session.id': SESSION, 'user.id': userId, ...access } });
      logger.emit({ timestamp: T0 + 10, severityNumber: SeverityNumber.WARN, severityText: 'warn', body: 'outside a trace', attributes: { 'session.id': SESSION } });
      logger.emit({ timestamp: T0 + 20, severityNumber: SeverityNumber.INFO, severityText: 'info', body: 'another session', attributes: { 'session.id': 'session-other-0001' } });
    });
    await sendRecords(url, 'orders', (logger) => {
      logger.emit({ timestamp: T0 + 5, severityNumber: SeverityNumber.INFO, severityText: 'info', body: 'request completed', context: inTrace, attributes: { 'session.id': SESSION, ...access, 'http.route': '/api/session' } });
    });
    // New lines become searchable after about a second.
    await waitFor('the three lines of the session to be searchable', async () => (await client.query(search)).length === 3, 30_000);
  });

  after(async () => {
    await store?.discard();
  });

  it("stores an access line with exactly the fields of the unit tests' observed line", async () => {
    const url = new URL('select/logsql/query', `${store!.baseUrl}/`);
    url.searchParams.set('query', `"session.id":="${SESSION}" "service.name":="api" _msg:="request completed"`);
    const lines = (await (await fetch(url)).text()).split('\n').filter((text) => text !== '');
    expect(lines).to.have.length(1);
    const line = JSON.parse(lines[0]!) as Record<string, string>;
    expect(Object.keys(line)).to.deep.equal(Object.keys(JSON.parse(OBSERVED_LINE) as object));
    expect(line).to.deep.include({ _msg: 'request completed', 'service.name': 'api', severity_text: 'info', severity_number: '9', trace_id: TRACE, 'http.status_code': '200', duration_ms: '12.1' });
  });

  it("finds only the session's lines and reads them, when asked by session.id", async () => {
    const lines = groupLogs(await client.query(search), [TRACE]);
    expect(lines.byTrace.get(TRACE)?.map((line) => [line.time, line.service, line.level, line.message, line.fields])).to.deep.equal([
      [new Date(T0 + 1).toISOString().replace('Z', '000000Z'), 'api', 'info', 'request completed', { 'http.method': 'GET', 'http.route': '/api/downstream', 'http.status_code': '200', duration_ms: '12.1' }],
      [new Date(T0 + 5).toISOString().replace('Z', '000000Z'), 'orders', 'info', 'request completed', { 'http.method': 'GET', 'http.route': '/api/session', 'http.status_code': '200', duration_ms: '12.1' }],
    ]);
    expect(lines.unlisted.map((line) => [line.message, line.level, line.traceId])).to.deep.equal([['outside a trace', 'warn', null]]);
  });

  it('keeps the newest lines when the limit is reached', async () => {
    expect((await client.query({ ...search, limit: 1 })).map((line) => line.message)).to.deep.equal(['outside a trace']);
  });

  it('leaves out the lines before the window start', async () => {
    expect((await client.query({ ...search, sinceMs: T0 + 7 })).map((line) => line.message)).to.deep.equal(['outside a trace']);
  });

  it('finds the lines of a user by the hashed user.id', async () => {
    const lines = await client.query({ ...search, field: 'user.id', value: hashUserId('alice@example.com') });
    expect(lines.map((line) => [line.service, line.traceId])).to.deep.equal([['api', TRACE]]);
  });
});
