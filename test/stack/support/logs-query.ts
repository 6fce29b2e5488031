import { queryLogs, type StoredLogRecord } from './victoria-logs.ts';
import { waitFor } from '../../core/support/service-process.ts';

/** The LogsQL filter matching field `field` exactly equal to `value` (`field:="value"`). */
export function exactly(field: string, value: string): string {
  // LogsQL accepts JSON-quoted strings: the quoting survives any character of the value.
  return `${field}:=${JSON.stringify(value)}`;
}

/**
 * Polls the store with `logsql` until its answer is `complete` (three batching hops lie
 * between a log call and a stored record), then returns that answer. The timeout names `what`
 * did not arrive and what the last answer held.
 */
export async function queryLogsUntil(
  baseUrl: string,
  logsql: string,
  what: string,
  complete: (records: readonly StoredLogRecord[]) => boolean,
  timeoutMs = 60_000,
): Promise<StoredLogRecord[]> {
  let records: StoredLogRecord[] = [];
  await waitFor(
    `${what} in VictoriaLogs (${logsql})`,
    async () => {
      records = await queryLogs(baseUrl, logsql);
      return complete(records);
    },
    timeoutMs,
    () => `the last answer held ${records.length} records: ${records.slice(0, 5).map((record) => `${record['service.name']} ${record['_msg']} ${record['trace_id']}`).join('; ')}`,
  );
  return records;
}
