import { randomUUID } from 'node:crypto';
import { ROOT_CONTEXT, SpanKind } from '@opentelemetry/api';
import { SamplingDecision } from '@opentelemetry/sdk-trace';
import { expect } from 'chai';
import { isSessionSampled } from '../../../src/browser/index.ts';
import { SessionSampler } from '../../../src/browser/session-sampling.ts';
import { isSessionSampled as isSessionSampledByServer } from '../../../src/core/index.ts';

describe('isSessionSampled (browser)', () => {
  // Random UUIDs as the browser makes them, and ids of other shapes the server accepts.
  const ids = [
    ...Array.from({ length: 2000 }, () => randomUUID()),
    ...Array.from({ length: 100 }, (_, i) => `session-${i}.${'x'.repeat(i % 40)}:Z`),
  ];

  for (const ratio of [0, 0.001, 0.1, 0.25, 0.5, 0.75, 0.999, 1]) {
    it(`gives the server's answer on the same ids when the ratio is ${ratio}`, () => {
      const differing = ids.filter((id) => isSessionSampled(id, ratio) !== isSessionSampledByServer(id, ratio));
      expect(differing).to.deep.equal([]);
    });
  }

  it('keeps about the ratio of random sessions', () => {
    const kept = ids.slice(0, 2000).filter((id) => isSessionSampled(id, 0.5)).length;
    // Binomial(2000, 0.5): the standard deviation is about 22; 5 of them is never reached by chance.
    expect(kept).to.be.within(890, 1110);
  });

  it('keeps no session when the ratio is 0 or not a number, and every session when it is 1 or more', () => {
    expect(ids.some((id) => isSessionSampled(id, 0) || isSessionSampled(id, Number.NaN))).to.equal(false);
    expect(ids.every((id) => isSessionSampled(id, 1) && isSessionSampled(id, 2))).to.equal(true);
  });
});

describe('SessionSampler', () => {
  const sample = (sampler: SessionSampler): SamplingDecision =>
    sampler.shouldSample(ROOT_CONTEXT, 'a'.repeat(32), 'GET', SpanKind.CLIENT, {}, []).decision;

  it('samples a root span exactly when the current session is sampled', () => {
    const sampledId = Array.from({ length: 50 }, () => randomUUID()).find((id) => isSessionSampledByServer(id, 0.5))!;
    const droppedId = Array.from({ length: 50 }, () => randomUUID()).find((id) => !isSessionSampledByServer(id, 0.5))!;
    let current = sampledId;
    const sampler = new SessionSampler(() => current, 0.5);
    expect(sample(sampler)).to.equal(SamplingDecision.RECORD_AND_SAMPLED);
    current = droppedId;
    expect(sample(sampler), 'a new session gets a new decision').to.equal(SamplingDecision.NOT_RECORD);
    current = sampledId;
    expect(sample(sampler)).to.equal(SamplingDecision.RECORD_AND_SAMPLED);
  });
});
