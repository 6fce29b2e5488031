/** The session on spans and in baggage, session sampling, and the trust rules of an edge. */
export { SessionSpanProcessor } from './session-span-processor.ts';
export { SessionBaggagePropagator, outgoingBaggage, type BaggagePolicy } from './session-baggage-propagator.ts';
export { admitIncomingBaggage } from './incoming-baggage-policy.ts';
export { isSessionSampled, SessionRatioSampler } from './session-ratio-sampler.ts';
export { SessionSampledSpanProcessor, type SessionSampledSpanProcessorOptions } from './session-sampled-span-processor.ts';
export { SessionSampledFlagPropagator } from './session-sampled-flag-propagator.ts';
export { SessionSampledLogRecordProcessor } from './session-sampled-log-record-processor.ts';
export { decidedTraceFlags } from './session-trace.ts';
export { EdgeSampler } from './edge-sampler.ts';
export { EdgeTraceContextPropagator } from './edge-trace-context-propagator.ts';
export { httpRequestHost, recordOutgoingHost } from './outgoing-destination.ts';
