import type { LogRecordProcessor, ReadWriteLogRecord } from '@opentelemetry/sdk-logs';
import { cutValue } from '../../../limits/index.ts';

/**
 * The first log record processor: every attribute value of every log record, and the
 * strings inside it at any depth, cut to `limit` characters with the mark the log lines use
 * (`…[N more characters]`, `cutValue`).
 *
 * The SDK's own limit (`logRecordLimits.attributeValueLengthLimit`) is none unless
 * OTEL_LOGRECORD_ATTRIBUTE_VALUE_LENGTH_LIMIT or OTEL_ATTRIBUTE_VALUE_LENGTH_LIMIT is set, and
 * `NodeSDK` takes no other: this applies the core's default. The logger's records come
 * already cut (their fields are the line's, `loggedRecord`); this bounds what is made after
 * the line, the `exception.*` attributes the SDK takes from an `err` or `error` object, and
 * records emitted through the OpenTelemetry logs API directly. When one of those variables is
 * set, the SDK cuts to the same limit first (without a mark), and this changes nothing.
 */
export class LogValueLimitProcessor implements LogRecordProcessor {
  readonly #limit: number;

  /** @param limit the longest string value, in characters (UTF-16 code units); at least 1. */
  constructor(limit: number) {
    this.#limit = limit;
  }

  onEmit(record: ReadWriteLogRecord): void {
    for (const [key, value] of Object.entries(record.attributes)) {
      const cut = cutValue(value, this.#limit);
      if (cut !== value) record.setAttribute(key, cut);
    }
  }

  forceFlush(): Promise<void> {
    return Promise.resolve();
  }

  shutdown(): Promise<void> {
    return Promise.resolve();
  }
}
