/**
 * Every control character and every character a terminal shows as nothing:
 * - `Cc`, controls (C0, DEL, C1): ESC starts colour, screen-clearing and OSC 8 hyperlink
 *   sequences; U+009B is a one-byte CSI; CR and LF would start a new line.
 * - `Cf`, format characters: the bidirectional controls (U+061C, U+200E, U+200F,
 *   U+202A–U+202E, U+2066–U+2069: text shown in another order than it is stored), the
 *   zero-width ones (U+200B–U+200D, U+2060, U+FEFF), the soft hyphen and the tag characters
 *   (U+E0001, U+E0020–U+E007F): invisible, they make `session.id\u200b` print as `session.id`.
 * - `Default_Ignorable_Code_Point`, Unicode's list of what is drawn as nothing when not
 *   understood: besides most of `Cf`, the Hangul fillers (U+115F, U+1160, U+3164, U+FFA0,
 *   letters that look like blanks), the combining grapheme joiner (U+034F), the variation
 *   selectors (U+FE00–U+FE0F, U+E0100–U+E01EF) and code points reserved for more of them.
 * Visible blanks (spaces of every width, U+2800) are not among them: they show as space.
 */
const INVISIBLE = /[\p{Cc}\p{Cf}\p{Default_Ignorable_Code_Point}]/gu;

/**
 * `text` without control characters and characters a terminal draws as nothing (see above):
 * what is printed for a person (readable log lines, the session lookup) must neither break a
 * line, move the cursor, nor make one text look like another. An emoji sequence joined by
 * U+200D, or made of tag characters, shows as its parts.
 */
export function removeInvisibleCharacters(text: string): string {
  return text.replace(INVISIBLE, '');
}
