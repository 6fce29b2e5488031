import type { LogLine } from './victorialogs-answer.ts';

/** The session's log lines, split by the traces Jaeger listed. */
export interface GroupedLogs {
  /** The lines of each listed trace (by the trace id as Jaeger gives it), oldest first; every listed trace has an entry. */
  readonly byTrace: ReadonlyMap<string, readonly LogLine[]>;
  /** The lines in no listed trace (logged outside a trace, or in one Jaeger did not list), oldest first. */
  readonly unlisted: readonly LogLine[];
}

/**
 * A trace id as compared: lowercase, without leading zeros. OTLP writes 32 hex digits;
 * Jaeger's v1 API writes the high half of an id without its leading zeros.
 */
export function traceKey(traceId: string): string {
  return traceId.toLowerCase().replace(/^0+(?=.)/, '');
}

const byText = (a: string, b: string): number => (a < b ? -1 : a > b ? 1 : 0);

/** Orders lines by time (nanoseconds); lines of the same time by service, message and span, so the order never depends on the store's. */
export function compareLogLines(a: LogLine, b: LogLine): number {
  return byText(a.time, b.time) || byText(a.service, b.service) || byText(a.message, b.message) || byText(a.spanId ?? '', b.spanId ?? '');
}

/** Puts each line under its trace when `traceIds` lists it, else among the unlisted lines; both sorted by {@link compareLogLines}. */
export function groupLogs(lines: readonly LogLine[], traceIds: readonly string[]): GroupedLogs {
  const byKey = new Map<string, LogLine[]>();
  for (const traceId of traceIds) byKey.set(traceKey(traceId), []);
  const unlisted: LogLine[] = [];
  for (const line of [...lines].sort(compareLogLines)) {
    const group = line.traceId === null ? undefined : byKey.get(traceKey(line.traceId));
    (group ?? unlisted).push(line);
  }
  return { byTrace: new Map(traceIds.map((traceId) => [traceId, byKey.get(traceKey(traceId)) ?? []])), unlisted };
}
