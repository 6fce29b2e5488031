/** Line breaks and tabs: they would split a one-line message or a table cell, so they become one space. */
const LINE_BREAKS = /[\t\n\v\f\r\u0085\u2028\u2029]+/gu;

/**
 * Every other control character (C0, DEL, C1: ESC starts colour, screen-clearing and OSC 8
 * hyperlink sequences; U+009B is a one-byte CSI) and the bidirectional formatting characters
 * (which make a terminal show text in another order than it is stored).
 */
const CONTROLS = /[\p{Cc}\u061c\u200e\u200f\u202a-\u202e\u2066-\u2069]/gu;

/**
 * `text` made safe to print on a terminal: line breaks and tabs become one space, every other
 * control character and bidirectional override is removed. Apply it to anything that comes
 * from Jaeger (names, ids, tag values, error details) before it is written anywhere.
 */
export function stripControlCharacters(text: string): string {
  return text.replace(LINE_BREAKS, ' ').replace(CONTROLS, '');
}
