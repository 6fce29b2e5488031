import { defaultTextMapSetter, propagation, ROOT_CONTEXT, trace, TraceFlags } from '@opentelemetry/api';
import { CompositePropagator, suppressTracing, W3CTraceContextPropagator } from '@opentelemetry/core';
import { expect } from 'chai';
import { SessionBaggagePropagator } from '../../../src/browser/session-baggage-propagator.ts';

describe('SessionBaggagePropagator', () => {
  const propagator = new SessionBaggagePropagator(() => 'browser-session-1');

  it('writes exactly session.id with the current id, whatever baggage the context holds', () => {
    const context = propagation.setBaggage(ROOT_CONTEXT, propagation.createBaggage({ 'user.id': { value: 'alice' }, secret: { value: 'x' } }));
    const carrier: Record<string, string> = {};
    propagator.inject(context, carrier, defaultTextMapSetter);
    expect(carrier).to.deep.equal({ baggage: 'session.id=browser-session-1' });
  });

  it('writes nothing when tracing is suppressed (the exporter\'s own requests)', () => {
    const carrier: Record<string, string> = {};
    propagator.inject(suppressTracing(ROOT_CONTEXT), carrier, defaultTextMapSetter);
    expect(carrier).to.deep.equal({});
  });

  it('goes out with traceparent when composed with W3C trace context', () => {
    const spanContext = { traceId: '4bf92f3577b34da6a3ce929d0e0e4736', spanId: '00f067aa0ba902b7', traceFlags: TraceFlags.SAMPLED };
    const composite = new CompositePropagator({ propagators: [new W3CTraceContextPropagator(), propagator] });
    const carrier: Record<string, string> = {};
    composite.inject(trace.setSpanContext(ROOT_CONTEXT, spanContext), carrier, defaultTextMapSetter);
    expect(carrier).to.deep.equal({
      traceparent: '00-4bf92f3577b34da6a3ce929d0e0e4736-00f067aa0ba902b7-01',
      baggage: 'session.id=browser-session-1',
    });
    expect(composite.fields()).to.include.members(['traceparent', 'baggage']);
  });
});
