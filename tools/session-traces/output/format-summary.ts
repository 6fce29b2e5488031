import Table from 'cli-table3';
import type { SessionSummary } from '../jaeger/index.ts';
import type { LookupReport } from '../report/index.ts';
import { stripControlCharacters as clean } from '../text/index.ts';
import { paint, type Output } from './paint.ts';
import { asTableTime } from './table-time.ts';

const HEAD = ['SERVICE', 'OPERATION', 'ROUTE', 'REQUESTS', 'ERRORS', 'P50', 'P99'];

type ServiceEntry = SessionSummary['byService'][number];

/** `api 3, orders 1`: a count per service of `entries`, names cleaned. */
function perService(entries: readonly ServiceEntry[], count: (entry: ServiceEntry) => number): string {
  return entries.map((entry) => `${clean(entry.service)} ${count(entry)}`).join(', ');
}

/** The errors line: `0`, or how many of the requests from outside failed and which services answered with one. */
function errorsLine(summary: SessionSummary, output: Output): string {
  if (summary.errors === 0) return '0';
  const served = perService(
    summary.byService.filter((entry) => entry.errors > 0),
    (entry) => entry.errors,
  );
  return `${paint('red', String(summary.edgeErrors), output)} from outside; served with an error: ${served}`;
}

/**
 * The summary block printed after the trace table (and after the `--logs` lines): a heading,
 * the requests from outside and those each service served, the errors, the services, the
 * first and last time, then one table row per route with its request count, errors and p50
 * and p99 durations. Nothing (an empty string) when the report has no summary: no traces, or
 * `--follow`. Every name from Jaeger is cleaned before colours are added.
 */
export function formatSummary(report: LookupReport, output: Output): string {
  const summary = report.summary;
  if (summary === undefined || summary === null) return '';
  const traces = `${summary.traces} ${summary.traces === 1 ? 'trace' : 'traces'}`;
  const served = summary.byService.length === 0 ? '' : `; served: ${perService(summary.byService, (entry) => entry.requests)}`;
  const lines = [
    paint('bold', `Summary (${traces})`, output),
    `  requests  ${summary.edgeRequests} from outside${served}`,
    `  errors    ${errorsLine(summary, output)}`,
    `  services  ${summary.services.map(clean).join(', ')}`,
    `  time      ${asTableTime(summary.firstStart)} to ${asTableTime(summary.lastEnd)} (UTC)`,
  ];
  if (summary.routes.length > 0) {
    const table = new Table({ head: HEAD.map((title) => paint('bold', title, output)), style: { head: [], border: [], compact: true } });
    for (const route of summary.routes) {
      table.push([
        clean(route.service),
        clean(route.operation),
        route.httpRoute === null ? '-' : clean(route.httpRoute),
        String(route.requests),
        route.errors === 0 ? '0' : paint('red', String(route.errors), output),
        `${route.p50Ms} ms`,
        `${route.p99Ms} ms`,
      ]);
    }
    lines.push(table.toString());
  }
  return `${lines.join('\n')}\n`;
}
