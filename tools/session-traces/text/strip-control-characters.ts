import { removeInvisibleCharacters } from '../../../src/core/index.ts';

/** Line breaks and tabs: they would split a one-line message or a table cell, so they become one space. */
const LINE_BREAKS = /[\t\n\v\f\r\u0085\u2028\u2029]+/gu;

/**
 * `text` made safe to print on a terminal: line breaks and tabs become one space, every other
 * control character, bidirectional control and invisible character is removed (the core's
 * `removeInvisibleCharacters`, which says which). Apply it to
 * anything that comes from Jaeger or VictoriaLogs (names, ids, tag values, error details)
 * before it is written anywhere. An emoji sequence joined by U+200D, or made of tag
 * characters (subdivision flags), shows as its parts.
 */
export function stripControlCharacters(text: string): string {
  return removeInvisibleCharacters(text.replace(LINE_BREAKS, ' '));
}
