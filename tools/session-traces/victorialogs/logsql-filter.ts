/**
 * A LogsQL string literal: double-quoted, with `"`, `\` and control characters escaped.
 * JSON's string escapes are a subset of the Go escapes LogsQL reads.
 */
export function logsqlQuote(text: string): string {
  return JSON.stringify(text);
}

/**
 * The LogsQL filter for lines whose field `field` is exactly `value` (`"session.id":="…"`),
 * both quoted, so no value can end the filter or add another.
 */
export function exactMatch(field: string, value: string): string {
  return `${logsqlQuote(field)}:=${logsqlQuote(value)}`;
}
