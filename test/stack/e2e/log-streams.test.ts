import { randomUUID } from 'node:crypto';
import { expect } from 'chai';
import { driveSession, EXPORT_TO_COLLECTOR_ENV, startApi, startE2eStack, type DrivenSession, type E2eStack } from '../support/e2e-stack.ts';
import { exactly, queryLogsUntil } from '../support/logs-query.ts';
import { queryStreamFieldNames, queryStreams, type StoredLogRecord } from '../support/victoria-logs.ts';
import type { ServiceProcess } from '../../core/support/service-process.ts';
import { requirePrerequisites, skippedForPrerequisites } from '../support/require-prerequisites.ts';

/** The stream of each service's records, as VictoriaLogs writes it. */
const API_STREAM = '{service.name="api"}';
const ORDERS_STREAM = '{service.name="orders"}';
/** The stream of `api`'s records where it runs with deployment.environment.name=staging. */
const STAGING_API_STREAM = '{deployment.environment.name="staging",service.name="api"}';

/** One `api` process, the session it served and its identity (what must not split the streams). */
interface ApiRun {
  readonly service: ServiceProcess;
  readonly pid: string;
  readonly instanceId: string;
  readonly session: DrivenSession;
  /** Its records of the session (api's and orders'), once all are stored. */
  readonly records: StoredLogRecord[];
}

describe('VictoriaLogs streams: one per service (and deployment environment), whatever the process (real programs)', function () {
  // First: skipped (outside CI) or failed (CI) with the reason when the machine lacks these.
  before(function () {
    requirePrerequisites(this, 'test:e2e log-streams', ['stack-programs']);
  });

  this.timeout(30 * 60_000);

  let stack: E2eStack;
  const runs: ApiRun[] = [];
  const run = Date.now().toString(36);
  /** The streams and stream fields of the whole store after the first api process, after its restart, and after the staging one. */
  const streams: string[][] = [];
  const streamFields: string[][] = [];

  /**
   * Starts `api` with its own service.instance.id (and `resourceAttributes`), drives one
   * session through it, and waits until the store holds the session's records of `api` (this
   * process) and of `orders`.
   */
  async function apiRun(name: string, resourceAttributes: string[] = []): Promise<ApiRun> {
    const instanceId = randomUUID();
    const service = await startApi(stack.orders, {
      ...EXPORT_TO_COLLECTOR_ENV,
      OTEL_RESOURCE_ATTRIBUTES: [...resourceAttributes, `service.instance.id=${instanceId}`].join(','),
    });
    const pid = String(service.child.pid);
    const session = await driveSession(service, `log-streams-${run}-${name}`);
    // api writes a line per request, orders one for the downstream call.
    const records = await queryLogsUntil(stack.victoriaLogs.baseUrl, exactly('session.id', session.sessionId), `the records of session ${session.sessionId}`, (found) => {
      const apiLines = found.filter((record) => record['service.name'] === 'api' && record['process.pid'] === pid);
      return apiLines.length >= session.traceIds.length && found.some((record) => record['service.name'] === 'orders');
    });
    const started = { service, pid, instanceId, session, records };
    runs.push(started);
    return started;
  }

  /** Records what the whole store's streams are now. */
  async function noteStreams(): Promise<void> {
    streams.push(await queryStreams(stack.victoriaLogs.baseUrl, '*'));
    streamFields.push(await queryStreamFieldNames(stack.victoriaLogs.baseUrl, '*'));
  }

  before(async () => {
    stack = await startE2eStack();
    // The stack's own api is replaced by processes that name their instance.
    await stack.api.stop('SIGTERM');
    const first = await apiRun('first');
    await noteStreams();
    // A restart: the same service as a new process, with a new pid and instance id.
    await first.service.stop('SIGTERM');
    await apiRun('restarted');
    await noteStreams();
    // Another deployment of api, which names its environment.
    await apiRun('staging', ['deployment.environment.name=staging']);
    await noteStreams();
  });

  after(async function () {
    if (skippedForPrerequisites(this)) return;
    for (const { service } of runs) await service.stop('SIGKILL');
    await stack.stop();
  });

  it('stores the records of api and orders in exactly one stream each: {service.name="api"} and {service.name="orders"}', () => {
    expect(streams[0]).to.deep.equal([API_STREAM, ORDERS_STREAM]);
    expect(streamFields[0]).to.deep.equal(['service.name']);
    for (const record of runs[0]!.records) expect(record['_stream'], record['_msg']).to.equal(record['service.name'] === 'api' ? API_STREAM : ORDERS_STREAM);
  });

  it('keeps the resource attributes as ordinary fields of each record: service.instance.id, process.pid, host.name, service.version', () => {
    for (const { pid, instanceId, records } of runs) {
      const apiRecord = records.find((record) => record['service.name'] === 'api' && record['process.pid'] === pid);
      expect(apiRecord, `a record of api process ${pid}`).not.to.equal(undefined);
      expect(apiRecord).to.include({ 'service.instance.id': instanceId, 'process.pid': pid, 'service.version': '0.1.0' });
      expect(apiRecord!['host.name']).to.be.a('string').and.not.equal('');
    }
  });

  it('keeps the same streams after api restarts as a new process with a new pid and service.instance.id', () => {
    const [first, restarted] = runs;
    expect(restarted!.pid).not.to.equal(first!.pid);
    expect(restarted!.instanceId).not.to.equal(first!.instanceId);
    expect(streams[1]).to.deep.equal(streams[0]);
    const streamIdOf = (apiRun: ApiRun): string[] => [
      ...new Set(apiRun.records.filter((record) => record['process.pid'] === apiRun.pid).map((record) => record['_stream_id'] ?? '')),
    ];
    expect(streamIdOf(restarted!)).to.deep.equal(streamIdOf(first!)).and.have.length(1);
  });

  it('adds deployment.environment.name to the stream of a service that sets it, and only then', async () => {
    const staging = runs[2]!;
    expect(streams[2]).to.deep.equal([STAGING_API_STREAM, API_STREAM, ORDERS_STREAM].sort());
    expect(streamFields[2]).to.deep.equal(['deployment.environment.name', 'service.name']);
    expect(await queryStreams(stack.victoriaLogs.baseUrl, exactly('process.pid', staging.pid))).to.deep.equal([STAGING_API_STREAM]);
    // orders, called by the staging api, still names no environment of its own.
    const ordersRecords = staging.records.filter((record) => record['service.name'] === 'orders');
    expect([...new Set(ordersRecords.map((record) => record['_stream']))]).to.deep.equal([ORDERS_STREAM]);
  });
});
