/**
 * `text` with the user name and password (a token, say) of every URL in it
 * (`scheme://user:pass@host`, `scheme://token@host`) replaced by `***`, wherever the URL
 * appears. When `url` is given, its own credentials are also hidden wherever they appear
 * without their scheme, as git echoes them in some errors (`unable to look up user:pass@host`),
 * raw or percent-decoded.
 * Warning: a short credential (`git@`) is hidden wherever its text occurs, words included.
 */
export function hideCredentials(text: string, url?: string): string {
  let hidden = text;
  for (const secret of credentialsOf(url)) hidden = hidden.replaceAll(secret, '***');
  // Greedy up to the last `@` before the path: a password may hold an unescaped `@`.
  return hidden.replace(/([a-z][a-z0-9+.-]*:\/\/)[^\s/?#'"]*@/gi, '$1***@');
}

/** The user information of `url` and its parts, longest first, raw and percent-decoded. */
function credentialsOf(url: string | undefined): string[] {
  const userInfo = url === undefined ? undefined : /^[a-z][a-z0-9+.-]*:\/\/([^/?#]*)@/i.exec(url)?.[1];
  if (userInfo === undefined || userInfo === '') return [];
  const colon = userInfo.indexOf(':');
  const parts = [userInfo, ...(colon === -1 ? [userInfo] : [userInfo.slice(colon + 1)])];
  const all = new Set<string>();
  for (const part of parts) {
    all.add(part);
    try {
      all.add(decodeURIComponent(part));
    } catch {
      // Not valid percent-encoding: git sends it as it is.
    }
  }
  return [...all].filter((part) => part !== '').sort((a, b) => b.length - a.length);
}
