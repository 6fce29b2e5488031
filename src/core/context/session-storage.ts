import { AsyncLocalStorage } from 'node:async_hooks';
import { context, createContextKey, diag, ROOT_CONTEXT, type Context, type Span, type SpanContext } from '@opentelemetry/api';
import { forEachSessionTelemetry, SESSION_TELEMETRY, SessionMapKey, type SessionValues, type WritableSessionMapKey } from './session-map-key.ts';
import { assertValidSessionId, SESSION_ID_HEADER } from './session-id.ts';
import { assertValidUserId } from './user-id.ts';

/** The per-session state held in the AsyncLocalStorage. */
export interface SessionStore {
  /** Current values; mutated only through {@link setByKey} and `rotateSession`. */
  readonly values: Partial<SessionValues>;
  /**
   * Spans that started before this store existed (the HTTP server span): {@link setByKey}
   * mirrors new values onto them, because the span processor only tags spans at their start.
   */
  readonly earlySpans: readonly Span[];
  /**
   * The response of the request the session belongs to (none for `runWithSession`): where
   * `rotateSession` answers the new id in `x-session-id`. Once the response has closed, a
   * stand-in saying how it ended ({@link releaseSessionResponse}).
   */
  response: SessionResponse | undefined;
  /**
   * The span that was active where `runWithSession` started this session inside a trace: the
   * session's work runs in traces of its own (a trace belongs to one session, and is kept or
   * dropped with it), and their root spans link back to this one.
   */
  readonly startedFrom?: SpanContext | undefined;
}

/** What a session needs of its request's response: the node:http `ServerResponse` subset. */
export interface SessionResponse {
  readonly headersSent: boolean;
  /** True once the connection is closed: the answer can no longer reach the client. */
  readonly destroyed: boolean;
  setHeader(name: string, value: string): unknown;
}

/**
 * A holder for a request's session, placed in the request's OpenTelemetry context when its
 * headers are extracted (before any middleware runs) and filled by the session middleware.
 *
 * Why: the server span middleware (`traceRequests`) binds `req` and `res` to that context, so
 * their listeners (`req.on('end')`, `res.on('finish')`) and everything they start run in it,
 * outside the AsyncLocalStorage run of the middleware. Through the slot they still find their session.
 */
export interface SessionSlot {
  /**
   * The session id the request will have, decided when its headers were extracted (see
   * `chooseSessionId`): known before its first span starts, so a sampler can decide by it.
   */
  readonly sessionId: string;
  store: SessionStore | undefined;
}

// The one AsyncLocalStorage of the project. Entered only through run(); never enterWith().
const storage = new AsyncLocalStorage<SessionStore>();
const SESSION_SLOT_KEY = createContextKey('session-context-service: session slot');

let warnedAboutWriteOutsideSession = false;

/**
 * A new store holding `values` (owned by the store from now on: pass a fresh object);
 * `earlySpans` get the values' span attributes now and on every later {@link setByKey}.
 */
export function createSessionStore(
  values: Partial<SessionValues>,
  earlySpans: readonly Span[],
  response?: SessionResponse,
  startedFrom?: SpanContext,
): SessionStore {
  const store: SessionStore = { values, earlySpans, response, startedFrom };
  if (earlySpans.length > 0) {
    forEachSessionTelemetry(values, ({ name }, value) => {
      for (const span of earlySpans) span.setAttribute(name, value);
    });
  }
  return store;
}

/**
 * Runs `fn(...args)` with `store` as the current session (arguments rather than a closure:
 * per-request callers need not allocate one). Internal: request code gets its store from
 * the session middleware, other code from `runWithSession`.
 */
export function runInSessionStore<T>(store: SessionStore, fn: () => T): T;
export function runInSessionStore<A extends unknown[], T>(store: SessionStore, fn: (...args: A) => T, ...args: A): T;
export function runInSessionStore<A extends unknown[], T>(store: SessionStore, fn: (...args: A) => T, ...args: A): T {
  return storage.run(store, fn, ...args);
}

/** What a closed response still tells `rotateSession`: whether it was answered. */
const CLOSED_ANSWERED: SessionResponse = Object.freeze({ headersSent: true, destroyed: true, setHeader: () => undefined });
const CLOSED_UNANSWERED: SessionResponse = Object.freeze({ headersSent: false, destroyed: true, setHeader: () => undefined });

