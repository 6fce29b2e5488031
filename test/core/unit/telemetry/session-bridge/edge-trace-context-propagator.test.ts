import { defaultTextMapGetter, defaultTextMapSetter, ROOT_CONTEXT, trace, TraceFlags } from '@opentelemetry/api';
import { TraceState, W3CTraceContextPropagator } from '@opentelemetry/core';
import { expect } from 'chai';
import { EdgeTraceContextPropagator } from '../../../../../src/core/telemetry/session-bridge/edge-trace-context-propagator.ts';

const TRACE_ID = '4bf92f3577b34da6a3ce929d0e0e4736';
const SPAN_ID = '00f067aa0ba902b7';
const PLANTED = 'planted=evil-value,ot=th:0';

describe('EdgeTraceContextPropagator', () => {
  const propagator = new EdgeTraceContextPropagator();

  for (const flags of ['01', '00'] as const) {
    it(`keeps the caller's trace id, span id and flag ${flags} and drops its tracestate when extracting`, () => {
      const headers = { traceparent: `00-${TRACE_ID}-${SPAN_ID}-${flags}`, tracestate: PLANTED };
      const spanContext = trace.getSpanContext(propagator.extract(ROOT_CONTEXT, headers, defaultTextMapGetter));
      expect(spanContext).to.deep.equal({
        traceId: TRACE_ID,
        spanId: SPAN_ID,
        traceFlags: flags === '01' ? TraceFlags.SAMPLED : TraceFlags.NONE,
        isRemote: true,
      });
      // What W3C's propagator alone does with the same headers: the test tells them apart.
      const w3c = trace.getSpanContext(new W3CTraceContextPropagator().extract(ROOT_CONTEXT, headers, defaultTextMapGetter));
      expect(w3c?.traceState?.serialize()).to.equal(PLANTED);
    });
  }

  it('sends no tracestate on when it re-injects what it extracted', () => {
    const headers = { traceparent: `00-${TRACE_ID}-${SPAN_ID}-01`, tracestate: PLANTED, TraceState: 'other=case' };
    const carrier: Record<string, string> = {};
    propagator.inject(propagator.extract(ROOT_CONTEXT, headers, defaultTextMapGetter), carrier, defaultTextMapSetter);
    expect(carrier).to.deep.equal({ traceparent: `00-${TRACE_ID}-${SPAN_ID}-01` });
  });

  it('leaves the context as it was when there is no valid traceparent', () => {
    for (const headers of [{}, { tracestate: PLANTED }, { traceparent: 'not-a-traceparent', tracestate: PLANTED }]) {
      expect(propagator.extract(ROOT_CONTEXT, headers, defaultTextMapGetter)).to.equal(ROOT_CONTEXT);
    }
  });

  it('injects the tracestate of the service\'s own spans unchanged', () => {
    const own = trace.setSpanContext(ROOT_CONTEXT, {
      traceId: TRACE_ID,
      spanId: SPAN_ID,
      traceFlags: TraceFlags.SAMPLED,
      traceState: new TraceState('vendor=own'),
    });
    const carrier: Record<string, string> = {};
    propagator.inject(own, carrier, defaultTextMapSetter);
    expect(carrier).to.deep.equal({ traceparent: `00-${TRACE_ID}-${SPAN_ID}-01`, tracestate: 'vendor=own' });
  });

  it('names the same fields as W3C Trace Context', () => {
    expect(propagator.fields()).to.deep.equal(new W3CTraceContextPropagator().fields());
  });
});
