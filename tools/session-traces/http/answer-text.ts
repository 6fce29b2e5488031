import { stripControlCharacters } from '../text/index.ts';

/**
 * An answer's bytes as text.
 * @returns `undefined` when they are not UTF-8.
 */
export function decodeAnswerText(bytes: Uint8Array): string | undefined {
  try {
    return new TextDecoder('utf-8', { fatal: true }).decode(bytes);
  } catch {
    return undefined;
  }
}

/**
 * An answer that was expected to be JSON, described briefly and safely for a message:
 * `an empty answer`, or its content type and first 40 characters (control characters removed).
 */
export function describeNotJson(text: string, contentType: string | null): string {
  if (text.trim() === '') return 'an empty answer';
  const start = stripControlCharacters(text.trimStart().slice(0, 40));
  return `${contentType ?? 'no content type'}, not JSON (${JSON.stringify(start)}…)`;
}
