/**
 * Where the first character of `value` that `allowed` (a one-character class, e.g.
 * `/[A-Za-z0-9]/`) refuses is, as `character 4 is U+000D`, never the character itself: error
 * messages about ids end up in logs, and the id may be anything a client sent.
 */
export function refusedCharacter(value: string, allowed: RegExp): string {
  let position = 0;
  for (const character of value) {
    position++;
    if (!allowed.test(character)) {
      return `character ${position} is U+${(character.codePointAt(0) ?? 0).toString(16).toUpperCase().padStart(4, '0')}`;
    }
  }
  return 'it is refused';
}
