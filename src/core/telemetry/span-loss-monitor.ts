import { diag } from '@opentelemetry/api';
import { MeterProvider, MetricReader, type CollectionResult } from '@opentelemetry/sdk-metrics';

/** Spans that left the batch processor, by outcome, since the process started. */
export interface SpanDelivery {
  /** Handed to the exporter and acknowledged. */
  readonly exported: number;
  /** Rejected because the queue was full (the collector is slower than the service). */
  readonly droppedQueueFull: number;
  /** Lost because their export failed (collector unreachable or refusing). */
  readonly failedExport: number;
}

const PROCESSED_METRIC = 'otel.sdk.processor.span.processed';

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
 * Counts what happens to finished spans, from the SDK's own self-observability metric
 * `otel.sdk.processor.span.processed` (its `error.type` says why a span was not delivered),
 * and reports losses as warnings through the OpenTelemetry diagnostic logger: at most one
 * line per interval, never one per span.
 */
export class SpanLossMonitor {
  /** Give this to the batch span processors as their `selfObsMeterProvider`. */
  readonly meterProvider: MeterProvider;
  readonly #reader = new OnDemandReader();
  #reported: SpanDelivery = { exported: 0, droppedQueueFull: 0, failedExport: 0 };
  #timer: NodeJS.Timeout | undefined;

  constructor() {
    this.meterProvider = new MeterProvider({ readers: [this.#reader] });
  }

  /** Totals since start. */
  async delivery(): Promise<SpanDelivery> {
    return summarize(await this.#reader.collect());
  }

  /** Warns every `intervalMs` in which spans were lost. The timer never keeps the process alive. */
  startReporting(intervalMs: number): void {
    this.#timer ??= setInterval(() => void this.report(), intervalMs).unref();
  }

  /** Warns once if spans were lost since the last report. Never throws. */
  async report(): Promise<void> {
    try {
      const now = await this.delivery();
      const dropped = now.droppedQueueFull - this.#reported.droppedQueueFull;
      const failed = now.failedExport - this.#reported.failedExport;
      this.#reported = now;
      if (dropped > 0 || failed > 0) {
        diag.warn(
          `Telemetry loss: ${dropped} spans dropped (queue full) and ${failed} spans failed to export since the last report; ` +
            `totals: ${now.exported} exported, ${now.droppedQueueFull} dropped, ${now.failedExport} failed`,
        );
      }
    } catch (error) {
      diag.warn('Could not read span delivery counters', error);
    }
  }

  async shutdown(): Promise<void> {
    clearInterval(this.#timer);
    await this.meterProvider.shutdown();
  }
}

function summarize(result: CollectionResult): SpanDelivery {
  let exported = 0;
  let droppedQueueFull = 0;
  let failedExport = 0;
  for (const scope of result.resourceMetrics.scopeMetrics) {
    for (const metric of scope.metrics) {
      if (metric.descriptor.name !== PROCESSED_METRIC) continue;
      for (const point of metric.dataPoints) {
        const count = typeof point.value === 'number' ? point.value : 0;
        const errorType = point.attributes['error.type'];
        if (errorType === undefined) exported += count;
        else if (errorType === 'queue_full') droppedQueueFull += count;
        else failedExport += count;
      }
    }
  }
  return { exported, droppedQueueFull, failedExport };
}
