/**
 * The mark that ends a string cut to the length limit, `N` the characters left out:
 * `…[N more characters]`.
 */
export function cutMark(omitted: number): string {
  return `…[${omitted} more characters]`;
}

/**
 * `text` when it is at most `limit` characters (UTF-16 code units, as `length` and the
 * OpenTelemetry SDK count them); otherwise its start and {@link cutMark}, `limit` characters
 * at most in all. A surrogate pair is never split. When `limit` leaves no room for the mark
 * (a limit of a few characters), the first `limit` characters, unmarked.
 */
export function cutText(text: string, limit: number): string {
  if (text.length <= limit) return text;
  // The mark for the whole length is at least as long as the mark for what is actually left out.
  let keep = limit - cutMark(text.length).length;
  if (keep < 1) return text.slice(0, withoutHalfPair(text, limit));
  keep = withoutHalfPair(text, keep);
  return `${text.slice(0, keep)}${cutMark(text.length - keep)}`;
}

/**
 * `value` with every string longer than `limit` cut by {@link cutText}: the value itself, and
 * inside plain objects (keys too) and arrays at any depth, the shapes JSON and OpenTelemetry
 * attribute values take (client input parsed from JSON or a query string is only these).
 * Other objects (errors, class instances, buffers) are returned as they are. Never changes
 * `value`: what holds a cut string is copied, anything else is returned as it was.
 */
export function cutValue(value: unknown, limit: number): unknown {
  if (typeof value === 'string') return value.length <= limit ? value : cutText(value, limit);
  if (typeof value !== 'object' || value === null) return value;
  return cutNested(value, limit, []);
}

function cutNested(value: object, limit: number, ancestors: object[]): unknown {
  // A cycle: what it leads back to is being cut already. JSON writes it as logform does.
  if (ancestors.includes(value)) return '[Circular]';
  if (Array.isArray(value)) {
    ancestors.push(value);
    let copy: unknown[] | undefined;
    for (let index = 0; index < value.length; index++) {
      const item: unknown = value[index];
      const cut = typeof item === 'object' && item !== null ? cutNested(item, limit, ancestors) : cutValue(item, limit);
      if (cut !== item) (copy ??= value.slice())[index] = cut;
    }
    ancestors.pop();
    return copy ?? value;
  }
  if (!isPlainObject(value)) return value;
  ancestors.push(value);
  let changed = false;
  const entries: [string, unknown][] = [];
  for (const [key, item] of Object.entries(value) as [string, unknown][]) {
    const cutKey = key.length <= limit ? key : cutText(key, limit);
    const cut = typeof item === 'object' && item !== null ? cutNested(item, limit, ancestors) : cutValue(item, limit);
    if (cutKey !== key || cut !== item) changed = true;
    entries.push([cutKey, cut]);
  }
  ancestors.pop();
  // fromEntries defines own properties: a key named "__proto__" stays a plain key.
  return changed ? Object.fromEntries(entries) : value;
}

/** An object literal or a `JSON.parse` result, or an object without prototype (a parsed query string). */
function isPlainObject(value: object): boolean {
  const prototype: unknown = Object.getPrototypeOf(value);
  return prototype === Object.prototype || prototype === null;
}

/** `end`, or one less when the character before it is the first half of a surrogate pair. */
function withoutHalfPair(text: string, end: number): number {
  const code = text.charCodeAt(end - 1);
  return code >= 0xd800 && code <= 0xdbff ? end - 1 : end;
}
