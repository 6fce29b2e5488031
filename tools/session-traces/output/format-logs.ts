import type { LookupReport, ReportedTrace } from '../report/index.ts';
import { stripControlCharacters as clean } from '../text/index.ts';
import type { LogLine } from '../victorialogs/index.ts';
import { cleanStrings, formatFollowLine } from './format-output.ts';
import { formatSummary } from './format-summary.ts';
import { paint, type Output } from './paint.ts';

/** Levels printed in red on a colour terminal. */
const ALARMING = /^(?:err|fatal|crit|alert|emerg)/i;

/** A field value as printed: bare, or JSON-quoted when it is empty or holds a space, `"` or `=`. */
function fieldValue(value: string): string {
  const cleaned = clean(value);
  return cleaned === '' || /[\s"=]/.test(cleaned) ? JSON.stringify(cleaned) : cleaned;
}

/**
 * One log line, indented, on one line: time (UTC, to the millisecond; with the date when
 * `withDate`), service, level, message (for an event, `event <name>`: an event has no
 * message, and the store's placeholder says nothing) and the fields that matter as `name=value`, in the
 * order of {@link LogLine.fields}; with `withTraceId`, `trace=<id>` last when the line has one.
 * Every value from the store is cleaned of control characters before colours are added.
 */
export function formatLogLine(line: LogLine, output: Output, options: { withDate: boolean; withTraceId: boolean }): string {
  const time = options.withDate ? `${line.time.slice(0, 10)} ${line.time.slice(11, 23)}` : line.time.slice(11, 23);
  const level = clean(line.level);
  const message = line.event === null ? clean(line.message) : paint('bold', `event ${clean(line.event)}`, output);
  const parts = [time, clean(line.service), ALARMING.test(level) ? paint('red', level, output) : level, message];
  for (const [name, value] of Object.entries(line.fields)) parts.push(`${clean(name)}=${fieldValue(value)}`);
  if (options.withTraceId && line.traceId !== null) parts.push(`trace=${fieldValue(line.traceId)}`);
  return `  ${parts.join(' ')}\n`;
}

/** A trace as one line (as `--follow` prints it), then its log lines under it. */
export function formatTraceWithLogs(trace: ReportedTrace, output: Output): string {
  const lines = (trace.logs ?? []).map((line) => formatLogLine(line, output, { withDate: false, withTraceId: false }));
  return formatFollowLine(trace, output) + lines.join('');
}

/** The session's lines in no listed trace, under a heading, each with its date and trace id; nothing when there are none. */
export function formatUnlistedLogs(lines: readonly LogLine[], output: Output): string {
  if (lines.length === 0) return '';
  const body = lines.map((line) => formatLogLine(line, output, { withDate: true, withTraceId: true }));
  return `${paint('bold', 'Log lines in no listed trace:', output)}\n${body.join('')}`;
}

/**
 * The `--logs` report: each trace as one line with its log lines under it, then the lines in
 * no listed trace, then the session's summary (when the report has one), then the Jaeger
 * search link for the whole session.
 */
export function formatLogsReport(report: LookupReport, output: Output): string {
  const sections = [report.traces.map((trace) => formatTraceWithLogs(trace, output)).join(''), formatUnlistedLogs(report.logs ?? [], output), formatSummary(report, output)];
  if (report.searchUrl !== null) sections.push(`All of them: ${paint('cyan', clean(report.searchUrl), output)}\n`);
  return sections.filter((section) => section !== '').join('\n');
}

/** A log line in no listed trace as one line of JSON, `{"log": {…}}`, for `--follow --json --logs`. */
export function formatJsonLogLine(line: LogLine): string {
  return `${JSON.stringify({ log: line }, cleanStrings)}\n`;
}
