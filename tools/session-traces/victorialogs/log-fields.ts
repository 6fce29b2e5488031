import { stripControlCharacters } from '../text/index.ts';

/**
 * Fields of every line that say nothing about the line itself, or that the lookup shows
 * elsewhere: the search key (`session.id`, hashed `user.id`), the trace and span (under
 * which the line is printed), the severity (the level), the event name (shown in place of
 * the message). The OpenTelemetry winston bridge
 * sends `trace_flags` only as the record's flags, but a line from another sender may carry it.
 */
const HIDDEN = new Set(['session.id', 'user.id', 'trace_id', 'span_id', 'trace_flags', 'severity_text', 'severity_number', 'event_name']);

/**
 * VictoriaLogs' own fields (`_msg`, `_time`, `_stream`, `_stream_id`), the resource
 * (`service.name`, `service.version`, …) and the instrumentation scope (`scope.name`, `scope.version`).
 */
const HIDDEN_PREFIXES = ['_', 'service.', 'scope.'];

/**
 * Shown first, in this order, when present: what the access line of a request says (the
 * service's names, `http.method` …, and the current semantic conventions' names).
 */
const FIRST = [
  'http.request.method', 'http.method', 'method',
  'http.route', 'route', 'url.path',
  'http.response.status_code', 'http.status_code', 'status',
  'duration_ms',
];

/** `name="value"` pairs of a `_stream` value such as `{service.name="api",service.version="0.1.0"}`. */
const STREAM_FIELD = /([^{},="]+)="(?:[^"\\]|\\.)*"/g;

/**
 * The names of the fields in a line's `_stream` (VictoriaLogs makes the stream of an
 * OpenTelemetry log record from its resource attributes, e.g. `host.name` or `process.pid`).
 */
export function streamFieldNames(stream: string | undefined): Set<string> {
  const names = new Set<string>();
  for (const [, name = ''] of (stream ?? '').matchAll(STREAM_FIELD)) names.add(name.trim());
  return names;
}

/**
 * The fields of a stored line worth printing with it, in a fixed order: the request's
 * method, route, status and duration first, then every other field by name. Left out: the
 * store's own fields, the resource (the stream's fields, `service.*`) and scope (`scope.*`),
 * the search key (`session.id`, `user.id`), the trace and span ids and the severity, each
 * also under a name that prints the same (with invisible characters, which printing removes).
 */
export function fieldsThatMatter(record: Readonly<Record<string, string>>): [string, string][] {
  const stream = new Set([...streamFieldNames(record['_stream'])].map(stripControlCharacters));
  // Names compared as they print: `session.id\u200b` prints as `session.id` and is left out
  // as that one is, so no line can show a second, forged `session.id=` (or a forged field
  // of the resource, or of the store).
  const isShown = (name: string): boolean => {
    const printed = stripControlCharacters(name);
    return !HIDDEN.has(printed) && !stream.has(printed) && !HIDDEN_PREFIXES.some((prefix) => printed.startsWith(prefix));
  };
  const shown = Object.entries(record).filter(([name]) => isShown(name));
  const rank = (name: string): number => {
    const index = FIRST.indexOf(stripControlCharacters(name));
    return index === -1 ? FIRST.length : index;
  };
  // Code-unit order, not localeCompare: the same on every machine.
  return shown.sort(([a], [b]) => rank(a) - rank(b) || (a < b ? -1 : a > b ? 1 : 0));
}
