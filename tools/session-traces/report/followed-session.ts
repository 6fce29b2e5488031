import { compareLogLines, traceKey, type LogLine } from '../victorialogs/index.ts';
import type { LookupReport, ReportedTrace } from './lookup-report.ts';

/** What one poll of `--follow` prints. */
export interface FollowUpdate {
  /** Traces not printed before, each with every line of it known now. */
  readonly traces: readonly ReportedTrace[];
  /** `--logs`: lines not printed before that go under no new trace, oldest first. */
  readonly unlisted: readonly LogLine[];
}

/** Identifies a line across polls (the store gives lines no id). */
const lineKey = (line: LogLine): string => JSON.stringify([line.time, line.service, line.spanId, line.message, line.fields]);

/**
 * What `--follow` has printed of a session, deciding what each poll adds. A trace is printed
 * once, when it first appears, with the lines logged in it that are known then. A line is
 * printed once more only as a trace it belongs to carries it. Every other line goes among the
 * unlisted lines as it arrives: at once when it has no trace id or its trace was printed
 * before (a late line); when its trace has not appeared yet, only after it has waited
 * `graceMs` for the trace (spans reach Jaeger later than lines reach the log store, so a
 * request's lines usually arrive before its trace).
 */
export class FollowedSession {
  readonly #graceMs: number;
  readonly #now: () => number;
  readonly #traces = new Set<string>();
  /** {@link traceKey}s of the printed traces. */
  readonly #traceKeys = new Set<string>();
  readonly #lines = new Set<string>();
  /** Lines waiting for their trace: key → when first seen. */
  #waiting = new Map<string, number>();

  /** @param now the clock, in milliseconds (tests pass their own). */
  constructor(graceMs: number, now: () => number = Date.now) {
    this.#graceMs = graceMs;
    this.#now = now;
  }

  /** How many traces have been printed. */
  get traceCount(): number {
    return this.#traces.size;
  }

  /** Records that the first search's report was printed whole. */
  printed(report: LookupReport): void {
    for (const trace of report.traces) this.#printTrace(trace);
    for (const line of report.logs ?? []) this.#lines.add(lineKey(line));
  }

  /** What to print of a poll's report; records it as printed. */
  next(report: LookupReport): FollowUpdate {
    const traces = report.traces.filter((trace) => !this.#traces.has(trace.traceId));
    // Lines of traces printed before are candidates too: they arrived after their trace.
    const candidates = [...(report.logs ?? []), ...report.traces.filter((trace) => this.#traces.has(trace.traceId)).flatMap((trace) => trace.logs ?? [])];
    for (const trace of traces) this.#printTrace(trace);

    const now = this.#now();
    const waiting = new Map<string, number>();
    const unlisted: LogLine[] = [];
    for (const line of candidates) {
      const key = lineKey(line);
      if (this.#lines.has(key)) continue;
      const since = this.#waiting.get(key) ?? now;
      if (line.traceId !== null && !this.#traceKeys.has(traceKey(line.traceId)) && now - since < this.#graceMs) {
        waiting.set(key, since);
        continue;
      }
      this.#lines.add(key);
      unlisted.push(line);
    }
    // Only lines still in the window wait on.
    this.#waiting = waiting;
    return { traces, unlisted: unlisted.sort(compareLogLines) };
  }

  #printTrace(trace: ReportedTrace): void {
    this.#traces.add(trace.traceId);
    this.#traceKeys.add(traceKey(trace.traceId));
    for (const line of trace.logs ?? []) this.#lines.add(lineKey(line));
  }
}
