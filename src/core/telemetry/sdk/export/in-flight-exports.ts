import type { ExportResult } from '@opentelemetry/core';

/** The part of a span or log record exporter that {@link countInFlight} wraps. */
export interface ItemExporter<T> {
  export(items: T[], resultCallback: (result: ExportResult) => void): void;
  shutdown(): Promise<void>;
  forceFlush?(): Promise<void>;
}

/** What {@link countInFlight} returns: an exporter with every method. */
export interface CountingExporter<T> extends ItemExporter<T> {
  forceFlush(): Promise<void>;
}

/** Items handed to exporters whose export has not finished yet, per signal. */
export interface InFlightCounts {
  spans: number;
  logRecords: number;
}

/**
 * `exporter`, counting in `counts[signal]` the items of every export that has not called back
 * yet. A shutdown that gives up waiting reads these as the items lost: at shutdown the batch
 * processors hand their whole queue to the exporter at once, so what is still queued is in
 * flight. The processors' own metrics count an item only once its export has finished.
 */
export function countInFlight<T>(exporter: ItemExporter<T>, counts: InFlightCounts, signal: keyof InFlightCounts): CountingExporter<T> {
  return {
    export(items, resultCallback) {
      counts[signal] += items.length;
      let done = false;
      exporter.export(items, (result) => {
        if (!done) {
          done = true;
          counts[signal] -= items.length;
        }
        resultCallback(result);
      });
    },
    shutdown: () => exporter.shutdown(),
    forceFlush: () => exporter.forceFlush?.() ?? Promise.resolve(),
  };
}
