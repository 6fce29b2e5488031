import type { SessionProvider } from '@opentelemetry/web-common';
import { isValidSessionId, type BrowserSession, type SessionChange, type SessionChangeReason } from './browser-session.ts';
import type { SessionStorageLike } from './guarded-storage.ts';

/** The storage key of the session: one JSON value `{id, startTimestamp, lastActivityTimestamp, previousId?}`. */
export const SESSION_STORAGE_KEY = 'browser-telemetry.session';

/**
 * The shortest interval between two writes of the last activity to storage. Activity comes
 * with every fetch and span start; expiry is counted in minutes, so a second of resolution
 * costs nothing and spares a storage write per span.
 */
export const ACTIVITY_WRITE_INTERVAL_MS = 1000;

/** Options of {@link BrowserSessionManager}. */
export interface SessionManagerOptions {
  /** A new session starts after this long without activity, in seconds. */
  readonly idleTimeoutSeconds: number;
  /** A new session starts once a session has lasted this long, in seconds. */
  readonly maxDurationSeconds: number;
  /** Where the session survives reloads; `null`: in memory only, for the page's life. */
  readonly storage: SessionStorageLike | null;
  /** The clock, in milliseconds since the epoch. */
  readonly now: () => number;
  /** Makes the id of a new session. Default `crypto.randomUUID()`. */
  readonly newSessionId?: () => string;
}

/** Receives each change of the current session; see {@link SessionChange}. */
export type SessionListener = (change: SessionChange) => void;

/**
 * The browser's one session, kept across reloads and shared by the pages of a browser
 * through storage, renewed after the idle timeout or the maximum duration.
 *
 * Expiry is checked whenever the session is read ({@link current}), against the last
 * activity persisted with it, so it holds across reloads and needs no timer. Each read reads
 * storage (one `getItem` and a small JSON parse), so a change made by another page is seen
 * at once; the last activity is written at most once per {@link ACTIVITY_WRITE_INTERVAL_MS}.
 * When storage is missing, throws, or refuses a write, the session lives in memory for the
 * rest of the page's life. A stored value that is not a valid session (not JSON, an id the
 * server would refuse, times in the future or out of order) is replaced by a new session.
 *
 * Written here rather than taken from `@opentelemetry/web-common`, whose `SessionManager`
 * keeps its timers in memory only (a reload restarts the idle clock), cannot adopt an id
 * the server answers, and does not guard storage access; this class still implements its
 * `SessionProvider`.
 *
 * Warning: pages of one browser that find the session expired at the same moment may each
 * start one; the last write wins and the others follow it at their next read.
 */
export class BrowserSessionManager implements SessionProvider {
  readonly #idleMs: number;
  readonly #maxMs: number;
  readonly #now: () => number;
  readonly #newSessionId: () => string;
  readonly #listeners = new Set<SessionListener>();
  #storage: SessionStorageLike | null;
  #session: BrowserSession | undefined;
  #persistedActivity = Number.NEGATIVE_INFINITY;

  constructor(options: SessionManagerOptions) {
    this.#idleMs = options.idleTimeoutSeconds * 1000;
    this.#maxMs = options.maxDurationSeconds * 1000;
    this.#now = options.now;
    this.#storage = options.storage;
    this.#newSessionId = options.newSessionId ?? (() => crypto.randomUUID());
  }

  /**
   * The current session: the stored one (or this page's, without storage) while it is
   * alive, else a new one that replaces it; listeners hear of a change before this returns.
   * Reading is not activity.
   */
  current(): BrowserSession {
    const now = this.#now();
    const known = this.#session;
    const stored = this.#readStored(now);
    let session = known;
    if (stored !== undefined && stored.id === known?.id) {
      // This page's activity not yet written (the write is throttled) still counts.
      session = { ...stored, lastActivityTimestamp: Math.max(stored.lastActivityTimestamp, known.lastActivityTimestamp) };
    } else if (stored !== undefined) {
      session = stored;
    }
    if (session === undefined) return this.#replace(undefined, 'new', now, this.#newSessionId());
    this.#session = session;
    if (known !== undefined && session.id !== known.id) this.#notify({ reason: 'another-page', current: session, ended: known, endTimestamp: now });
    if (stored === undefined) this.#persist(session); // storage was emptied behind our back: keep the session
    const expiry = this.#expiryOf(session);
    if (now >= expiry.at) return this.#replace(session, expiry.reason, expiry.at, this.#newSessionId(), now);
    return session;
  }

