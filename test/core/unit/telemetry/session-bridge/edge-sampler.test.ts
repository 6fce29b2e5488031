import { randomUUID } from 'node:crypto';
import { defaultTextMapGetter, ROOT_CONTEXT, SpanKind, trace, TraceFlags, type Context, type Span } from '@opentelemetry/api';
import { CompositePropagator } from '@opentelemetry/core';
import {
  AlwaysOnSampler,
  InMemorySpanExporter,
  ParentBasedSampler,
  SamplingDecision,
  SimpleSpanProcessor,
  TraceIdRatioBasedSampler,
  TracerProvider,
  type ReadableSpan,
  type Sampler,
} from '@opentelemetry/sdk-trace';
import { expect } from 'chai';
import { sessionSlotOf, withSessionSlot } from '../../../../../src/core/context/session-storage.ts';
import { EdgeSampler } from '../../../../../src/core/telemetry/session-bridge/edge-sampler.ts';
import { EdgeTraceContextPropagator } from '../../../../../src/core/telemetry/session-bridge/edge-trace-context-propagator.ts';
import { SessionBaggagePropagator } from '../../../../../src/core/telemetry/session-bridge/session-baggage-propagator.ts';
import { isSessionSampled, SessionRatioSampler } from '../../../../../src/core/telemetry/session-bridge/session-ratio-sampler.ts';
import { SessionSampledSpanProcessor } from '../../../../../src/core/telemetry/session-bridge/session-sampled-span-processor.ts';
import { decidedTraceFlags } from '../../../../../src/core/telemetry/session-bridge/session-trace.ts';

const RATIO = 0.5;
const CLIENT_SPAN_ID = 'b7ad6b7169203331';
const ids = Array.from({ length: 400 }, () => `edge-${randomUUID()}`);
const kept = ids.find((id) => isSessionSampled(id, RATIO))!;
const dropped = ids.find((id) => !isSessionSampled(id, RATIO))!;

/** The propagators of an untrusted edge, as `startTelemetry` composes them. */
const edgePropagator = new CompositePropagator({
  propagators: [new EdgeTraceContextPropagator(), new SessionBaggagePropagator({ trustIncomingBaggage: false, propagateUserId: false })],
});

/** The context the HTTP instrumentation extracts from a request with these headers. */
function extracted(headers: Record<string, string>): Context {
  return edgePropagator.extract(ROOT_CONTEXT, headers, defaultTextMapGetter);
}

function traceparent(traceId: string, flags: '00' | '01'): string {
  return `00-${traceId}-${CLIENT_SPAN_ID}-${flags}`;
}

function randomTraceId(): string {
  return randomUUID().replaceAll('-', '');
}

/**
 * A real SDK tracer with `sampler`, exporting to memory: spans start as the server span does.
 * With `sessionRatio`, through the processor that decides session sampling, as at an edge.
 */
function tracerWith(sampler: Sampler, sessionRatio?: number): { start: (context: Context) => Span; exported: () => Promise<ReadableSpan[]> } {
  const exporter = new InMemorySpanExporter();
  const exporting = new SimpleSpanProcessor({ exporter });
  const spanProcessors =
    sessionRatio === undefined ? [exporting] : [new SessionSampledSpanProcessor({ ratio: sessionRatio, decidesRemoteParents: true, next: [exporting] })];
  const provider = new TracerProvider({ sampler, spanProcessors });
  const tracer = provider.getTracer('edge-sampler-test');
  return {
    start: (context) => tracer.startSpan('GET /api/test/session', { kind: SpanKind.SERVER }, context),
    exported: async () => {
      await provider.forceFlush();
      const spans = exporter.getFinishedSpans();
      exporter.reset();
      return spans;
    },
  };
}

const sessionRule = (): Sampler => new ParentBasedSampler({ root: new SessionRatioSampler(RATIO) });

