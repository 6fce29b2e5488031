import { styleText } from 'node:util';
import Table from 'cli-table3';
import type { TraceSummary } from './trace-summary.ts';

/** What the lookup found, as `--json` prints it. Field names are stable (README). */
export interface LookupReport {
  /** The tag searched for: `{"session.id": …}` or `{"user.id": <sha256>}`. */
  readonly tags: Readonly<Record<string, string>>;
  readonly since: string;
  readonly servicesSearched: readonly string[];
  readonly jaegerUrl: string;
  /** Jaeger UI search for the whole session (or user), in the entry service. */
  readonly searchUrl: string | null;
  readonly traces: readonly TraceSummary[];
}

/** Where text goes; colours only when it is a terminal and NO_COLOR is unset. */
export interface Output {
  readonly stream: NodeJS.WriteStream;
}

const HEAD = ['START (UTC)', 'DURATION', 'ENTRY', 'OPERATION', 'STATUS', 'SPANS', 'SERVICES', 'ERROR', 'USER.ID'];

/** Colours `text` when the stream is a colour terminal (styleText checks TTY and NO_COLOR). */
function paint(format: Parameters<typeof styleText>[0], text: string, output: Output): string {
  return styleText(format, text, { stream: output.stream });
}

/** One table row of a trace. */
function row(trace: TraceSummary, output: Output): string[] {
  return [
    trace.startTime.replace('T', ' ').replace('Z', ''),
    `${trace.durationMs} ms`,
    trace.entryService,
    trace.operation,
    trace.httpStatus === null ? '-' : String(trace.httpStatus),
    String(trace.spanCount),
    trace.services.join(','),
    trace.error ? paint('red', 'ERROR', output) : '',
    trace.userId === null ? '-' : `${trace.userId.slice(0, 12)}…`,
  ];
}

/** The traces as a table, then a UI link per trace and one for the whole search. */
export function formatReport(report: LookupReport, output: Output): string {
  const table = new Table({ head: HEAD.map((title) => paint('bold', title, output)), style: { head: [], border: [], compact: true } });
  for (const trace of report.traces) table.push(row(trace, output));
  const links = report.traces.map((trace) => `  ${trace.traceId}  ${paint('cyan', trace.url, output)}`);
  const lines = [table.toString(), '', 'Traces in Jaeger:', ...links];
  if (report.searchUrl !== null) lines.push('', `All of them: ${paint('cyan', report.searchUrl, output)}`);
  return `${lines.join('\n')}\n`;
}

/** A single trace as one line, for `--follow`. */
export function formatFollowLine(trace: TraceSummary, output: Output): string {
  return `${row(trace, output).filter((cell) => cell !== '').join('  ')}  ${trace.url}\n`;
}

/** The `--json` document. */
export function formatJson(report: LookupReport): string {
  return `${JSON.stringify(report, null, 2)}\n`;
}
