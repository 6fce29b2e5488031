import { ROOT_CONTEXT, SeverityNumber, trace } from '@opentelemetry/api';
import { OTLPLogExporter } from '@opentelemetry/exporter-logs-otlp-proto';
import { resourceFromAttributes } from '@opentelemetry/resources';
import { LoggerProvider, SimpleLogRecordProcessor } from '@opentelemetry/sdk-logs';
import { expect } from 'chai';
import { hashUserId, VictoriaLogsClient } from '../../../tools/session-traces/index.ts';
import { waitFor } from '../../core/support/service-process.ts';
import { queryLogs, startVictoriaLogs, type VictoriaLogs } from '../support/victoria-logs.ts';
import { startVictoriaLogsCluster, type VictoriaLogsCluster } from '../support/victoria-logs-cluster.ts';
import { requirePrerequisites } from '../support/require-prerequisites.ts';

/** The collector's header (otel-collector.yaml): one stream per service and deployment environment. */
const STREAM_FIELDS = 'service.name,deployment.environment.name';
const SERVICES = ['api', 'orders', 'billing', 'search'];
const SESSION = 'session-cluster-0001';
const TRACE = '0af7651916cd43dd8448eb211c80319c';
const inTrace = trace.setSpanContext(ROOT_CONTEXT, { traceId: TRACE, spanId: 'b7ad6b7169203331', traceFlags: 1 });
/** The records' times: a minute ago, a few milliseconds apart. */
const T0 = Date.now() - 60_000;
const USER = hashUserId('alice@example.com');
const RECORDS_PER_SERVICE = 3;

/** Sends the same records to `url` as the service does (the logs SDK's OTLP exporter, protobuf), with the collector's stream header. */
async function sendRecords(url: string, service: string, offset: number): Promise<void> {
  const provider = new LoggerProvider({
    // process.pid is not a stream field: without the header it would be part of the stream.
    resource: resourceFromAttributes({ 'service.name': service, 'process.pid': 4242 }),
    processors: [new SimpleLogRecordProcessor({ exporter: new OTLPLogExporter({ url, headers: { 'VL-Stream-Fields': STREAM_FIELDS } }) })],
  });
  const logger = provider.getLogger('@opentelemetry/winston-transport', '0.34.0');
  const access = { 'http.method': 'GET', 'http.route': `/api/${service}`, 'http.status_code': 200, duration_ms: 12.1 };
  logger.emit({ timestamp: T0 + offset, severityNumber: SeverityNumber.INFO, severityText: 'info', body: 'request completed', context: inTrace, attributes: { 'session.id': SESSION, 'user.id': USER, ...access } });
  logger.emit({ timestamp: T0 + offset + 1, severityNumber: SeverityNumber.WARN, severityText: 'warn', body: 'outside a trace', attributes: { 'session.id': SESSION } });
  logger.emit({ timestamp: T0 + offset + 2, severityNumber: SeverityNumber.INFO, severityText: 'info', body: 'another session', attributes: { 'session.id': 'session-other-0001' } });
  await provider.forceFlush();
  await provider.shutdown();
}

const count = async (baseUrl: string): Promise<number> => (await queryLogs(baseUrl, '*')).length;

describe('VictoriaLogs v1.52.1 as a cluster (two storage nodes, an insert node, a select node)', function () {
  // First: skipped (outside CI) or failed (CI) with the reason when the machine lacks these.
  before(function () {
    requirePrerequisites(this, 'test:e2e victorialogs-cluster', ['stack-programs']);
  });

  this.timeout(240_000);
  let cluster: VictoriaLogsCluster | undefined;
  let single: VictoriaLogs | undefined;
  const total = SERVICES.length * RECORDS_PER_SERVICE;
  const bySession = { field: 'session.id', value: SESSION, sinceMs: T0 - 60_000, limit: 100 };
  const byUser = { ...bySession, field: 'user.id', value: USER };

  before(async () => {
    [cluster, single] = await Promise.all([startVictoriaLogsCluster(), startVictoriaLogs()]);
    // The same records to both: the insert node and a single node.
    for (const [index, service] of SERVICES.entries()) {
      await sendRecords(cluster.otlpLogsUrl, service, index * 10);
      await sendRecords(single.otlpLogsUrl, service, index * 10);
    }
    // New lines become searchable after a short delay (a few seconds through the insert node).
    const { selectNode } = cluster;
    const singleUrl = single.baseUrl;
    await waitFor('every record on the select node and on the single node', async () => (await count(selectNode.baseUrl)) === total && (await count(singleUrl)) === total, 60_000);
  });

  after(async () => {
    await Promise.all([cluster?.discard(), single?.discard()]);
  });

  it("answers the lookup's log queries (by session.id, by user.id) exactly as a single node", async () => {
    const fromCluster = new VictoriaLogsClient(cluster!.selectNode.baseUrl);
    const fromSingle = new VictoriaLogsClient(single!.baseUrl);
    const clusterSession = await fromCluster.query(bySession);
    expect(clusterSession).to.have.length(SERVICES.length * 2);
    expect(clusterSession).to.deep.equal(await fromSingle.query(bySession));
    const clusterUser = await fromCluster.query(byUser);
    expect(clusterUser).to.have.length(SERVICES.length);
    expect(clusterUser).to.deep.equal(await fromSingle.query(byUser));
    expect(await fromCluster.query({ ...bySession, limit: 1 })).to.deep.equal(await fromSingle.query({ ...bySession, limit: 1 }));
  });

  it('keeps the VL-Stream-Fields header through the insert node: one stream per service', async () => {
    const records = await queryLogs(cluster!.selectNode.baseUrl, '*');
    for (const record of records) {
      expect(record['process.pid'], record['_msg']).to.equal('4242');
      expect(record['_stream'], record['_msg']).to.equal(`{service.name="${record['service.name']}"}`);
    }
    const streamsOf = (list: typeof records): string[] => [...new Set(list.map((record) => record['_stream'] ?? ''))].sort();
    expect(streamsOf(records)).to.deep.equal(streamsOf(await queryLogs(single!.baseUrl, '*')));
  });

  it('spreads the records over both storage nodes, each stream whole on one of them', async () => {
    const perNode = await Promise.all(cluster!.storageNodes.map((node) => queryLogs(node.baseUrl, '*')));
    expect(perNode.map((records) => records.length).reduce((a, b) => a + b)).to.equal(total);
    for (const records of perNode) expect(records.length, 'records on each storage node').to.be.above(0);
    const services = perNode.map((records) => new Set(records.map((record) => record['service.name'])));
    for (const service of SERVICES) expect(services.filter((set) => set.has(service)), service).to.have.length(1);
  });

  // Last: stops a storage node.
  it('answers queries with 502 while a storage node is down, and the insert node still accepts records', async () => {
    await cluster!.storageNodes[1]!.stop();
    const url = new URL('/select/logsql/query', cluster!.selectNode.baseUrl);
    url.searchParams.set('query', '*');
    const refused = await fetch(url);
    expect(refused.status).to.equal(502);
    expect(await refused.text()).to.include('cannot connect to storage node');
    await sendRecords(cluster!.otlpLogsUrl, 'late', 100);
    url.searchParams.set('allow_partial_response', '1');
    url.searchParams.set('query', '"service.name":="late"');
    await waitFor('the late records on the remaining storage node', async () => (await fetch(url).then((response) => response.text())).split('\n').filter((line) => line !== '').length === RECORDS_PER_SERVICE, 60_000);
  });
});
