import type { ServerResponse } from 'node:http';
import type { TLSSocket } from 'node:tls';
import { context, propagation, ROOT_CONTEXT, SpanKind, SpanStatusCode, trace, type Attributes, type Span, type Tracer } from '@opentelemetry/api';
import {
  ATTR_CLIENT_ADDRESS,
  ATTR_ERROR_TYPE,
  ATTR_HTTP_REQUEST_METHOD,
  ATTR_HTTP_REQUEST_METHOD_ORIGINAL,
  ATTR_HTTP_RESPONSE_STATUS_CODE,
  ATTR_HTTP_ROUTE,
  ATTR_NETWORK_PROTOCOL_VERSION,
  ATTR_SERVER_ADDRESS,
  ATTR_SERVER_PORT,
  ATTR_URL_PATH,
  ATTR_URL_SCHEME,
  ATTR_USER_AGENT_ORIGINAL,
} from '@opentelemetry/semantic-conventions';
import type { Request, RequestHandler } from 'express';
import { matchedRouteTemplate } from '../../http/index.ts';
import { browserTelemetrySignalOf } from './browser-telemetry-paths.ts';
import { isHealthProbeRequest } from './health-probes.ts';
import { runListenersInContext } from './request-listener-context.ts';
import { DEFAULT_SERVICE_NAME, SERVICE_VERSION } from '../service-identity.ts';

/** `error.type` of a request whose client closed the connection before the answer was sent. */
export const ABORTED_ERROR_TYPE = 'aborted';

const SPAN = Symbol('serverSpan');

type TracedResponse = ServerResponse & { req: Request; [SPAN]?: ServerSpan | undefined };

/** What ending the span needs, kept on the response: one object, no closure per request. */
interface ServerSpan {
  readonly span: Span;
  readonly method: string;
}

/**
 * Express middleware making each request's server span: mount it first. It replaces the
 * server side of the stock HTTP instrumentation, which costs a fifth more for the same span
 * (docs/performance.md).
 *
 * Per request: the caller's context is extracted through the registered propagators (so the
 * edge's rules apply: its trace id kept, its sampled flag and `tracestate` not trusted, its
 * baggage held to the trust policy), one SERVER span is started under it (the configured
 * sampler decides), the rest of the request runs in one `context.with`, and `req` and `res`
 * are bound to that context, so that their listeners (`data`, `end`, `finish`, `close`) and
 * what those start see the request's span and session.
 *
 * The span follows the stable HTTP semantic conventions: `http.request.method`, `url.path`,
 * `url.scheme`, `server.address`, `server.port`, `network.protocol.version`,
 * `user_agent.original`, `client.address` (the connection's peer; forwarding headers are
 * the client's claim) at the start, where the sampler sees them; `http.response.status_code`
 * and `http.route` (the matched template, see `nameRoutes`) at the end. It is named
 * `METHOD route` when a route matched and by the method alone otherwise; a 5xx answer sets
 * status error and `error.type` to the status code; a connection closed before the answer
 * ends it with `error.type` `aborted`. The query string is left out: it often carries
 * secrets. Health probes and the browser telemetry relay are not traced.
 */
export function traceRequests(tracer: Tracer = trace.getTracer(DEFAULT_SERVICE_NAME, SERVICE_VERSION)): RequestHandler {
  return function serverSpanMiddleware(req, res, next) {
    const { method, originalUrl } = req;
    if (isHealthProbeRequest(method, originalUrl) || browserTelemetrySignalOf(method, originalUrl) !== undefined) {
      next();
      return;
    }
    const parent = propagation.extract(ROOT_CONTEXT, req.headers);
    const knownMethod = KNOWN_METHODS.has(method) ? method : OTHER_METHOD;
    const span = tracer.startSpan(knownMethod === OTHER_METHOD ? 'HTTP' : knownMethod, { kind: SpanKind.SERVER, attributes: requestAttributes(req, knownMethod) }, parent);
    (res as TracedResponse)[SPAN] = { span, method: knownMethod };
    // Added before the binding: ending the span needs no context, and an unbound listener
    // costs no wrapper. Node emits 'close' on every response, after 'finish' when it was sent.
    res.on('close', endServerSpan);
    const active = trace.setSpan(parent, span);
    runListenersInContext(req, active);
    runListenersInContext(res, active);
    context.with(active, next);
  };
}

