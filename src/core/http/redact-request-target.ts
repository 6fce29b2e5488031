/** What every quote of the request target becomes. */
const REQUEST_PATH_MARK = '[request path]';

/**
 * Two characters or fewer ("/", "/a") would cut unrelated text out of a stack trace.
 */
const SHORTEST_SPELLING = 3;

/**
 * A function cutting every quote of the request target out of a text (an error's message or
 * stack): the whole target, its query, and its path from each `/` on (a router's `req.path`
 * is the part below its mount path), raw and percent-decoded, each of at least three
 * characters. Each stretch of quoted text becomes one `[request path]`; overlapping quotes
 * become one.
 *
 * Linear in the lengths of the target and of each text: the path from each `/` on is one
 * spelling per `/`, so searching for each in turn (as `replaceAll` would) is quadratic in the
 * path's length, which a client chooses (a 15 KB path of short segments took a fifth of a
 * second per error). Every spelling is a suffix of one of a few strings, so one backward
 * Knuth-Morris-Pratt pass per string finds, at every position of the text, the longest
 * spelling that starts there.
 */
export function requestTargetRedactor(requestTarget: string): (text: string) => string {
  const searches = spellingFamilies(requestTarget)
    .filter((family) => family.text.length >= SHORTEST_SPELLING)
    .map(lazySuffixSearch);
  return (text) => {
    if (searches.length === 0 || text.length < SHORTEST_SPELLING) return text;
    // The length of the longest spelling quoted at each position of `text`, 0 for none.
    const quoted = new Int32Array(text.length);
    let found = false;
    for (const search of searches) found = search(text, quoted) || found;
    return found ? cutQuotes(text, quoted) : text;
  };
}

/** {@link requestTargetRedactor} of `requestTarget`, applied to one `text`. */
export function redactRequestTarget(text: string, requestTarget: string): string {
  return requestTargetRedactor(requestTarget)(text);
}

/**
 * A string whose suffixes starting at the marked positions are spellings of the target.
 * `starts[i]` is 1 when `text.slice(i)` is one.
 */
interface SuffixFamily {
  readonly text: string;
  readonly starts: Uint8Array;
}

/**
 * Every spelling of the target as a few suffix families: the target (whole, and from its `?`
 * on), the path from each `/` on, and the same percent-decoded where decodable.
 */
function spellingFamilies(requestTarget: string): SuffixFamily[] {
  const queryAt = requestTarget.indexOf('?');
  const path = queryAt === -1 ? requestTarget : requestTarget.slice(0, queryAt);
  const query = queryAt === -1 ? '' : requestTarget.slice(queryAt);
  const families: SuffixFamily[] = [];
  if (queryAt === -1) {
    // The target is the path: one family holds both.
    families.push(withSlashes(family(path, [0])));
  } else {
    families.push(family(requestTarget, [0, queryAt]), withSlashes(family(path, [])));
  }
  // Without a `%` a spelling decodes to itself (or is not decodable).
  if (requestTarget.includes('%')) families.push(family(decoded(requestTarget), [0]), family(decoded(query), [0]), decodedPathFamily(path));
  return families;
}

function family(text: string, startPositions: readonly number[]): SuffixFamily {
  const starts = new Uint8Array(text.length);
  for (const position of startPositions) if (position < text.length) starts[position] = 1;
  return { text, starts };
}

const SLASH = 0x2f;

/** `path` with each of its `/`s marked as a start. */
function withSlashes(path: SuffixFamily): SuffixFamily {
  for (let at = 0; at < path.text.length; at++) if (path.text.charCodeAt(at) === SLASH) path.starts[at] = 1;
  return path;
}

/** `decodeURIComponent(text)`, or `''` (no spelling) when it is not decodable. */
function decoded(text: string): string {
  try {
    return decodeURIComponent(text);
  } catch {
    return '';
  }
}

/**
 * The path from each `/` on, percent-decoded, as suffixes of one string. An escape never spans
 * a `/` (no `%XX` contains one, and a character's escapes are contiguous), so the path from a
 * `/` on decodes exactly when each segment after it does, to the decoded segments joined by
 * `/`: each segment is decoded once. Only the path's own `/`s start spellings, not the ones
 * `%2F` decodes to, as when each spelling is decoded on its own.
 */
