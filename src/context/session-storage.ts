import { AsyncLocalStorage } from 'node:async_hooks';
import { diag, type Span } from '@opentelemetry/api';
import { TELEMETRY_KEY_BY_SESSION_KEY, type SessionMapKey, type SessionValues } from './session-map-key.ts';

/** The per-session state held in the AsyncLocalStorage. */
export interface SessionStore {
  /** Current values; mutated only through {@link setByKey}. */
  readonly values: Partial<SessionValues>;
  /**
   * Spans that started before this store existed (the HTTP server span): {@link setByKey}
   * mirrors new values onto them, because the span processor only tags spans at their start.
   */
  readonly earlySpans: readonly Span[];
}

// The one AsyncLocalStorage of the project. Entered only through run(); never enterWith().
const storage = new AsyncLocalStorage<SessionStore>();

let warnedAboutWriteOutsideSession = false;

/**
 * A new store holding `values` (owned by the store from now on: pass a fresh object);
 * `earlySpans` get the values' span attributes now and on every later {@link setByKey}.
 */
export function createSessionStore(values: Partial<SessionValues>, earlySpans: readonly Span[]): SessionStore {
  const store: SessionStore = { values, earlySpans };
  if (earlySpans.length > 0) {
    for (const key in values) {
      const attribute = TELEMETRY_KEY_BY_SESSION_KEY[key as SessionMapKey];
      const value = values[key as SessionMapKey];
      if (attribute === undefined || value === undefined) continue;
      for (const span of earlySpans) span.setAttribute(attribute, value);
    }
  }
  return store;
}

/**
 * Runs `fn` with `store` as the current session. Internal: request code gets its store from
 * the session middleware, other code from `runWithSession`.
 */
export function runInSessionStore<T>(store: SessionStore, fn: () => T): T {
  return storage.run(store, fn);
}

/** The current session store, or `undefined` outside any session. */
export function currentSessionStore(): SessionStore | undefined {
  return storage.getStore();
}

/**
 * Reads one value of the current session.
 * @returns the value, or `undefined` when it is unset or when called outside any session.
 */
export function getByKey<K extends SessionMapKey>(key: K): SessionValues[K] | undefined {
  return storage.getStore()?.values[key];
}

/**
 * Sets one value of the current session. It is visible to everything that runs later in the
 * same async chain, is added to every span started afterwards, and is mirrored onto the
 * spans that started before the session existed (the request's root span).
 *
 * Outside any session the write is ignored, with a one-time warning through the
 * OpenTelemetry diagnostic logger: there is no session to write to.
 */
export function setByKey<K extends SessionMapKey>(key: K, value: SessionValues[K]): void {
  const store = storage.getStore();
  if (store === undefined) {
    if (!warnedAboutWriteOutsideSession) {
      warnedAboutWriteOutsideSession = true;
      diag.warn(`setByKey(${JSON.stringify(key)}) called outside any session; the write is ignored`);
    }
    return;
  }
  store.values[key] = value;
  const attribute = TELEMETRY_KEY_BY_SESSION_KEY[key];
  if (attribute !== undefined) {
    for (const span of store.earlySpans) span.setAttribute(attribute, value);
  }
}
