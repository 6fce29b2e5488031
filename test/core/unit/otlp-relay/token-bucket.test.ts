import { expect } from 'chai';
import { TokenBucket } from '../../../../src/core/otlp-relay/token-bucket.ts';

/** A clock the test moves by hand. */
function fakeClock(): { now: () => number; advance: (ms: number) => void } {
  let at = 1_000;
  return { now: () => at, advance: (ms) => (at += ms) };
}

describe('TokenBucket', () => {
  it('lets a full burst through at once, then refuses with the wait until the next token', () => {
    const clock = fakeClock();
    const bucket = new TokenBucket({ ratePerSecond: 20, burst: 40, now: clock.now });
    for (let i = 0; i < 40; i++) expect(bucket.take(), `request ${i + 1}`).to.equal(0);
    expect(bucket.take()).to.equal(50);
    clock.advance(20);
    expect(bucket.take()).to.be.closeTo(30, 1e-9);
  });

  it('refills at its rate when time passes', () => {
    const clock = fakeClock();
    const bucket = new TokenBucket({ ratePerSecond: 20, burst: 40, now: clock.now });
    for (let i = 0; i < 40; i++) bucket.take();
    clock.advance(1000);
    let taken = 0;
    while (bucket.take() === 0) taken++;
    expect(taken).to.equal(20);
  });

  it('never holds more than its burst when it stays unused', () => {
    const clock = fakeClock();
    const bucket = new TokenBucket({ ratePerSecond: 20, burst: 5, now: clock.now });
    clock.advance(3_600_000);
    let taken = 0;
    while (bucket.take() === 0) taken++;
    expect(taken).to.equal(5);
  });

  it('takes nothing when it refuses, so refused callers do not push the next token away', () => {
    const clock = fakeClock();
    const bucket = new TokenBucket({ ratePerSecond: 1, burst: 1, now: clock.now });
    expect(bucket.take()).to.equal(0);
    for (let i = 0; i < 100; i++) expect(bucket.take()).to.be.above(0);
    clock.advance(1000);
    expect(bucket.take()).to.equal(0);
  });

  it('answers a wait of many seconds when the rate is below one per second', () => {
    const clock = fakeClock();
    const bucket = new TokenBucket({ ratePerSecond: 0.1, burst: 1, now: clock.now });
    bucket.take();
    expect(bucket.take()).to.be.closeTo(10_000, 1e-6);
  });
});
