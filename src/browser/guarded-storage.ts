/**
 * The part of the Web Storage API the session needs: `localStorage` fits, and so does any
 * object with these three methods (tests pass their own). Any of them may throw: Safari's
 * private mode, storage disabled by the user or a policy, a full quota.
 */
export interface SessionStorageLike {
  getItem(key: string): string | null;
  setItem(key: string, value: string): void;
  removeItem(key: string): void;
}

/**
 * The page's `localStorage`, or `null` when there is none or touching it throws (Chromium
 * throws a `SecurityError` on the mere read of `window.localStorage` when site data is
 * blocked).
 */
export function pageLocalStorage(): SessionStorageLike | null {
  try {
    const storage = (globalThis as { localStorage?: SessionStorageLike | null }).localStorage;
    return storage ?? null;
  } catch {
    return null;
  }
}