function endServerSpan(this: TracedResponse): void {
  const pending = this[SPAN];
  if (pending === undefined) return;
  this[SPAN] = undefined;
  const { span, method } = pending;
  const route = matchedRouteTemplate(this.req);
  if (route !== undefined) {
    span.setAttribute(ATTR_HTTP_ROUTE, route);
    span.updateName(method === OTHER_METHOD ? `HTTP ${route}` : `${method} ${route}`);
  }
  if (!this.writableFinished) {
    span.setAttribute(ATTR_ERROR_TYPE, ABORTED_ERROR_TYPE);
    span.setStatus({ code: SpanStatusCode.ERROR, message: 'the connection closed before the answer was sent' });
  } else {
    const status = this.statusCode;
    span.setAttribute(ATTR_HTTP_RESPONSE_STATUS_CODE, status);
    if (status >= 500) {
      span.setAttribute(ATTR_ERROR_TYPE, String(status));
      span.setStatus({ code: SpanStatusCode.ERROR });
    }
  }
  span.end();
}

/** The methods the semantic conventions name; any other is `_OTHER`, the original kept apart. */
const KNOWN_METHODS: ReadonlySet<string> = new Set(['GET', 'HEAD', 'POST', 'PUT', 'DELETE', 'CONNECT', 'OPTIONS', 'TRACE', 'PATCH', 'QUERY']);
const OTHER_METHOD = '_OTHER';

function requestAttributes(req: Request, method: string): Attributes {
  const socket = req.socket;
  const queryAt = req.originalUrl.indexOf('?');
  const attributes: Attributes = {
    [ATTR_HTTP_REQUEST_METHOD]: method,
    [ATTR_URL_PATH]: queryAt === -1 ? req.originalUrl : req.originalUrl.slice(0, queryAt),
    [ATTR_URL_SCHEME]: (socket as Partial<TLSSocket>).encrypted === true ? 'https' : 'http',
    [ATTR_NETWORK_PROTOCOL_VERSION]: req.httpVersion,
  };
  // Unset once the connection is gone: an attribute left undefined would be dropped with a warning.
  if (socket.remoteAddress !== undefined) attributes[ATTR_CLIENT_ADDRESS] = socket.remoteAddress;
  if (method === OTHER_METHOD) attributes[ATTR_HTTP_REQUEST_METHOD_ORIGINAL] = req.method;
  const userAgent = req.headers['user-agent'];
  if (userAgent !== undefined) attributes[ATTR_USER_AGENT_ORIGINAL] = userAgent;
  const server = serverOf(req.headers.host);
  const address = server === undefined ? socket.localAddress : server.address;
  const port = server === undefined ? socket.localPort : server.port;
  if (address !== undefined) attributes[ATTR_SERVER_ADDRESS] = address;
  if (port !== undefined) attributes[ATTR_SERVER_PORT] = port;
  return attributes;
}

/** A host name, an IPv4 address or a bracketed IPv6 address, and an optional port. */
const HOST_HEADER = /^(\[[0-9A-Fa-f:.]+\]|[A-Za-z0-9.-]+)(?::(\d{1,5}))?$/;

/**
 * The server's name and port as the client addressed it (the `Host` header, which the
 * conventions prefer); `undefined` when the header is missing or is not a host, so that a
 * client's arbitrary text never becomes the attribute (the socket's own address is used).
 */
function serverOf(host: string | undefined): { address: string; port: number | undefined } | undefined {
  if (host === undefined) return undefined;
  const [, address, portText] = HOST_HEADER.exec(host) ?? [];
  if (address === undefined) return undefined;
  const port = portText === undefined ? undefined : Number(portText);
  return { address, port: port !== undefined && port <= 65_535 ? port : undefined };
}