function decodedPathFamily(path: string): SuffixFamily {
  const segments = path.split('/').map((segment) => {
    try {
      return decodeURIComponent(segment);
    } catch {
      return undefined;
    }
  });
  // Spellings start after the last segment that does not decode (the path from a `/` before
  // it does not decode).
  const first = segments.findLastIndex((segment) => segment === undefined) + 1;
  let text = '';
  const starts: number[] = [];
  for (let i = first; i < segments.length; i++) {
    if (i > 0) {
      starts.push(text.length);
      text += '/';
    }
    text += segments[i] ?? '';
  }
  return family(text, starts);
}

/**
 * {@link suffixSearch} of `family`, built when first needed and run only on a text that holds
 * the family's last three characters, where every spelling of it ends: an error rarely quotes
 * the target at all. Answers whether it found a spelling.
 */
function lazySuffixSearch(family: SuffixFamily): (text: string, quoted: Int32Array) => boolean {
  const ending = family.text.slice(-SHORTEST_SPELLING);
  let search: ((text: string, quoted: Int32Array) => boolean) | undefined;
  return (text, quoted) => {
    if (!text.includes(ending)) return false;
    search ??= suffixSearch(family);
    return search(text, quoted);
  };
}

/**
 * The search for the spellings of `family` in a text: it records in `quoted`, for each
 * position of the text, the longest spelling that starts there, where longer than what is
 * recorded, and answers whether it found one. A spelling is a suffix of `family.text`, so a
 * prefix of its reverse: the Knuth-Morris-Pratt automaton of the reversed family text, run
 * over the text from its end, gives at each position the longest suffix of the family text
 * quoted there; the shorter ones quoted there are its borders, and `best` names the longest
 * of those that is a spelling. Linear: the automaton falls back along borders at most as
 * often as it advanced.
 */
function suffixSearch({ text: spellings, starts }: SuffixFamily): (text: string, quoted: Int32Array) => boolean {
  const n = spellings.length;
  // The reversed family text, character by character: reversed[k] = spellings[n - 1 - k].
  const reversed = new Uint16Array(n);
  for (let k = 0; k < n; k++) reversed[k] = spellings.charCodeAt(n - 1 - k);
  // border[m]: the length of the longest proper border of reversed[0, m).
  const border = new Int32Array(n + 1);
  for (let m = 2, length = 0; m <= n; m++) {
    const next = reversed[m - 1];
    while (length > 0 && reversed[length] !== next) length = border[length] ?? 0;
    if (reversed[length] === next) length++;
    border[m] = length;
  }
  // best[m]: the longest spelling among the suffix of length m (it starts at n - m) and its
  // borders.
  const best = new Int32Array(n + 1);
  for (let m = 1; m <= n; m++) best[m] = m >= SHORTEST_SPELLING && starts[n - m] === 1 ? m : (best[border[m] ?? 0] ?? 0);
  return (text, quoted) => {
    let found = false;
    let matched = 0;
    for (let at = text.length - 1; at >= 0; at--) {
      const next = text.charCodeAt(at);
      while (matched > 0 && (matched === n || reversed[matched] !== next)) matched = border[matched] ?? 0;
      if (reversed[matched] === next) matched++;
      const longest = best[matched] ?? 0;
      if (longest > (quoted[at] ?? 0)) {
        quoted[at] = longest;
        found = true;
      }
    }
    return found;
  };
}

/** `text` with each stretch covered by quotes (overlapping ones merged) made one mark. */
function cutQuotes(text: string, quoted: Int32Array): string {
  const parts: string[] = [];
  let kept = 0;
  let coveredTo = 0;
  for (let at = 0; at < text.length; at++) {
    const length = quoted[at] ?? 0;
    if (length === 0) continue;
    if (at >= coveredTo) {
      parts.push(text.slice(kept, at), REQUEST_PATH_MARK);
      coveredTo = at + length;
    } else {
      coveredTo = Math.max(coveredTo, at + length);
    }
    kept = coveredTo;
  }
  parts.push(text.slice(kept));
  return parts.join('');
}
