import { diag } from '@opentelemetry/api';
import { MeterProvider, MetricReader, type CollectionResult } from '@opentelemetry/sdk-metrics';

/** What became of the items (spans or log records) that left a batch processor since start. */
export interface Delivery {
  /** Handed to the exporter and acknowledged. */
  readonly exported: number;
  /** Rejected because the queue was full (the collector is slower than the service). */
  readonly droppedQueueFull: number;
  /** Lost because their export failed (collector unreachable or refusing). */
  readonly failedExport: number;
}

/** The delivery of every exported signal. */
export interface TelemetryDelivery {
  readonly spans: Delivery;
  readonly logRecords: Delivery;
}

/**
 * How every loss report begins. The reports are rate-limited by the monitor's own interval
 * already, and each carries counts no other report repeats: the diagnostics logger writes
 * them all, rather than holding back repeats as it does for other messages.
 */
export const TELEMETRY_LOSS_REPORT = 'Telemetry loss:';

/** Nothing delivered, nothing lost. */
export const NO_DELIVERY: TelemetryDelivery = {
  spans: { exported: 0, droppedQueueFull: 0, failedExport: 0 },
  logRecords: { exported: 0, droppedQueueFull: 0, failedExport: 0 },
};

/** The SDK's self-observability metric of each signal's processors, and the word for its items. */
const SIGNALS = {
  spans: { metric: 'otel.sdk.processor.span.processed', items: 'spans' },
  logRecords: { metric: 'otel.sdk.processor.log.processed', items: 'log records' },
} as const;

/** A metric reader that is only read on demand, in-process. */
class OnDemandReader extends MetricReader {
  protected override onShutdown(): Promise<void> {
    return Promise.resolve();
  }

  protected override onForceFlush(): Promise<void> {
    return Promise.resolve();
  }
}

/**
 * Counts what happens to finished spans and emitted log records, from the SDK's own
 * self-observability metrics `otel.sdk.processor.span.processed` and
 * `otel.sdk.processor.log.processed` (their `error.type` says why an item was not delivered),
 * and reports losses as warnings through the OpenTelemetry diagnostic logger: at most one
 * line per signal per interval, never one per item.
 */
export class TelemetryLossMonitor {
  /** Give this to the batch processors as their `selfObsMeterProvider`. */
  readonly meterProvider: MeterProvider;
  readonly #reader = new OnDemandReader();
  #reported: TelemetryDelivery = NO_DELIVERY;
  #timer: NodeJS.Timeout | undefined;

  constructor() {
    this.meterProvider = new MeterProvider({ readers: [this.#reader] });
  }

  /** Totals since start. */
  async delivery(): Promise<TelemetryDelivery> {
    return summarize(await this.#reader.collect());
  }

  /** Warns every `intervalMs` in which items were lost. The timer never keeps the process alive. */
  startReporting(intervalMs: number): void {
    this.#timer ??= setInterval(() => void this.report(), intervalMs).unref();
  }

  /** Warns once per signal that lost items since the last report. Never throws. */
  async report(): Promise<void> {
    try {
      const now = await this.delivery();
      const before = this.#reported;
      this.#reported = now;
      for (const signal of Object.keys(SIGNALS) as (keyof TelemetryDelivery)[]) {
        const dropped = now[signal].droppedQueueFull - before[signal].droppedQueueFull;
        const failed = now[signal].failedExport - before[signal].failedExport;
        if (dropped <= 0 && failed <= 0) continue;
        const { items } = SIGNALS[signal];
        const totals = now[signal];
        diag.warn(
          `${TELEMETRY_LOSS_REPORT} ${dropped} ${items} dropped (queue full) and ${failed} ${items} failed to export since the last report; ` +
            `totals: ${totals.exported} exported, ${totals.droppedQueueFull} dropped, ${totals.failedExport} failed`,
        );
      }
    } catch (error) {
      diag.warn('Could not read telemetry delivery counters', error);
    }
  }

  async shutdown(): Promise<void> {
    clearInterval(this.#timer);
    await this.meterProvider.shutdown();
  }
}

function summarize(result: CollectionResult): TelemetryDelivery {
  const counts = {
    spans: { exported: 0, droppedQueueFull: 0, failedExport: 0 },
    logRecords: { exported: 0, droppedQueueFull: 0, failedExport: 0 },
  };
  for (const scope of result.resourceMetrics.scopeMetrics) {
    for (const metric of scope.metrics) {
      const signal = metric.descriptor.name === SIGNALS.spans.metric ? 'spans' : metric.descriptor.name === SIGNALS.logRecords.metric ? 'logRecords' : undefined;
      if (signal === undefined) continue;
      for (const point of metric.dataPoints) {
        const count = typeof point.value === 'number' ? point.value : 0;
        const errorType = point.attributes['error.type'];
        if (errorType === undefined) counts[signal].exported += count;
        else if (errorType === 'queue_full') counts[signal].droppedQueueFull += count;
        else counts[signal].failedExport += count;
      }
    }
  }
  return counts;
}
