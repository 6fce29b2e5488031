import { randomUUID } from 'node:crypto';
import { context, defaultTextMapSetter, ROOT_CONTEXT, SpanKind, trace, TraceFlags, type Context, type Span } from '@opentelemetry/api';
import { W3CTraceContextPropagator } from '@opentelemetry/core';
import { InMemorySpanExporter, ParentBasedSampler, SimpleSpanProcessor, TracerProvider, type ReadableSpan, type SpanProcessor } from '@opentelemetry/sdk-trace';
import { expect } from 'chai';
import { runWithSession, startSessionTracesApart } from '../../../../../src/core/context/run-with-session.ts';
import { SessionMapKey } from '../../../../../src/core/context/session-map-key.ts';
import { createSessionStore, runInSessionStore, sessionSlotOf, setByKey, withSessionSlot, type SessionStore } from '../../../../../src/core/context/session-storage.ts';
import { rotateSession } from '../../../../../src/core/context/rotate-session.ts';
import { EdgeSampler } from '../../../../../src/core/telemetry/session-bridge/edge-sampler.ts';
import { isSessionSampled, SessionRatioSampler } from '../../../../../src/core/telemetry/session-bridge/session-ratio-sampler.ts';
import { SessionSampledFlagPropagator } from '../../../../../src/core/telemetry/session-bridge/session-sampled-flag-propagator.ts';
import { SessionSampledSpanProcessor } from '../../../../../src/core/telemetry/session-bridge/session-sampled-span-processor.ts';
import { SessionSpanProcessor } from '../../../../../src/core/telemetry/session-bridge/session-span-processor.ts';
import { installContextManager } from '../../../support/context-manager.ts';

const RATIO = 0.5;
const ids = Array.from({ length: 400 }, () => `decided-${randomUUID()}`);
const kept = ids.filter((id) => isSessionSampled(id, RATIO));
const dropped = ids.filter((id) => !isSessionSampled(id, RATIO));

/** The spans of session sampling as `startTelemetry` builds them, exporting to memory. */
function sessionSampling(options: { edge?: boolean; maxHeldSpans?: number } = {}): {
  provider: TracerProvider;
  exporter: InMemorySpanExporter;
  /** The names of the spans handed to the exporting processors, shutdown included. */
  handedOn: string[];
  start: (name: string, parent?: Context) => Span;
} {
  const exporter = new InMemorySpanExporter();
  const handedOn: string[] = [];
  const recordNames: SpanProcessor = {
    onStart: () => undefined,
    onEnd: (span: ReadableSpan) => {
      handedOn.push(span.name);
    },
    forceFlush: () => Promise.resolve(),
    shutdown: () => Promise.resolve(),
  };
  const sessionRule = new ParentBasedSampler({ root: new SessionRatioSampler(RATIO) });
  const provider = new TracerProvider({
    sampler: options.edge === true ? new EdgeSampler(sessionRule) : sessionRule,
    spanProcessors: [
      new SessionSpanProcessor(),
      new SessionSampledSpanProcessor({
        ratio: RATIO,
        decidesRemoteParents: options.edge ?? false,
        next: [new SimpleSpanProcessor({ exporter }), recordNames],
        ...(options.maxHeldSpans === undefined ? {} : { maxHeldSpans: options.maxHeldSpans }),
      }),
    ],
  });
  const tracer = provider.getTracer('session-sampled-test');
  return { provider, exporter, handedOn, start: (name, parent = context.active()) => tracer.startSpan(name, { kind: SpanKind.INTERNAL }, parent) };
}

/**
 * A request as the core runs one: headers extracted for `arrivedWith` (the session slot), the
 * server span started in that context, then the session store the middleware creates, with
 * the server span as an early span. Returns the span, the context the request runs in and
 * the store.
 */
function startRequest(start: (name: string, parent?: Context) => Span, arrivedWith: string): { server: Span; inRequest: Context; store: SessionStore } {
  const extracted = withSessionSlot(ROOT_CONTEXT, arrivedWith);
  const server = start('GET /request', extracted);
  const store = createSessionStore({ sessionId: arrivedWith }, [server], { headersSent: false, destroyed: false, setHeader: () => undefined });
  sessionSlotOf(extracted)!.store = store;
  return { server, inRequest: trace.setSpan(extracted, server), store };
}

const exportedNames = (exporter: InMemorySpanExporter): string[] => exporter.getFinishedSpans().map((span) => span.name).sort();

