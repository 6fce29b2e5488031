import winston from 'winston';

/** Where winston's formats leave the finished line (triple-beam's `MESSAGE`). */
export const MESSAGE = Symbol.for('message');

/** logform's own JSON format: slower, but it survives what `JSON.stringify` throws on. */
const safeJson = winston.format.json();

/**
 * The one format of every log line: `timestamp`, `level` and `message` first, then the
 * record's fields (session, trace, the caller's own) in the order they were added, as one
 * JSON object.
 *
 * One format instead of winston's `combine(timestamp(), json())`: that pipeline, which sorts
 * every record's keys, was a third of an access line's cost (tools/bench/profile.ts). A
 * record `JSON.stringify` cannot write (a cycle, a BigInt) is written by logform's JSON
 * format instead (`[Circular]`, the BigInt as a number string). JSON escapes control
 * characters, so no value can start a new line or forge a field.
 */
export const jsonLineFormat = winston.format((info) => {
  // The leading fields keep their place; assigning the record over them changes no value.
  const line = Object.assign({ timestamp: isoTimestamp(), level: info.level, message: info.message }, info);
  let text: unknown;
  try {
    text = JSON.stringify(line);
  } catch {
    // logform's JSON format writes its line into MESSAGE of the record it is given.
    safeJson.transform(line, {});
    text = (line as Record<symbol, unknown>)[MESSAGE];
  }
  (info as Record<symbol, unknown>)[MESSAGE] = text;
  return info;
});

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