/**
 * Replaces the store's response, which has closed, by a stand-in saying whether it was
 * answered (all `rotateSession` still asks of it).
 *
 * Why: a store outlives its request. Contexts captured during the request (by timers,
 * promises, pooled sockets, the request's session slot) still reach it, and through its
 * response they would keep the whole request (`req`, `res`, the router's and the parser's
 * state) alive until the next full garbage collection. Under load that promoted about 7 KB a
 * request to V8's old generation and made each young-generation collection three to four
 * times slower: 12 to 15 µs of a traced request's CPU went to garbage collection (the
 * template's docs/performance.md, "A traced request's time").
 */
export function releaseSessionResponse(store: SessionStore): void {
  const { response } = store;
  if (response === undefined || response === CLOSED_ANSWERED || response === CLOSED_UNANSWERED) return;
  store.response = response.headersSent ? CLOSED_ANSWERED : CLOSED_UNANSWERED;
}

/** `ctx` with an empty {@link SessionSlot} for `sessionId`; the propagator calls it at extraction. */
export function withSessionSlot(ctx: Context, sessionId: string): Context {
  const slot: SessionSlot = { sessionId, store: undefined };
  return ctx.setValue(SESSION_SLOT_KEY, slot);
}

/** `ctx` without its {@link SessionSlot}: for work that runs in a session of its own inside a request. */
export function withoutSessionSlot(ctx: Context): Context {
  return ctx.deleteValue(SESSION_SLOT_KEY);
}

/** The {@link SessionSlot} of `ctx`, if its headers were extracted by the session propagator. */
export function sessionSlotOf(ctx: Context): SessionSlot | undefined {
  return ctx.getValue(SESSION_SLOT_KEY) as SessionSlot | undefined;
}

/**
 * The current session store, or `undefined` outside any session: the store of the innermost
 * `run` (middleware, `runWithSession`), else the one of the request whose OpenTelemetry
 * context is active (listeners on `req`/`res` and what they start).
 */
export function currentSessionStore(): SessionStore | undefined {
  return storage.getStore() ?? sessionSlotOf(context.active())?.store;
}

/**
 * Runs `fn` outside any session and trace: for the process's own work (telemetry
 * diagnostics, start-up and shutdown lines) that may be triggered from inside a request,
 * such as the span exporter's timer, and must not be stamped with that request's identity.
 */
export function runOutsideSession<T>(fn: () => T): T {
  return storage.exit(() => context.with(ROOT_CONTEXT, fn));
}

/**
 * Reads one value of the current session.
 * @returns the value, or `undefined` when it is unset or when called outside any session.
 */
export function getByKey<K extends SessionMapKey>(key: K): SessionValues[K] | undefined {
  return currentSessionStore()?.values[key];
}

/**
 * Sets one value of the current session. It is visible to everything that runs later in the
 * same async chain, is added to every span started afterwards, and is mirrored onto the
 * spans that started before the session existed (the request's root span).
 *
 * Outside any session the write is ignored, with a one-time warning through the
 * OpenTelemetry diagnostic logger: there is no session to write to.
 * A new session id (a service that derives its own, say, with `deriveSessionId`) is also
 * answered in `x-session-id` when the response's headers are not sent yet, and session
 * sampling decides the request's trace by it (docs/session-sampling.md).
 * @throws {TypeError | RangeError} for a user id that `isValidUserId` refuses (the rule every
 *   service shares, so a trusted service downstream adopts every id this one sends), or a
 *   session id that `isValidSessionId` refuses (an incoming one would be dropped just the
 *   same); the message never contains the value.
 */
export function setByKey<K extends WritableSessionMapKey>(key: K, value: SessionValues[K]): void {
  if (key === SessionMapKey.USER_ID) assertValidUserId(value, 'setByKey(SessionMapKey.USER_ID, …)');
  if (key === SessionMapKey.SESSION_ID) assertValidSessionId(value, 'setByKey(SessionMapKey.SESSION_ID, …)');
  const store = currentSessionStore();
  if (store === undefined) {
    if (!warnedAboutWriteOutsideSession) {
      warnedAboutWriteOutsideSession = true;
      diag.warn(`setByKey(${JSON.stringify(key)}) called outside any session; the write is ignored`);
    }
    return;
  }
  writeSessionValue(store, key, value);
  // The answer names the session the request is in, as after a rotation: a client (the
  // browser module) keeps what it is answered.
  const { response } = store;
  if (key === SessionMapKey.SESSION_ID && response !== undefined && !response.headersSent && !response.destroyed) {
    response.setHeader(SESSION_ID_HEADER, value);
  }
}

/** Stores `value` under `key` in `store` and mirrors it onto the store's early spans. */
export function writeSessionValue<K extends SessionMapKey>(store: SessionStore, key: K, value: SessionValues[K]): void {
  store.values[key] = value;
  const { name } = SESSION_TELEMETRY[key];
  for (const span of store.earlySpans) span.setAttribute(name, value);
}
