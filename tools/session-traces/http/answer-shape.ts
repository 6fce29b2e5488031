import { stripControlCharacters } from '../text/index.ts';

/** A value in an answer (Jaeger's, or the log store's) did not have the shape the lookup reads. */
export class AnswerShapeError extends Error {
  /** Where in the answer, e.g. `data[0].spans[12].startTime`. */
  readonly path: string;
  readonly expected: string;
  /** The value found, described briefly (never more than about 40 characters of it). */
  readonly got: string;

  constructor(path: string, expected: string, got: string, options?: ErrorOptions) {
    super(`${path} should be ${expected}, got ${got}`, options);
    this.name = 'AnswerShapeError';
    this.path = path;
    this.expected = expected;
    this.got = got;
  }
}

/** A short description of a value, safe to print: a scalar itself (cut at 40 characters), else its kind. */
export function describeValue(value: unknown): string {
  if (value === undefined) return 'nothing';
  if (value === null) return 'null';
  if (Array.isArray(value)) return `an array of ${value.length}`;
  if (typeof value === 'object') return 'an object';
  // Cleaned before quoting: JSON would spell an ESC as the six characters \u001b.
  const text = JSON.stringify(typeof value === 'string' ? stripControlCharacters(value) : value);
  return text.length > 40 ? `${text.slice(0, 40)}…` : text;
}
