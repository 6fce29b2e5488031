import Table from 'cli-table3';
import type { TraceSummary } from '../jaeger/index.ts';
import type { ChainReport, LookupReport, ReportedTrace } from '../report/index.ts';
import { stripControlCharacters } from '../text/index.ts';
import { formatSummary } from './format-summary.ts';
import { paint, type Output } from './paint.ts';
import { asTableTime } from './table-time.ts';

const HEAD = ['START (UTC)', 'DURATION', 'ENTRY', 'OPERATION', 'STATUS', 'SPANS', 'SERVICES', 'ERROR', 'USER.ID'];

/** Shorthand: every value from Jaeger goes through it before it is printed, coloured or not. */
const clean = stripControlCharacters;

/** One table row of a trace; Jaeger's values are cleaned before the colours are added. */
function row(trace: TraceSummary, output: Output): string[] {
  return [
    asTableTime(trace.startTime),
    `${trace.durationMs} ms`,
    clean(trace.entryService),
    clean(trace.operation),
    trace.httpStatus === null ? '-' : String(trace.httpStatus),
    String(trace.spanCount),
    clean(trace.services.join(',')),
    trace.error ? paint('red', 'ERROR', output) : '',
    trace.userId === null ? '-' : `${clean(trace.userId).slice(0, 12)}…`,
  ];
}

/** The traces as a table, then the session's summary (when the report has one), then a UI link per trace and one for the whole search. */
export function formatReport(report: LookupReport, output: Output): string {
  const table = new Table({ head: HEAD.map((title) => paint('bold', title, output)), style: { head: [], border: [], compact: true } });
  for (const trace of report.traces) table.push(row(trace, output));
  const links = report.traces.map((trace) => `  ${clean(trace.traceId)}  ${paint('cyan', clean(trace.url), output)}`);
  const summary = formatSummary(report, output);
  const lines = [table.toString(), ...(summary === '' ? [] : ['', summary.trimEnd()]), '', 'Traces in Jaeger:', ...links];
  if (report.searchUrl !== null) lines.push('', `All of them: ${paint('cyan', clean(report.searchUrl), output)}`);
  return `${lines.join('\n')}\n`;
}

/** A single trace as one line, for `--follow`. */
export function formatFollowLine(trace: TraceSummary, output: Output): string {
  return `${row(trace, output).filter((cell) => cell !== '').join('  ')}  ${clean(trace.url)}\n`;
}

/**
 * JSON.stringify's replacer: control characters are removed from every string (JSON only
 * escapes C0, so DEL, C1 and bidirectional overrides would reach the terminal, and a consumer
 * such as `jq -r` would print even an escaped ESC raw), and from every key (the field names
 * of a log line come from the log store). A key that would then read like another key of
 * the same object (`http.status_code\u200b` next to `http.status_code`) never replaces it:
 * it is written with its invisible characters spelt out (`http.status_code<U+200B>`).
 */
export function cleanStrings(_key: string, value: unknown): unknown {
  if (typeof value === 'string') return clean(value);
  if (typeof value === 'object' && value !== null && !Array.isArray(value) && Object.keys(value).some((key) => clean(key) !== key)) {
    const genuine = new Set(Object.keys(value).filter((key) => clean(key) === key));
    return Object.fromEntries(
      Object.entries(value).map(([key, field]) => {
        if (genuine.has(key)) return [key, field];
        const cleaned = clean(key);
        return [genuine.has(cleaned) ? spellOutHidden(key) : cleaned, field];
      }),
    );
  }
  return value;
}

/** `text` with every character {@link clean} would remove written as `<U+XXXX>`. */
function spellOutHidden(text: string): string {
  return Array.from(text, (character) =>
    clean(character) === character ? character : `<U+${(character.codePointAt(0) ?? 0).toString(16).toUpperCase().padStart(4, '0')}>`,
  ).join('');
}

/**
 * The lines naming the session's previous and next sessions (none when it has neither, or
 * for a user), each ending in a newline.
 */
export function formatSessionLinks(report: LookupReport): string {
  const lines: string[] = [];
  if (typeof report.previousSessionId === 'string') lines.push(`Previous session: ${clean(report.previousSessionId)}`);
  if (report.nextSessionIds !== undefined && report.nextSessionIds.length > 0) lines.push(`Next session: ${report.nextSessionIds.map(clean).join(', ')}`);
  return lines.map((line) => `${line}\n`).join('');
}

/** The `--chain --json` document, indented. */
export function formatChainJson(chain: ChainReport): string {
  return `${JSON.stringify(chain, cleanStrings, 2)}\n`;
}

/** The `--json` document, indented. */
export function formatJson(report: LookupReport): string {
  return `${JSON.stringify(report, cleanStrings, 2)}\n`;
}

/**
 * One trace as one line of JSON (the fields of an element of `traces` in {@link formatJson}),
 * for `--follow --json`: every line printed is one such object.
 */
export function formatJsonLine(trace: ReportedTrace): string {
  return `${JSON.stringify(trace, cleanStrings)}\n`;
}
