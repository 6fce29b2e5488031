import { AnswerShapeError, describeValue } from '../http/index.ts';
import { fieldsThatMatter } from './log-fields.ts';

/** One stored log line, as the lookup prints it and as `--json` shows it (field names are stable, see docs/session-lookup.md). */
export interface LogLine {
  /** `_time`: RFC 3339 in UTC with nine fractional digits, e.g. `2026-11-27T10:00:00.001000000Z` (sorts as text). */
  readonly time: string;
  /** `service.name`, or `unknown`. */
  readonly service: string;
  /** `severity_text` (e.g. `info`), or `-` when the line has none. */
  readonly level: string;
  /** `_msg`: the log record's body (for an event without one, the store's placeholder). */
  readonly message: string;
  /** `event_name`: the event the record is (`session.start`, `session.end`), or `null` for a log line. */
  readonly event: string | null;
  /** `trace_id`, the trace the line was logged in; `null` outside a trace. */
  readonly traceId: string | null;
  readonly spanId: string | null;
  /** The fields worth printing, in print order ({@link fieldsThatMatter}). */
  readonly fields: Readonly<Record<string, string>>;
}

/** RFC 3339 in UTC as VictoriaLogs writes `_time`: 0 to 9 fractional digits, trailing zeros cut. */
const TIME = /^(\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2})(?:\.(\d{1,9}))?Z$/;

function isObject(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

/** `_time` with nine fractional digits, so that times sort as text; `undefined` when it is not an RFC 3339 UTC time. */
function normalizedTime(value: string): string | undefined {
  const [, seconds, fraction = ''] = TIME.exec(value) ?? [];
  if (seconds === undefined || Number.isNaN(Date.parse(`${seconds}Z`))) return undefined;
  return `${seconds}.${fraction.padEnd(9, '0')}Z`;
}

/** A line's object as stored: every value a string, as VictoriaLogs keeps them. */
function record(value: unknown, at: string): Record<string, string> {
  if (!isObject(value)) throw new AnswerShapeError(at, 'a JSON object', describeValue(value));
  const fields: [string, string][] = [];
  for (const [name, field] of Object.entries(value)) {
    if (typeof field !== 'string') throw new AnswerShapeError(`${at}[${JSON.stringify(name)}]`, 'a string', describeValue(field));
    fields.push([name, field]);
  }
  // fromEntries defines own properties: a field named "__proto__" stays a plain key.
  return Object.fromEntries(fields);
}

function parseLine(value: unknown, at: string): LogLine {
  const stored = record(value, at);
  const time = normalizedTime(stored['_time'] ?? '');
  if (time === undefined) throw new AnswerShapeError(`${at}._time`, 'an RFC 3339 time in UTC', describeValue(stored['_time']));
  return {
    time,
    service: stored['service.name'] || 'unknown',
    level: stored['severity_text'] || '-',
    message: stored['_msg'] ?? '',
    event: stored['event_name'] || null,
    traceId: stored['trace_id'] || null,
    spanId: stored['span_id'] || null,
    fields: Object.fromEntries(fieldsThatMatter(stored)),
  };
}

/**
 * Reads the answer of VictoriaLogs' `GET /select/logsql/query`: one JSON object per line,
 * every value a string (blank lines are skipped). When a field appears twice in a line
 * (VictoriaLogs writes an attribute named `trace_id` and the record's own trace id both),
 * the last one is kept, which is the record's.
 * @throws {AnswerShapeError} naming the first line (counted from 1) that is not JSON or has
 * another shape, e.g. `line 3._time`.
 */
export function parseLogsAnswer(text: string): LogLine[] {
  const lines: LogLine[] = [];
  for (const [index, row] of text.split('\n').entries()) {
    if (row.trim() === '') continue;
    const at = `line ${index + 1}`;
    let value: unknown;
    try {
      value = JSON.parse(row);
    } catch (error) {
      throw new AnswerShapeError(at, 'JSON', describeValue(row.trim()), { cause: error });
    }
    lines.push(parseLine(value, at));
  }
  return lines;
}
