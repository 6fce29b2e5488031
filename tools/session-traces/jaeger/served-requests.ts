import type { JaegerSpan, JaegerTrace } from './jaeger-answer.ts';

/** One request a service served: a server span (`span.kind` `server`), reduced to what the session summary reads. */
export interface ServedRequest {
  readonly service: string;
  /** The span's name, e.g. `GET /api/downstream`; the method alone (`GET`) when no route matched (a 404). */
  readonly operation: string;
  /** `http.route`, the matched template; `null` when the span has none (no route matched, or not HTTP). */
  readonly httpRoute: string | null;
  /** Microseconds. */
  readonly durationUs: number;
  /** Status error (the core sets it on a 5xx answer and on a connection closed before the answer), or a 5xx status code. */
  readonly error: boolean;
  /**
   * True when no server span is above it in its trace: a request from outside the services
   * (a browser, curl, a probe), not one a service made while serving another.
   */
  readonly edge: boolean;
}

/** What the session summary keeps of one trace: its served requests, its services and when its spans ran. */
export interface TraceRequests {
  readonly requests: readonly ServedRequest[];
  /** Every service with a span in the trace. */
  readonly services: readonly string[];
  /** Start of its earliest span, microseconds since the epoch (`Infinity` for a trace without spans). */
  readonly startUs: number;
  /** End of its latest span (start + duration), microseconds since the epoch (`-Infinity` for a trace without spans). */
  readonly endUs: number;
}

const tag = (span: JaegerSpan, key: string): unknown => span.tags.find((candidate) => candidate.key === key)?.value;

/** Jaeger writes an OTLP span's kind as the tag `span.kind` (`server`, `client`, `internal`, …). */
const isServer = (span: JaegerSpan): boolean => tag(span, 'span.kind') === 'server';

function isError(span: JaegerSpan): boolean {
  const status = tag(span, 'http.response.status_code') ?? tag(span, 'http.status_code');
  return tag(span, 'error') === true || tag(span, 'otel.status_code') === 'ERROR' || Number(status) >= 500;
}

/** The span's parent in the trace (its first CHILD_OF reference, else its first reference); `undefined` when not in it. */
function parentOf(span: JaegerSpan, byId: ReadonlyMap<string, JaegerSpan>): JaegerSpan | undefined {
  const references = span.references ?? [];
  const reference = references.find((candidate) => candidate.refType === 'CHILD_OF') ?? references[0];
  return reference === undefined ? undefined : byId.get(reference.spanID);
}

/**
 * The requests served in `trace` (its server spans) and the time its spans cover. A server
 * span is an edge request when walking up its parents meets no other server span (a parent
 * missing from the trace ends the walk).
 *
 * Loops only, each span's answer remembered once known: a trace of 200,000 spans in one
 * chain is read in linear time, without recursion; a reference loop (a malformed answer)
 * ends the walk instead of running forever.
 */
export function requestsOf(trace: JaegerTrace): TraceRequests {
  const byId = new Map<string, JaegerSpan>();
  for (const span of trace.spans) byId.set(span.spanID, span);
  /** Span id → whether a server span is at or above it. */
  const serverAtOrAbove = new Map<string, boolean>();
  const hasServerAbove = (span: JaegerSpan): boolean => {
    const path: string[] = [];
    const onPath = new Set<string>();
    let found = false;
    for (let current = parentOf(span, byId); current !== undefined; current = parentOf(current, byId)) {
      const known = serverAtOrAbove.get(current.spanID);
      if (known !== undefined) {
        found = known;
        break;
      }
      if (isServer(current)) {
        found = true;
        serverAtOrAbove.set(current.spanID, true);
        break;
      }
      if (onPath.has(current.spanID)) break;
      onPath.add(current.spanID);
      path.push(current.spanID);
    }
    for (const id of path) serverAtOrAbove.set(id, found);
    return found;
  };

  const serviceOf = (span: JaegerSpan): string => trace.processes[span.processID]?.serviceName ?? 'unknown';
  const requests: ServedRequest[] = [];
  const services = new Set<string>();
  let startUs = Number.POSITIVE_INFINITY;
  let endUs = Number.NEGATIVE_INFINITY;
  for (const span of trace.spans) {
    startUs = Math.min(startUs, span.startTime);
    endUs = Math.max(endUs, span.startTime + span.duration);
    services.add(serviceOf(span));
    if (!isServer(span)) continue;
    const route = tag(span, 'http.route');
    requests.push({
      service: serviceOf(span),
      operation: span.operationName,
      httpRoute: typeof route === 'string' ? route : null,
      durationUs: span.duration,
      error: isError(span),
      edge: !hasServerAbove(span),
    });
  }
  return { requests, services: [...services], startUs, endUs };
}
