import { inspect } from 'node:util';
import winston from 'winston';
import { DEFAULT_LOG_VALUE_LENGTH_LIMIT } from '../config/index.ts';
import { MESSAGE, type LineFormatOptions } from './json-line-format.ts';
import { removeInvisibleCharacters as clean } from './invisible-characters.ts';
import { loggedRecord } from './logged-record.ts';

/** The record's fields that have a place of their own in a readable line. */
const PLACED = new Set(['level', 'message', 'session.id', 'user.id', 'trace_id', 'span_id', 'trace_flags']);

/** How many characters of a session or trace id a readable line shows. */
export const SHORT_ID_LENGTH = 8;

/**
 * The format of `LOG_FORMAT=pretty` (and of `auto` on a terminal): one line per record for a
 * person reading a terminal, e.g.
 * `08:26:03.862 INFO  request completed session=3f9a0c1e trace=4bf92f35 user=alice method=GET status=200`:
 * local time, level, message, the session, user and trace (ids cut to
 * {@link SHORT_ID_LENGTH} characters), then the other fields as `key=value` in the order
 * they were added (strings as they are when they hold no space or quote, otherwise quoted;
 * objects inspected on one line). Control characters and invisible ones are removed from every
 * part, so no value can start a new line, move the cursor or hide a character. Not for machines: JSON stays the format elsewhere.
 * The session, user and trace are the context's, and strings are cut, as in JSON lines: the
 * line shows the record `loggedRecord` makes, which the format returns for the export.
 */
export function readableLineFormat(options: LineFormatOptions = {}): winston.Logform.Format {
  const limit = options.valueLengthLimit ?? DEFAULT_LOG_VALUE_LENGTH_LIMIT;
  return winston.format((info) => {
    const record = loggedRecord(info, limit);
    record[MESSAGE] = readableLine(record);
    return record as winston.Logform.TransformableInfo;
  })();
}

/** The readable line of a record made by `loggedRecord`. */
function readableLine(record: Record<string, unknown>): string {
  const parts = [clockTime(), String(record['level']).toUpperCase().padEnd(5), clean(String(record['message']))];
  const session = record['session.id'];
  if (typeof session === 'string') parts.push(`session=${clean(session.slice(0, SHORT_ID_LENGTH))}`);
  const user = record['user.id'];
  if (typeof user === 'string') parts.push(`user=${quoted(user)}`);
  const traceId = record['trace_id'];
  if (typeof traceId === 'string') parts.push(`trace=${clean(traceId.slice(0, SHORT_ID_LENGTH))}`);
  for (const [key, value] of Object.entries(record)) {
    if (PLACED.has(key) || value === undefined) continue;
    parts.push(`${clean(key)}=${typeof value === 'string' ? quoted(value) : clean(inspect(value, { breakLength: Infinity, depth: 3 }))}`);
  }
  return parts.join(' ');
}


/** `text` cleaned, and quoted when it is empty or holds a space, a quote or an equals sign. */
function quoted(text: string): string {
  const cleaned = clean(text);
  return cleaned === '' || /[\s"=]/.test(cleaned) ? JSON.stringify(cleaned) : cleaned;
}

/** The local time as HH:MM:SS.mmm. */
function clockTime(): string {
  const now = new Date();
  const two = (n: number): string => String(n).padStart(2, '0');
  return `${two(now.getHours())}:${two(now.getMinutes())}:${two(now.getSeconds())}.${String(now.getMilliseconds()).padStart(3, '0')}`;
}