describe('EdgeSampler', () => {
  it('decides a span with a remote parent by the session under parentbased_session_ratio, whatever the caller\'s flag', async () => {
    const { start, exported } = tracerWith(new EdgeSampler(sessionRule()), RATIO);
    for (const sessionId of [kept, dropped]) {
      for (const flags of ['01', '00'] as const) {
        // The browser's way (baggage) and a plain client's (x-session-id) both decide.
        for (const sessionHeader of [{ baggage: `session.id=${sessionId}` }, { 'x-session-id': sessionId }]) {
          const clientTraceId = randomTraceId();
          const span = start(extracted({ traceparent: traceparent(clientTraceId, flags), ...sessionHeader }));
          const what = `${sessionId} ${flags} ${Object.keys(sessionHeader)[0]!}`;
          const sampled = sessionId === kept;
          // Recorded either way until it ends (the session may still change); the flag it
          // sends on and logs is the session's.
          expect(span.isRecording(), what).to.equal(true);
          expect(decidedTraceFlags(span), what).to.equal(sampled ? TraceFlags.SAMPLED : TraceFlags.NONE);
          // The caller's trace id is kept either way, so its span and the server's form one trace.
          expect(span.spanContext().traceId, what).to.equal(clientTraceId);
          span.end();
          const spans = await exported();
          expect(spans.map((one) => [one.spanContext().traceId, one.parentSpanContext?.spanId]), what).to.deep.equal(
            sampled ? [[clientTraceId, CLIENT_SPAN_ID]] : [],
          );
        }
      }
    }
  });

  it('lets the caller\'s flag decide without it (what the test above tells apart)', () => {
    const { start } = tracerWith(sessionRule());
    expect(start(extracted({ traceparent: traceparent(randomTraceId(), '01'), baggage: `session.id=${dropped}` })).spanContext().traceFlags).to.equal(TraceFlags.SAMPLED);
    expect(start(extracted({ traceparent: traceparent(randomTraceId(), '00'), baggage: `session.id=${kept}` })).spanContext().traceFlags).to.equal(TraceFlags.NONE);
  });

  it('records a request whose caller sent flag 00 under the default sampler (parentbased_always_on)', async () => {
    const { start, exported } = tracerWith(new EdgeSampler(new ParentBasedSampler({ root: new AlwaysOnSampler() })));
    const clientTraceId = randomTraceId();
    start(extracted({ traceparent: traceparent(clientTraceId, '00') })).end();
    expect((await exported()).map((span) => span.spanContext().traceId)).to.deep.equal([clientTraceId]);
  });

  it('decides by the caller\'s trace id under parentbased_traceidratio, whatever the caller\'s flag', () => {
    const sampler = new EdgeSampler(new ParentBasedSampler({ root: new TraceIdRatioBasedSampler(RATIO) }));
    // TraceIdRatioBased keeps a trace id whose four 32-bit words, XORed, are below ratio × 2^32.
    const low = '00000000000000000000000000000001';
    const high = 'f0000000000000000000000000000000';
    const decide = (traceId: string, flags: '00' | '01'): SamplingDecision =>
      sampler.shouldSample(extracted({ traceparent: traceparent(traceId, flags) }), traceId, 'GET', SpanKind.SERVER, {}, []).decision;
    expect(decide(low, '00')).to.equal(SamplingDecision.RECORD_AND_SAMPLED);
    expect(decide(high, '01')).to.equal(SamplingDecision.NOT_RECORD);
  });

  it('leaves a span with a local parent, and a root, to the wrapped sampler (which records a root in a session, to decide it at its end)', () => {
    const sampler = new EdgeSampler(sessionRule());
    const decide = (context: Context): SamplingDecision => sampler.shouldSample(context, randomTraceId(), 'work', SpanKind.INTERNAL, {}, []).decision;
    const localParent = (sessionId: string, flags: TraceFlags): Context =>
      trace.setSpanContext(withSessionSlot(ROOT_CONTEXT, sessionId), { traceId: randomTraceId(), spanId: CLIENT_SPAN_ID, traceFlags: flags, isRemote: false });
    // Children follow the edge's own decision, whatever the session rule says of them.
    expect(decide(localParent(kept, TraceFlags.NONE))).to.equal(SamplingDecision.NOT_RECORD);
    expect(decide(localParent(dropped, TraceFlags.SAMPLED))).to.equal(SamplingDecision.RECORD_AND_SAMPLED);
    expect(decide(withSessionSlot(ROOT_CONTEXT, kept))).to.equal(SamplingDecision.RECORD_AND_SAMPLED);
    expect(decide(withSessionSlot(ROOT_CONTEXT, dropped))).to.equal(SamplingDecision.RECORD_AND_SAMPLED);
    // Outside any session, a root is decided at once, by its trace id.
    expect(sampler.shouldSample(ROOT_CONTEXT, 'ffffffff000000000000000000000000', 'work', SpanKind.INTERNAL, {}, []).decision).to.equal(SamplingDecision.NOT_RECORD);
  });

  it('keeps the request\'s session slot in the context it removes the parent from', () => {
    const context = extracted({ traceparent: traceparent(randomTraceId(), '01'), 'x-session-id': dropped });
    expect(trace.getSpanContext(trace.deleteSpan(context))).to.equal(undefined);
    expect(sessionSlotOf(trace.deleteSpan(context))?.sessionId).to.equal(dropped);
  });

  it('names the sampler it wraps', () => {
    expect(new EdgeSampler(sessionRule()).toString()).to.equal(
      `EdgeSampler{remote parents decided as roots by ${sessionRule().toString()}}`,
    );
  });
});
