import type { EnvReader } from './env-reader.ts';

/** The variable prefixes of the batch processors: spans (`OTEL_BSP`) and log records (`OTEL_BLRP`). */
export const BATCH_PROCESSOR_PREFIXES = ['OTEL_BSP', 'OTEL_BLRP'] as const;
export type BatchProcessorPrefix = (typeof BATCH_PROCESSOR_PREFIXES)[number];

/** A batch processor's options as its variables set them; an unset or empty variable is absent. */
export interface BatchProcessorVariables {
  maxQueueSize?: number;
  maxExportBatchSize?: number;
  scheduledDelayMillis?: number;
  exportTimeoutMillis?: number;
}

/**
 * The largest delay Node's timers take (2^31 - 1 ms, about 24.8 days): a longer one fires
 * after 1 ms instead, with a warning.
 */
const MAX_TIMER_MS = 2_147_483_647;

/**
 * Reads `<prefix>_MAX_QUEUE_SIZE`, `_MAX_EXPORT_BATCH_SIZE`, `_SCHEDULE_DELAY` and
 * `_EXPORT_TIMEOUT`: whole numbers only, up to 2147483647. An unset or empty variable is
 * absent (the default applies, as the specification says of empty values); anything else
 * out of range is a problem recorded in `read`: a fraction, a sign, an exponent, a word.
 *
 * Zero is refused for the sizes (a queue of 0 drops every item; a batch of 0, or of 0.5,
 * never fills, so nothing is ever exported) and for the timeout (every export would time
 * out at once); a schedule delay of 0 exports as soon as an item ends. A batch larger than
 * the queue is left to the SDK, which lowers it to the queue size with a warning.
 */
export function readBatchProcessorVariables(read: EnvReader, prefix: BatchProcessorPrefix): BatchProcessorVariables {
  const variables: BatchProcessorVariables = {};
  const limits = [
    ['maxQueueSize', 'MAX_QUEUE_SIZE', 1],
    ['maxExportBatchSize', 'MAX_EXPORT_BATCH_SIZE', 1],
    ['scheduledDelayMillis', 'SCHEDULE_DELAY', 0],
    ['exportTimeoutMillis', 'EXPORT_TIMEOUT', 1],
  ] as const;
  for (const [option, suffix, min] of limits) {
    const value = read.optionalInteger(`${prefix}_${suffix}`, min, MAX_TIMER_MS);
    if (value !== undefined) variables[option] = value;
  }
  return variables;
}
