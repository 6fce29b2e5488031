import type { ServerResponse } from 'node:http';
import { context, propagation, ROOT_CONTEXT, trace, type Context, type Span } from '@opentelemetry/api';
import { getRPCMetadata } from '@opentelemetry/core';
import type { RequestHandler } from 'express';
import { ATTR_SESSION_ID, ATTR_USER_ID } from './semconv.ts';
import type { InitialSessionValues } from './run-with-session.ts';
import { createSessionStore, releaseSessionResponse, runInSessionStore, sessionSlotOf, type SessionStore } from './session-storage.ts';
import { chooseSessionId, SESSION_ID_HEADER } from './session-id.ts';
import { isValidUserId } from './user-id.ts';

/** Options of {@link sessionContext}; every field is optional. */
export interface SessionContextOptions {
  /** Response header carrying the request's trace id. Default `x-trace-id`. */
  readonly traceIdHeader?: string;
}

/**
 * Express middleware that runs the rest of the request inside a session context.
 *
 * The session id is the first valid one of: the `x-session-id` header, `session.id` in
 * incoming baggage, a new random UUID. Invalid values are dropped unseen (never logged or
 * echoed). The response carries `x-session-id` and, when the request is traced, `x-trace-id`.
 *
 * What incoming baggage may claim is decided where it enters the process, by the session
 * propagator's trust policy (`TRUST_INCOMING_BAGGAGE`): at an untrusted edge it holds at most
 * a `session.id` by the time this middleware runs. A `user.id` is adopted only from baggage
 * that went through that policy (a request whose context carries the propagator's session
 * slot); baggage from any other source is never trusted with an identity.
 *
 * Mount it first, right after the server span's middleware (`traceRequests`, which extracts
 * the context this reads): the server span, started before it, is tagged explicitly, but
 * spans of other middleware mounted before it cannot carry the session.
 */
export function sessionContext(options: SessionContextOptions = {}): RequestHandler {
  const traceIdHeader = options.traceIdHeader ?? 'x-trace-id';

  return function sessionContextMiddleware(req, res, next) {
    const active = context.active();
    // Without a registered SDK (or outside a traced request) there is nothing to read from it.
    const traced = active !== ROOT_CONTEXT;
    const incoming = traced ? propagation.getBaggage(active) : undefined;
    const slot = traced ? sessionSlotOf(active) : undefined;
    const values: InitialSessionValues = {
      // Decided at extraction when the request was traced, by the same rule otherwise.
      sessionId: slot?.sessionId ?? chooseSessionId(req.headers[SESSION_ID_HEADER], incoming?.getEntry(ATTR_SESSION_ID)?.value),
    };
    if (slot !== undefined) {
      const userId = incoming?.getEntry(ATTR_USER_ID)?.value;
      if (isValidUserId(userId)) values.userId = userId;
    }

    res.setHeader(SESSION_ID_HEADER, values.sessionId);
    const activeSpan = traced ? trace.getSpan(active) : undefined;
    const spanContext = activeSpan?.spanContext();
    if (spanContext !== undefined && trace.isSpanContextValid(spanContext)) res.setHeader(traceIdHeader, spanContext.traceId);

    const store = createSessionStore(values, traced ? spansStartedBeforeSession(active, activeSpan) : NO_SPANS, res);
    // Listeners on req/res run in the extracted context, not in this run: the slot is how
    // they find the session. Outgoing baggage is written from the store by the session
    // propagator at each call, so the context itself is left as it is (rewriting it per
    // request cost ~4% of throughput).
    if (slot !== undefined) slot.store ??= store;
    (res as ResponseOfSession)[SESSION_STORE] = store;
    res.on('close', releaseResponseOfSession);
    runInSessionStore(store, next);
  };
}

const SESSION_STORE = Symbol('sessionStore');

type ResponseOfSession = ServerResponse & { [SESSION_STORE]?: SessionStore | undefined };

/** A response's 'close' listener (one function for every request, no closure). */
function releaseResponseOfSession(this: ResponseOfSession): void {
  const store = this[SESSION_STORE];
  if (store === undefined) return;
  this[SESSION_STORE] = undefined;
  releaseSessionResponse(store);
}

const NO_SPANS: readonly Span[] = [];

/**
 * The spans that started before the store existed: the request's HTTP server span (it starts
 * before any middleware) and, if Express middleware spans are turned back on, this
 * middleware's own span.
 */
function spansStartedBeforeSession(active: Context, activeSpan: Span | undefined): readonly Span[] {
  const serverSpan = getRPCMetadata(active)?.span;
  if (serverSpan === undefined) return activeSpan === undefined ? NO_SPANS : [activeSpan];
  return activeSpan === undefined || activeSpan === serverSpan ? [serverSpan] : [serverSpan, activeSpan];
}
