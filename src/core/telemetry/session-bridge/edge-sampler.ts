import { trace, type Attributes, type Context, type Link, type SpanKind } from '@opentelemetry/api';
import type { Sampler, SamplingResult } from '@opentelemetry/sdk-trace';

/**
 * The sampler of an untrusted edge (`TRUST_INCOMING_BAGGAGE=false`): the sampled flag of a
 * caller's `traceparent` decides nothing; the edge's own sampler does.
 *
 * A span whose parent is remote (extracted from a caller's headers) is decided by `wrapped`
 * as if it had no parent: the parent is removed from the context it is asked with, and
 * everything else in that context stays, the request's session slot included, so
 * `parentbased_session_ratio` decides by the session, the default sampler keeps every
 * request, and `parentbased_traceidratio` decides by the trace id. The trace id is the
 * caller's all the same (the SDK takes it from the parent, and this sampler passes it on),
 * so a browser's fetch span and the server spans it causes form one trace, whichever way it
 * was decided. Spans with a local parent, and roots, go to `wrapped` unchanged: children
 * follow the edge's decision as usual.
 *
 * Warning: use it only where callers are not trusted. Behind an edge, a service must follow
 * its caller's decision, or traces are cut apart between services.
 */
export class EdgeSampler implements Sampler {
  readonly #wrapped: Sampler;

  /** @param wrapped the sampler configured for the service (see `samplerFromEnv`). */
  constructor(wrapped: Sampler) {
    this.#wrapped = wrapped;
  }

  shouldSample(context: Context, traceId: string, spanName: string, spanKind: SpanKind, attributes: Attributes, links: Link[]): SamplingResult {
    const parent = trace.getSpanContext(context);
    const decidedAs = parent?.isRemote === true ? trace.deleteSpan(context) : context;
    return this.#wrapped.shouldSample(decidedAs, traceId, spanName, spanKind, attributes, links);
  }

  toString(): string {
    return `EdgeSampler{remote parents decided as roots by ${this.#wrapped.toString()}}`;
  }
}
