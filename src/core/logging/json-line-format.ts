import winston from 'winston';
import { DEFAULT_LOG_VALUE_LENGTH_LIMIT } from '../config/index.ts';
import { loggedRecord } from './logged-record.ts';

/** Where winston's formats leave the finished line (triple-beam's `MESSAGE`). */
export const MESSAGE = Symbol.for('message');

/** logform's own JSON format: slower, but it survives what `JSON.stringify` throws on. */
const safeJson = winston.format.json();

/** Options of the line formats ({@link jsonLineFormat}, `readableLineFormat`). */
export interface LineFormatOptions {
  /**
   * Longest string of a line (the message, each field's value and key), and so of the
   * exported record's body and attributes; longer ones are cut and marked (`loggedRecord`).
   * Default {@link DEFAULT_LOG_VALUE_LENGTH_LIMIT}.
   */
  readonly valueLengthLimit?: number;
}

/**
 * The one format of every log line: `timestamp`, `level` and `message` first, then the
 * record's fields (the context's session and trace, then the caller's own, see
 * `loggedRecord`) in the order they were added, as one JSON object. It returns that record,
 * which the OpenTelemetry bridge exports, without `timestamp` (the exported record has its own).
 *
 * One format instead of winston's `combine(timestamp(), json())`: that pipeline, which sorts
 * every record's keys, was a third of an access line's cost (tools/bench/profile.ts). A
 * record `JSON.stringify` cannot write (a cycle, a BigInt) is written by logform's JSON
 * format instead (`[Circular]`, the BigInt as a number string). JSON escapes control
 * characters, so no value can start a new line or forge a field.
 */
export function jsonLineFormat(options: LineFormatOptions = {}): winston.Logform.Format {
  const limit = options.valueLengthLimit ?? DEFAULT_LOG_VALUE_LENGTH_LIMIT;
  return winston.format((info) => {
    const record = loggedRecord(info, limit);
    let json: unknown;
    try {
      json = JSON.stringify(record);
    } catch {
      // logform's JSON format writes its line into MESSAGE of the record it is given.
      const copy = { ...record } as winston.Logform.TransformableInfo;
      safeJson.transform(copy, {});
      json = copy[MESSAGE];
    }
    // The timestamp goes in front of the record's own JSON (which starts `{"level":`): the
    // exported record must not get it as an attribute, and one object is cheaper than two.
    // An ISO time needs no escaping.
    record[MESSAGE] = `{"timestamp":"${isoTimestamp()}",${String(json).slice(1)}`;
    return record as winston.Logform.TransformableInfo;
  })();
}

let lastMillis = Number.NaN;
let lastTimestamp = '';

/**
 * `new Date().toISOString()`, made once per millisecond: under load many lines share one,
 * and formatting a date costs more than serializing the rest of an access line.
 */
function isoTimestamp(): string {
  const now = Date.now();
  if (now !== lastMillis) {
    lastMillis = now;
    lastTimestamp = new Date(now).toISOString();
  }
  return lastTimestamp;
}
