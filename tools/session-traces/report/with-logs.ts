import { groupLogs, type LogsFound } from '../victorialogs/index.ts';
import type { LookupReport } from './lookup-report.ts';

/**
 * `report` with the `--logs` fields: each trace with its lines, the rest in `logs` (both
 * `null` when the lines are missing), and where they came from. Keys in the documented order.
 */
export function withLogs(report: LookupReport, found: LogsFound, victoriaLogsUrl: string): LookupReport {
  const { traces, ...head } = report;
  const grouped = found.lines === null ? undefined : groupLogs(found.lines, traces.map((trace) => trace.traceId));
  return {
    ...head,
    victoriaLogsUrl,
    logsMissing: found.missing,
    logsTruncated: found.truncated,
    traces: traces.map((trace) => ({ ...trace, logs: grouped?.byTrace.get(trace.traceId) ?? null })),
    logs: grouped?.unlisted ?? null,
  };
}
