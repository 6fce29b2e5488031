import type { ReadableLogRecord } from '@opentelemetry/sdk-logs';
import { registeredTelemetry } from '../../../src/core/telemetry/index.ts';
import { logRecordExporter } from './integration-preload.ts';
import { waitFor } from './service-process.ts';

/**
 * The log records exported so far that `matches`, once there are at least `count` of them:
 * flushes the batch processor and polls until `deadlineMs`.
 */
export async function exportedLogRecords(
  what: string,
  matches: (record: ReadableLogRecord) => boolean,
  count = 1,
  deadlineMs = 5000,
): Promise<ReadableLogRecord[]> {
  const matching = (): ReadableLogRecord[] => logRecordExporter.getFinishedLogRecords().filter(matches);
  await waitFor(
    `${count} exported log record(s): ${what}`,
    async () => {
      await registeredTelemetry().forceFlush();
      return matching().length >= count;
    },
    deadlineMs,
    () => `${matching().length} found among ${logRecordExporter.getFinishedLogRecords().length}`,
  );
  return matching();
}
