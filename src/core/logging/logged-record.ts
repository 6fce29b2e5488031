import type winston from 'winston';
import { SESSION_TELEMETRY_NAMES } from '../context/index.ts';
import { cutText, cutValue } from '../limits/index.ts';
import { CONTEXT_FIELDS, LOGGED_IN_CONTEXT, type ContextFields } from './context-log-fields.ts';

/** The prefix under which a caller's field named like a {@link RESERVED_LOG_FIELDS} one is kept. */
export const CALLER_FIELD_PREFIX = 'meta.';

/**
 * The names only the core writes in a log line and its exported record: `timestamp` (the
 * line's), `level` and `message` (the logging call's: winston takes the level from the call,
 * dropping a meta object's `level`, and appends a meta object's `message` to the message),
 * `session.id`, `user.id`, `session.previous_id`, `trace_id`, `span_id` and `trace_flags`
 * (the caller's context), and `event.name`, which OpenTelemetry's winston bridge would make
 * the exported record's event name. A caller's field of one of these names, other than
 * `level` and `message`, is kept as `meta.<name>`.
 */
export const RESERVED_LOG_FIELDS: ReadonlySet<string> = new Set([
  'timestamp',
  'level',
  'message',
  ...SESSION_TELEMETRY_NAMES,
  'trace_id',
  'span_id',
  'trace_flags',
  'event.name',
]);

/** The symbols of winston's record that the transports read ({@link loggedRecord}). */
const CARRIED_SYMBOLS: readonly symbol[] = [Symbol.for('level'), Symbol.for('splat'), LOGGED_IN_CONTEXT];

/**
 * The record a logging call leaves for the line on stdout and for the exported log record (the
 * formats return it, and OpenTelemetry's winston bridge reads it), made from winston's `info`:
 *
 * - `level`, then `message`, the logging call's own (winston appends a meta object's
 *   `message` to the message);
 * - then the fields the core read from the caller's context ({@link CONTEXT_FIELDS}), which
 *   nothing logged can replace;
 * - then the caller's fields in the order given, a field named like one of
 *   {@link RESERVED_LOG_FIELDS} renamed `meta.<name>` (`logger.info('client data', req.body)`
 *   with a body naming `session.id` can put no line under another session); such a renamed
 *   field replaces a `meta.<name>` field the caller gave too;
 * - the symbols of `info` the transports read (winston's level and splat, the context the
 *   bridge exports the record in).
 *
 * Every string longer than `limit`, the message and the fields' values and keys at any depth
 * of plain objects and arrays, is cut and marked ({@link cutValue}). The ids read from the
 * context are never longer. `info` itself is left as it is.
 */
export function loggedRecord(info: winston.Logform.TransformableInfo, limit: number): Record<string | symbol, unknown> {
  const record: Record<string | symbol, unknown> = {
    level: info.level,
    message: cutValue(info.message, limit),
    ...(info[CONTEXT_FIELDS] as ContextFields | undefined),
  };
  let renamed: [string, unknown][] | undefined;
  for (const key of Object.keys(info)) {
    if (key === 'level' || key === 'message') continue;
    const value = info[key];
    if (value === undefined) continue;
    if (RESERVED_LOG_FIELDS.has(key)) (renamed ??= []).push([`${CALLER_FIELD_PREFIX}${key}`, value]);
    // The common case, a number or a short string, without a call.
    else if (typeof value !== 'object' && (typeof value !== 'string' || value.length <= limit) && key.length <= limit) record[key] = value;
    else record[key.length <= limit ? key : cutText(key, limit)] = cutValue(value, limit);
  }
  if (renamed !== undefined) for (const [key, value] of renamed) record[key] = cutValue(value, limit);
  // The symbols winston's transports read: the level, the splat (the bridge looks for an
  // exception there) and the context the bridge exports the record in.
  for (const symbol of CARRIED_SYMBOLS) if (info[symbol] !== undefined) record[symbol] = info[symbol];
  return record;
}
