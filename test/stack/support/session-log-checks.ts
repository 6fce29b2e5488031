import { createHash } from 'node:crypto';
import { expect } from 'chai';
import type { DrivenSession } from './e2e-stack.ts';
import { exactly, queryLogsUntil } from './logs-query.ts';
import { isEventRecord, type StoredLogRecord } from './victoria-logs.ts';

/**
 * Checks of what VictoriaLogs holds for sessions driven through `api` -> `orders`, shared by
 * the end-to-end suite (local processes) and the compose suite (containers).
 */

const sha256 = (value: string): string => createHash('sha256').update(value).digest('hex');

/** True when `records` hold one of `service` under `traceId`. */
const logged = (records: readonly StoredLogRecord[], service: string, traceId: string): boolean =>
  records.some((record) => record['service.name'] === service && record['trace_id'] === traceId);

/**
 * Finds the session's records by `session.id` in the store's own query API, once `api` has
 * logged under every request's trace and `orders` under the downstream one, and checks them:
 * each record carries one of the session's trace ids, and user.id is stored only as its
 * SHA-256 (the raw id appears nowhere in the answer). Returns the records.
 */
export async function expectSessionLogs(storeUrl: string, session: DrivenSession): Promise<StoredLogRecord[]> {
  const records = await queryLogsUntil(
    storeUrl,
    exactly('session.id', session.sessionId),
    `records of api under each of the ${session.traceIds.length} traces of session ${session.sessionId}, and of orders under its downstream trace`,
    (found) =>
      session.traceIds.every((traceId) => logged(found, 'api', traceId)) &&
      logged(found, 'orders', session.downstreamTraceId) &&
      (session.replacedSessionId === undefined || found.some(isEventRecord)),
  );
  for (const record of records) {
    expect(record['session.id']).to.equal(session.sessionId);
    expect(session.traceIds, `trace of the record ${JSON.stringify(record)}`).to.include(record['trace_id']);
  }
  // A login's session starts with api's session.start event, in the login's trace, naming the
  // session it replaced; the lines are what api and orders logged.
  const events = records.filter(isEventRecord).map((record) => [record['event_name'], record['session.previous_id'], record['trace_id']]);
  expect(events, `events of session ${session.sessionId}`).to.deep.equal(
    session.replacedSessionId === undefined ? [] : [['session.start', session.replacedSessionId, session.traceIds[0]]],
  );
  const userIds = new Set(records.map((record) => record['user.id']).filter((value) => value !== undefined));
  if (session.userId === undefined) {
    expect([...userIds]).to.deep.equal([]);
  } else {
    expect([...userIds]).to.deep.equal([sha256(session.userId)]);
    expect(JSON.stringify(records)).not.to.include(session.userId);
  }
  return records;
}
