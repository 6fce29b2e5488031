import { randomUUID } from 'node:crypto';
import { context, propagation, ROOT_CONTEXT, SpanKind, trace, TraceFlags, type Context } from '@opentelemetry/api';
import { ParentBasedSampler, SamplingDecision } from '@opentelemetry/sdk-trace';
import { expect } from 'chai';
import { withSessionSlot } from '../../../../../src/core/context/session-storage.ts';
import { runWithSession } from '../../../../../src/core/context/run-with-session.ts';
import { isSessionSampled, SessionRatioSampler } from '../../../../../src/core/telemetry/session-bridge/session-ratio-sampler.ts';

const TRACE_ID = '0af7651916cd43dd8448eb211c80319c';

function decide(sampler: SessionRatioSampler | ParentBasedSampler, ctx: Context, traceId = TRACE_ID): SamplingDecision {
  return sampler.shouldSample(ctx, traceId, 'GET /api/session', SpanKind.SERVER, {}, []).decision;
}

describe('isSessionSampled', () => {
  it('gives the same answer for the same session id every time', () => {
    for (let i = 0; i < 200; i++) {
      const id = randomUUID();
      const first = isSessionSampled(id, 0.3);
      for (let again = 0; again < 3; again++) expect(isSessionSampled(id, 0.3)).to.equal(first);
    }
  });

  for (const ratio of [0.01, 0.1, 0.25, 0.5, 0.9]) {
    it(`keeps a share of 100,000 random session ids within 1% of the ratio ${ratio}`, () => {
      let kept = 0;
      for (let i = 0; i < 100_000; i++) if (isSessionSampled(randomUUID(), ratio)) kept++;
      expect(Math.abs(kept / 100_000 - ratio)).to.be.below(0.01);
    });
  }

  it('keeps the sessions kept at a ratio at every higher ratio (one threshold, not a draw per ratio)', () => {
    for (let i = 0; i < 2000; i++) {
      const id = randomUUID();
      if (isSessionSampled(id, 0.2)) expect(isSessionSampled(id, 0.6), id).to.equal(true);
    }
  });

  it('keeps every session at ratio 1 and none at ratio 0', () => {
    const ids = Array.from({ length: 1000 }, () => randomUUID());
    expect(ids.every((id) => isSessionSampled(id, 1))).to.equal(true);
    expect(ids.some((id) => isSessionSampled(id, 0))).to.equal(false);
  });

  it('decides by the first four bytes of the SHA-256 of the id, as a service in any language can', () => {
    // SHA-256("session-0001") begins 7d e2 00 ab: 0x7de200ab / 2^32 = 0.49173 (to five places).
    expect(isSessionSampled('session-0001', 0.4918)).to.equal(true);
    expect(isSessionSampled('session-0001', 0.4917)).to.equal(false);
  });
});

describe('SessionRatioSampler', () => {
  const sampler = new SessionRatioSampler(0.5);
  const ids = Array.from({ length: 400 }, () => randomUUID());
  const kept = ids.find((id) => isSessionSampled(id, 0.5))!;
  const dropped = ids.find((id) => !isSessionSampled(id, 0.5))!;

  // The decision by the session is SessionSampledSpanProcessor's, when the trace's root ends
  // (session-sampled-span-processor.test.ts): the sampler records every trace in a session.
  it('records a trace that starts in a request\'s session, kept or dropped, for the decision at its end', () => {
    expect(decide(sampler, withSessionSlot(ROOT_CONTEXT, kept))).to.equal(SamplingDecision.RECORD_AND_SAMPLED);
    expect(decide(sampler, withSessionSlot(ROOT_CONTEXT, dropped))).to.equal(SamplingDecision.RECORD_AND_SAMPLED);
  });

  it('records a trace that starts in the session of the running code (runWithSession)', async () => {
    const inside = (sessionId: string): Promise<SamplingDecision> => runWithSession({ sessionId }, () => Promise.resolve(decide(sampler, context.active())));
    expect(await inside(kept)).to.equal(SamplingDecision.RECORD_AND_SAMPLED);
    expect(await inside(dropped)).to.equal(SamplingDecision.RECORD_AND_SAMPLED);
  });

  it('records a trace with a valid session.id in the context\'s baggage, and decides by the trace id without any session', () => {
    const withBaggage = (id: string): Context => propagation.setBaggage(ROOT_CONTEXT, propagation.createBaggage({ 'session.id': { value: id } }));
    expect(decide(sampler, withBaggage(kept))).to.equal(SamplingDecision.RECORD_AND_SAMPLED);
    expect(decide(sampler, withBaggage(dropped))).to.equal(SamplingDecision.RECORD_AND_SAMPLED);
    // No session (an invalid id is none): the trace id ratio, as parentbased_traceidratio.
    expect(decide(sampler, withBaggage('bad id'), '00000000000000000000000000000001')).to.equal(SamplingDecision.RECORD_AND_SAMPLED);
    expect(decide(sampler, ROOT_CONTEXT, 'ffffffff000000000000000000000000')).to.equal(SamplingDecision.NOT_RECORD);
  });

  it('under ParentBasedSampler follows a remote parent\'s decision, whatever the session', () => {
    const parentBased = new ParentBasedSampler({ root: sampler });
    const child = (flags: TraceFlags, sessionId: string): Context =>
      trace.setSpanContext(withSessionSlot(ROOT_CONTEXT, sessionId), { traceId: TRACE_ID, spanId: 'b7ad6b7169203331', traceFlags: flags, isRemote: true });
    expect(decide(parentBased, child(TraceFlags.SAMPLED, dropped))).to.equal(SamplingDecision.RECORD_AND_SAMPLED);
    expect(decide(parentBased, child(TraceFlags.NONE, kept))).to.equal(SamplingDecision.NOT_RECORD);
    expect(decide(parentBased, withSessionSlot(ROOT_CONTEXT, kept))).to.equal(SamplingDecision.RECORD_AND_SAMPLED);
  });
});
