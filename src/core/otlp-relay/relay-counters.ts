import { diag } from '@opentelemetry/api';
import { TELEMETRY_LOSS_REPORT } from '../telemetry/index.ts';

/** Why the relay refused a batch itself (each reason is one error code of its answers). */
export const REFUSAL_REASONS = ['rateLimited', 'busy', 'unsupportedMediaType', 'payloadTooLarge', 'invalidOtlp', 'aborted'] as const;
export type RefusalReason = (typeof REFUSAL_REASONS)[number];

/** Why a batch the relay accepted did not reach the collector's storage. */
export const FAILURE_REASONS = ['unreachable', 'collectorError', 'collectorRefused'] as const;
export type FailureReason = (typeof FAILURE_REASONS)[number];

/**
 * What became of the batches browsers posted since start (shown by `/readyz` as
 * `telemetry.browserRelay`).
 */
export interface BrowserRelayCounts {
  /** Forwarded and accepted by the collector (it answered 2xx). */
  readonly forwarded: number;
  /**
   * Refused by the relay, by reason: `rateLimited` (429), `busy` (503), `unsupportedMediaType`
   * (415), `payloadTooLarge` (413), `invalidOtlp` (400), `aborted` (the client went away
   * mid-body).
   */
  readonly refused: Readonly<Record<RefusalReason, number>>;
  /**
   * Accepted by the relay but lost: `unreachable` (no answer, or none in time: 502),
   * `collectorError` (5xx or a redirect: 502), `collectorRefused` (4xx, passed on).
   */
  readonly failed: Readonly<Record<FailureReason, number>>;
}

/**
 * Counts the relay's batches and reports refusals and failures through the OpenTelemetry
 * diagnostic logger, like the loss monitor: the first refusal or failure arms one timer, and
 * `intervalMs` later a single line tells everything since the last report, with totals. At
 * most one line per interval, never one per batch, and no timer at all while nothing goes
 * wrong. The lines hold counts only, never anything a client sent.
 */
export class RelayCounters {
  readonly #intervalMs: number;
  #forwarded = 0;
  readonly #refused = zeros(REFUSAL_REASONS);
  readonly #failed = zeros(FAILURE_REASONS);
  #reported: BrowserRelayCounts;
  #timer: NodeJS.Timeout | undefined;

  constructor(intervalMs: number) {
    this.#intervalMs = intervalMs;
    this.#reported = this.counts();
  }

  forwarded(): void {
    this.#forwarded++;
  }

  refused(reason: RefusalReason): void {
    this.#refused[reason]++;
    this.#armReport();
  }

  failed(reason: FailureReason): void {
    this.#failed[reason]++;
    this.#armReport();
  }

  /** Totals since start. */
  counts(): BrowserRelayCounts {
    return { forwarded: this.#forwarded, refused: { ...this.#refused }, failed: { ...this.#failed } };
  }

  /** Writes one line about the refusals and failures since the last report, if any. */
  report(): void {
    clearTimeout(this.#timer);
    this.#timer = undefined;
    const now = this.counts();
    const refused = differences(REFUSAL_REASONS, now.refused, this.#reported.refused);
    const failed = differences(FAILURE_REASONS, now.failed, this.#reported.failed);
    this.#reported = now;
    if (refused.total === 0 && failed.total === 0) return;
    const what = [
      ...(refused.total > 0 ? [`refused ${batches(refused.total)}${refused.detail}`] : []),
      ...(failed.total > 0 ? [`failed to deliver ${batches(failed.total)}${failed.detail}`] : []),
    ];
    diag.warn(
      `${TELEMETRY_LOSS_REPORT} the browser telemetry relay ${what.join(' and ')} since the last report; ` +
        `totals: ${now.forwarded} forwarded, ${sum(now.refused)} refused, ${sum(now.failed)} failed`,
    );
  }

  #armReport(): void {
    // unref: a pending report never keeps the process alive.
    this.#timer ??= setTimeout(() => {
      this.report();
    }, this.#intervalMs).unref();
  }
}

function zeros<T extends string>(names: readonly T[]): Record<T, number> {
  return Object.fromEntries(names.map((name) => [name, 0])) as Record<T, number>;
}

function batches(count: number): string {
  return count === 1 ? '1 batch' : `${count} batches`;
}

function sum(counts: Readonly<Record<string, number>>): number {
  return Object.values(counts).reduce((total, count) => total + count, 0);
}

/** The increase of each count since `before`: its total and ` (reason n, …)` for those that grew. */
function differences<T extends string>(
  names: readonly T[],
  now: Readonly<Record<T, number>>,
  before: Readonly<Record<T, number>>,
): { total: number; detail: string } {
  const grown = names.map((name) => [name, now[name] - before[name]] as const).filter(([, count]) => count > 0);
  const total = grown.reduce((all, [, count]) => all + count, 0);
  return { total, detail: grown.length === 0 ? '' : ` (${grown.map(([name, count]) => `${name} ${count}`).join(', ')})` };
}
