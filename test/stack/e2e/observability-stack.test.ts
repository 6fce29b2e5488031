import { expect } from 'chai';
import type { LookupReport } from '../../../tools/session-traces/index.ts';
import { runTraceCommand } from '../../tools/support/cli-process.ts';
import { driveSession, startE2eStack, type DrivenSession, type E2eStack } from '../support/e2e-stack.ts';
import { exactly, queryLogsUntil } from '../support/logs-query.ts';
import { expectSessionLogs } from '../support/session-log-checks.ts';
import { isEventRecord, type StoredLogRecord } from '../support/victoria-logs.ts';
import type { ServiceProcess } from '../../core/support/service-process.ts';
import {
  expectDownstreamAcrossServices,
  expectEveryRequestFound,
  expectFoundByHashedUser,
  expectSessionTags,
} from '../support/session-checks.ts';
import { requirePrerequisites, skippedForPrerequisites } from '../support/require-prerequisites.ts';

/** One log line, by what both the service's stdout and the store keep of it. */
const lineKey = (service: string, message: unknown, traceId: unknown): string => `${service} | ${String(message)} | ${String(traceId)}`;

/** The JSON lines `service` (named `name`) wrote under `sessionId`, as keys. */
const linesOf = (service: ServiceProcess, name: string, sessionId: string): string[] =>
  service
    .logLines()
    .filter((line) => line['session.id'] === sessionId)
    .map((line) => lineKey(name, line['message'], line['trace_id']));

/** The stored records that were lines (not the login's session.start event), as the same keys. */
const recordsAsLines = (records: readonly StoredLogRecord[]): string[] =>
  records.filter((record) => !isEventRecord(record)).map((record) => lineKey(record['service.name'] ?? '?', record['_msg'], record['trace_id']));

describe('end to end: service -> OpenTelemetry Collector -> Jaeger and VictoriaLogs (real programs)', function () {
  // First: skipped (outside CI) or failed (CI) with the reason when the machine lacks these.
  before(function () {
    requirePrerequisites(this, 'test:e2e observability-stack', ['stack-programs']);
  });

  // The first run builds the collector, Jaeger and VictoriaLogs from the Go module proxy.
  this.timeout(30 * 60_000);

  let stack: E2eStack;
  const startedAt = Date.now();
  const sessions: DrivenSession[] = [];

  before(async () => {
    stack = await startE2eStack();
    const run = Date.now().toString(36);
    for (const [i, user] of ['alice', 'bob', 'carol'].entries()) {
      sessions.push(await driveSession(stack.api, `e2e-${run}-session-${i}`, `${user}@example.com`));
    }
    // SIGTERM flushes the services' span and log record queues; the collector, Jaeger and the
    // log store batch further.
    expect(await stack.api.stop('SIGTERM')).to.equal(0);
    expect(await stack.orders.stop('SIGTERM')).to.equal(0);
  });

  after(async function () {
    if (skippedForPrerequisites(this)) return;
    await stack.stop();
  });

  /** The lines api and orders wrote for `session`, as keys, sorted. */
  const writtenFor = (session: DrivenSession): string[] =>
    [...linesOf(stack.api, 'api', session.sessionId), ...linesOf(stack.orders, 'orders', session.sessionId)].sort();

  /**
   * The session's records, once the store holds exactly the lines api and orders wrote for it
   * and, for a session a login started, its session.start event.
   */
  const storedFor = (session: DrivenSession): Promise<StoredLogRecord[]> =>
    queryLogsUntil(
      stack.victoriaLogs.baseUrl,
      exactly('session.id', session.sessionId),
      `the lines api and orders wrote for ${session.sessionId}, each once${session.replacedSessionId === undefined ? '' : ', and its session.start'}`,
      (answer) =>
        recordsAsLines(answer).sort().join('\n') === writtenFor(session).join('\n') &&
        (session.replacedSessionId === undefined || answer.some(isEventRecord)),
    );

  it('finds every request of each session, and no trace of another session, by session.id in service api', async () => {
    for (const session of sessions) await expectEveryRequestFound(stack.jaeger.queryUrl, session, startedAt);
  });

  it('finds the downstream call of each session in service orders, as one trace holding spans of both services', async () => {
    for (const session of sessions) await expectDownstreamAcrossServices(stack.jaeger.queryUrl, session, startedAt);
  });

  it('stores session.id on every span and user.id only as its SHA-256, never raw', async () => {
    for (const session of sessions) await expectSessionTags(stack.jaeger.queryUrl, session, startedAt);
  });

  it("finds a user's traces by the hashed user.id", async () => {
    await expectFoundByHashedUser(stack.jaeger.queryUrl, sessions[0]!, startedAt);
  });

  it("finds each session's records by session.id: every request of api and the downstream one of orders, each under its trace, user.id only hashed", async () => {
    for (const session of sessions) await expectSessionLogs(stack.victoriaLogs.baseUrl, session);
  });

  it('stores every line api and orders wrote for each session, each once, with its trace id, and no raw user id', async () => {
    let written = 0;
    let found = 0;
    for (const session of sessions) {
      const lines = writtenFor(session);
      expect(lines, `lines written for ${session.sessionId}`).not.to.deep.equal([]);
      const records = await storedFor(session);
      expect(recordsAsLines(records).sort()).to.deep.equal(lines);
      expect(JSON.stringify(records)).not.to.include(session.userId!);
      written += lines.length;
      found += records.length;
    }
    console.log(`      log records: ${written} lines written by api and orders, ${found} records found in VictoriaLogs by session.id (${sessions.length} sessions)`);
  });

  it("prints with --logs --json exactly the session's records the store holds, each under its trace", async () => {
    const env = { JAEGER_URL: stack.jaeger.queryUrl, VICTORIALOGS_URL: stack.victoriaLogs.baseUrl };
    for (const session of sessions) {
      const held = await storedFor(session);
      const result = await runTraceCommand([session.sessionId, '--logs', '--json'], env);
      expect(result.code, result.stderr).to.equal(0);
      const report = JSON.parse(result.stdout) as LookupReport;
      expect(report.logsMissing ?? null).to.equal(null);
      for (const trace of report.traces) for (const line of trace.logs ?? []) expect(line.traceId, trace.traceId).to.equal(trace.traceId);
      const printed = [...report.traces.flatMap((trace) => trace.logs ?? []), ...(report.logs ?? [])];
      const printedLines = printed.filter((line) => line.event === null);
      expect(printedLines.map((line) => lineKey(line.service, line.message, line.traceId)).sort()).to.deep.equal(recordsAsLines(held).sort());
      // The login's session.start, printed as an event in the login's trace.
      const events = printed.filter((line) => line.event !== null).map((line) => [line.event, line.fields['session.previous_id'], line.traceId]);
      expect(events).to.deep.equal([['session.start', session.replacedSessionId, session.traceIds[0]]]);
    }
  });
});