  /** The current session's id (`SessionProvider` of `@opentelemetry/web-common`); never `null`. */
  getSessionId(): string {
    return this.current().id;
  }

  /**
   * Records activity (a fetch, a span start) on the current session, which it returns: the
   * idle timeout counts from now. Written to storage at most once a second.
   */
  recordActivity(): BrowserSession {
    const now = this.#now();
    const session: BrowserSession = { ...this.current(), lastActivityTimestamp: now };
    this.#session = session;
    if (now - this.#persistedActivity >= ACTIVITY_WRITE_INTERVAL_MS) this.#persist(session);
    return session;
  }

  /**
   * Makes `id` the current session, as when the server answers another `x-session-id`
   * (after a login): the current session ends, and the new one starts now with
   * `previousId` = the current id.
   * @returns false, changing nothing, when `id` is not a valid session id or already current.
   */
  adopt(id: string): boolean {
    if (!isValidSessionId(id)) return false;
    const current = this.current();
    if (current.id === id) return false;
    const now = this.#now();
    this.#replace(current, 'adopted', now, id, now);
    return true;
  }

  /** Calls `listener` on every later change of the current session. @returns its removal. */
  onChange(listener: SessionListener): () => void {
    this.#listeners.add(listener);
    return () => this.#listeners.delete(listener);
  }

  /** Ends `ended` (if any) and starts the session `id`, written and announced. */
  #replace(ended: BrowserSession | undefined, reason: SessionChangeReason, endTimestamp: number, id: string, now = endTimestamp): BrowserSession {
    const session: BrowserSession = { id, startTimestamp: now, lastActivityTimestamp: now, previousId: ended?.id };
    // State first, listeners last: a listener that reads the session gets this one.
    this.#session = session;
    this.#persist(session);
    this.#notify({ reason, current: session, ended, endTimestamp: ended === undefined ? undefined : endTimestamp });
    return session;
  }

  #expiryOf(session: BrowserSession): { at: number; reason: 'idle' | 'maximum-duration' } {
    const idleAt = session.lastActivityTimestamp + this.#idleMs;
    const maxAt = session.startTimestamp + this.#maxMs;
    return idleAt <= maxAt ? { at: idleAt, reason: 'idle' } : { at: maxAt, reason: 'maximum-duration' };
  }

  #notify(change: SessionChange): void {
    for (const listener of this.#listeners) listener(change);
  }

  /** The stored session, or undefined when there is none, it is invalid, or storage fails. */
  #readStored(now: number): BrowserSession | undefined {
    if (this.#storage === null) return undefined;
    let text: string | null;
    try {
      text = this.#storage.getItem(SESSION_STORAGE_KEY);
    } catch {
      this.#storage = null;
      return undefined;
    }
    return text === null ? undefined : parseStoredSession(text, now);
  }

  #persist(session: BrowserSession): void {
    if (this.#storage === null) return;
    const { id, startTimestamp, lastActivityTimestamp, previousId } = session;
    try {
      this.#storage.setItem(SESSION_STORAGE_KEY, JSON.stringify({ id, startTimestamp, lastActivityTimestamp, previousId }));
      this.#persistedActivity = lastActivityTimestamp;
    } catch {
      // A refused write would leave an older session in storage for the next read to take
      // back: this page stops using storage altogether.
      this.#storage = null;
    }
  }
}

/** The session `text` holds, or undefined when it is not one that can be trusted. */
function parseStoredSession(text: string, now: number): BrowserSession | undefined {
  let value: unknown;
  try {
    value = JSON.parse(text);
  } catch {
    return undefined;
  }
  if (typeof value !== 'object' || value === null) return undefined;
  const { id, startTimestamp, lastActivityTimestamp, previousId } = value as Record<string, unknown>;
  if (!isValidSessionId(id)) return undefined;
  if (previousId !== undefined && !isValidSessionId(previousId)) return undefined;
  if (!isTime(startTimestamp) || !isTime(lastActivityTimestamp)) return undefined;
  if (startTimestamp > lastActivityTimestamp || lastActivityTimestamp > now) return undefined;
  return { id, startTimestamp, lastActivityTimestamp, previousId };
}

function isTime(value: unknown): value is number {
  return typeof value === 'number' && Number.isFinite(value) && value >= 0;
}