describe('SessionSampledSpanProcessor', () => {
  let uninstall: () => void;
  before(() => {
    uninstall = installContextManager();
  });
  after(() => {
    uninstall();
  });

  it('exports a request\'s trace whole when its session is kept, and drops it whole when not', () => {
    const { exporter, start } = sessionSampling();
    for (const sessionId of [kept[0]!, dropped[0]!]) {
      exporter.reset();
      const { server, inRequest, store } = startRequest(start, sessionId);
      context.with(inRequest, () => {
        runInSessionStore(store, () => {
          start('child').end();
        });
      });
      server.end();
      expect(exportedNames(exporter), sessionId).to.deep.equal(isSessionSampled(sessionId, RATIO) ? ['GET /request', 'child'] : []);
    }
  });

  for (const [from, to] of [
    ['dropped', 'kept'],
    ['kept', 'dropped'],
  ] as const) {
    it(`decides by the id the session has when the root ends: arrived ${from}, set to ${to} with setByKey`, () => {
      const { exporter, start } = sessionSampling();
      const arrivedWith = (from === 'kept' ? kept : dropped)[1]!;
      const derived = (to === 'kept' ? kept : dropped)[2]!;
      const { server, inRequest, store } = startRequest(start, arrivedWith);
      context.with(inRequest, () => {
        runInSessionStore(store, () => {
          // Ends before the id changes: held until the root ends, then decided with it.
          start('before the id').end();
          setByKey(SessionMapKey.SESSION_ID, derived);
          start('after the id').end();
        });
      });
      expect(exporter.getFinishedSpans()).to.deep.equal([]);
      server.end();
      expect(exportedNames(exporter)).to.deep.equal(to === 'kept' ? ['GET /request', 'after the id', 'before the id'] : []);
      if (to === 'kept') expect(exporter.getFinishedSpans().find((span) => span.name === 'GET /request')!.attributes['session.id']).to.equal(derived);
    });
  }

  it('decides a request that rotates its session by the new id', () => {
    const { exporter, start } = sessionSampling();
    let rotations = 0;
    // rotateSession picks a random id: try until it lands on each side of the rule.
    const seen = new Set<boolean>();
    while (seen.size < 2 && rotations < 100) {
      rotations++;
      exporter.reset();
      const { server, inRequest, store } = startRequest(start, kept[3]!);
      const newId = context.with(inRequest, () => runInSessionStore(store, () => rotateSession()));
      server.end();
      const keptNow = isSessionSampled(newId, RATIO);
      seen.add(keptNow);
      expect(exportedNames(exporter), newId).to.deep.equal(keptNow ? ['GET /request'] : []);
    }
    expect(seen.size).to.equal(2);
  });

  it('decides a span that ends after its root by the session\'s id at its end', () => {
    const { exporter, start } = sessionSampling();
    const { server, inRequest, store } = startRequest(start, kept[4]!);
    const late = context.with(inRequest, () => runInSessionStore(store, () => start('late work')));
    server.end();
    expect(exportedNames(exporter)).to.deep.equal(['GET /request']);
    late.end();
    expect(exportedNames(exporter)).to.deep.equal(['GET /request', 'late work']);
  });

  /** Runs `sessionIds` with runWithSession inside a request of session `requestSession`: the request's span and the exported spans. */
  function jobsInRequest(requestSession: string, sessionIds: readonly string[]): { server: Span; spans: ReadableSpan[] } {
    const { exporter, start } = sessionSampling();
    const { server, inRequest, store } = startRequest(start, requestSession);
    context.with(inRequest, () => {
      runInSessionStore(store, () => {
        for (const sessionId of sessionIds) {
          runWithSession({ sessionId }, () => {
            const job = start(`job of ${sessionId}`);
            context.with(trace.setSpan(context.active(), job), () => {
              start(`step of ${sessionId}`).end();
            });
            job.end();
          });
        }
      });
    });
    server.end();
    return { server, spans: exporter.getFinishedSpans() };
  }

  describe('with traces apart for other sessions, as startTelemetry sets it under session sampling', () => {
    before(() => {
      startSessionTracesApart(true);
    });
    after(() => {
      startSessionTracesApart(false);
    });

    it('gives a session run with runWithSession inside a request traces of its own, decided by it and linked to the request', () => {
      const { server, spans } = jobsInRequest(kept[5]!, [kept[6]!, dropped[6]!]);
      expect(spans.map((span) => span.name).sort()).to.deep.equal(['GET /request', `job of ${kept[6]!}`, `step of ${kept[6]!}`].sort());
      const job = spans.find((span) => span.name === `job of ${kept[6]!}`)!;
      expect(job.spanContext().traceId).to.not.equal(server.spanContext().traceId);
      expect(job.parentSpanContext).to.equal(undefined);
      expect(job.links.map((link) => link.context.spanId)).to.deep.equal([server.spanContext().spanId]);
      expect(job.attributes['session.id']).to.equal(kept[6]);
    });

    it('keeps a run in the request\'s own session inside the request\'s trace', () => {
      const { server, spans } = jobsInRequest(kept[10]!, [kept[10]!]);
      const job = spans.find((span) => span.name === `job of ${kept[10]!}`)!;
      expect(job.spanContext().traceId).to.equal(server.spanContext().traceId);
      expect(job.parentSpanContext?.spanId).to.equal(server.spanContext().spanId);
      expect(job.links).to.deep.equal([]);
    });
  });

  it('keeps a run with runWithSession inside the enclosing trace when traces apart are off (every other sampler)', () => {
    const { server, spans } = jobsInRequest(kept[11]!, [kept[12]!]);
    const job = spans.find((span) => span.name === `job of ${kept[12]!}`)!;
    expect(job.parentSpanContext?.spanId).to.equal(server.spanContext().spanId);
    expect(job.links).to.deep.equal([]);
  });

  it('follows a caller\'s decision behind the edge, and decides as a root at an edge', () => {
    const remoteParent = (flags: TraceFlags, sessionId: string): Context =>
      trace.setSpanContext(withSessionSlot(ROOT_CONTEXT, sessionId), { traceId: randomUUID().replaceAll('-', ''), spanId: 'b7ad6b7169203331', traceFlags: flags, isRemote: true });
    const trusted = sessionSampling({ edge: false });
    trusted.start('kept by the caller', remoteParent(TraceFlags.SAMPLED, dropped[7]!)).end();
    trusted.start('dropped by the caller', remoteParent(TraceFlags.NONE, kept[7]!)).end();
    expect(exportedNames(trusted.exporter)).to.deep.equal(['kept by the caller']);
    const edge = sessionSampling({ edge: true });
    edge.start('the caller says keep', remoteParent(TraceFlags.SAMPLED, dropped[7]!)).end();
    edge.start('the caller says drop', remoteParent(TraceFlags.NONE, kept[7]!)).end();
    expect(exportedNames(edge.exporter)).to.deep.equal(['the caller says drop']);
  });

  it('decides the spans it holds at shutdown, and holds no more than maxHeldSpans', async () => {
    const { provider, handedOn, start } = sessionSampling({ maxHeldSpans: 2 });
    const { inRequest, store } = startRequest(start, kept[8]!);
    context.with(inRequest, () => {
      runInSessionStore(store, () => {
        for (const name of ['one', 'two', 'three']) start(name).end();
      });
    });
    // Past the bound, a span is decided when it ends.
    expect(handedOn).to.deep.equal(['three']);
    await provider.shutdown();
    expect(handedOn).to.deep.equal(['three', 'one', 'two']);
  });
});

describe('SessionSampledFlagPropagator', () => {
  let uninstall: () => void;
  before(() => {
    uninstall = installContextManager();
  });
  after(() => {
    uninstall();
  });

  it('sends the session\'s decision at the moment of the call as the sampled flag', () => {
    const { start } = sessionSampling();
    const propagator = new SessionSampledFlagPropagator(new W3CTraceContextPropagator());
    const { server, inRequest, store } = startRequest(start, dropped[9]!);
    const flagOfCall = (): string => {
      const carrier: Record<string, string> = {};
      context.with(inRequest, () => {
        runInSessionStore(store, () => {
          const call = start('GET', context.active());
          propagator.inject(trace.setSpan(context.active(), call), carrier, defaultTextMapSetter);
          call.end();
        });
      });
      return carrier['traceparent']!.slice(-2);
    };
    expect(flagOfCall()).to.equal('00');
    context.with(inRequest, () => {
      runInSessionStore(store, () => {
        setByKey(SessionMapKey.SESSION_ID, kept[9]!);
      });
    });
    expect(flagOfCall()).to.equal('01');
    server.end();
  });
});
