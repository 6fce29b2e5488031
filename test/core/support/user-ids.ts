/** Every printable ASCII character, `!` to `~`: 94 of them, all of which a user id may hold. */
export const EVERY_PRINTABLE_ASCII = Array.from({ length: 0x7e - 0x21 + 1 }, (_, index) => String.fromCharCode(0x21 + index)).join('');

/** What identity providers issue as subject ids, each refused by the rule before issue 22 (`[A-Za-z0-9._:@-]`). */
export const PROVIDER_USER_IDS: readonly string[] = [
  'auth0|5f8a9c0e12',
  'alice+shop@example.com',
  'google-oauth2|108942312345678901234',
  'samlp|corp|j.doe',
  "o'brien@example.ie",
];
