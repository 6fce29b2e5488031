import { diag, DiagLogLevel } from '@opentelemetry/api';
import { expect } from 'chai';
import { RelayCounters } from '../../../../src/core/otlp-relay/relay-counters.ts';
import { TELEMETRY_LOSS_REPORT } from '../../../../src/core/telemetry/diagnostics/telemetry-loss-monitor.ts';
import { waitFor } from '../../support/service-process.ts';

describe('RelayCounters', () => {
  let reported: string[];

  beforeEach(() => {
    reported = [];
    const collect = (message: string): void => {
      reported.push(message);
    };
    diag.setLogger({ error: collect, warn: collect, info: () => undefined, debug: () => undefined, verbose: () => undefined }, DiagLogLevel.WARN);
  });

  afterEach(() => {
    diag.disable();
  });

  it('counts forwarded, refused and failed batches by reason, every reason present from the start', () => {
    const counters = new RelayCounters(60_000);
    expect(counters.counts()).to.deep.equal({
      forwarded: 0,
      refused: { rateLimited: 0, busy: 0, unsupportedMediaType: 0, payloadTooLarge: 0, invalidOtlp: 0, aborted: 0 },
      failed: { unreachable: 0, collectorError: 0, collectorRefused: 0 },
    });
    counters.forwarded();
    counters.forwarded();
    counters.refused('rateLimited');
    counters.failed('unreachable');
    const counts = counters.counts();
    expect(counts.forwarded).to.equal(2);
    expect(counts.refused.rateLimited).to.equal(1);
    expect(counts.failed.unreachable).to.equal(1);
    counters.report();
  });

  it('reports the refusals and failures since the last report in one loss line, with totals, and nothing when there were none', () => {
    const counters = new RelayCounters(60_000);
    counters.forwarded();
    counters.refused('payloadTooLarge');
    counters.refused('rateLimited');
    counters.refused('rateLimited');
    counters.failed('collectorError');
    counters.report();
    expect(reported).to.deep.equal([
      `${TELEMETRY_LOSS_REPORT} the browser telemetry relay refused 3 batches (rateLimited 2, payloadTooLarge 1) and failed to deliver 1 batch (collectorError 1) since the last report; totals: 1 forwarded, 3 refused, 1 failed`,
    ]);
    counters.forwarded();
    counters.report();
    expect(reported).to.have.length(1);
    counters.failed('unreachable');
    counters.report();
    expect(reported[1]).to.equal(
      `${TELEMETRY_LOSS_REPORT} the browser telemetry relay failed to deliver 1 batch (unreachable 1) since the last report; totals: 2 forwarded, 3 refused, 2 failed`,
    );
  });

  it('writes one line for a burst of refusals once its interval has passed', async () => {
    const counters = new RelayCounters(50);
    for (let i = 0; i < 100; i++) counters.refused('invalidOtlp');
    await waitFor('the relay report', () => reported.length > 0);
    expect(reported).to.have.length(1);
    expect(reported[0]).to.include('refused 100 batches (invalidOtlp 100)');
  });
});
