import { expect } from 'chai';
import { countedWindow, flushesOf, type SpanMetricsFlush } from '../support/span-metric-flushes.ts';
import type { RawSeries } from '../support/victoria-metrics.ts';

/** A series of traces_span_metrics_calls_total: its span name, collector and [seconds, count] samples. */
const series = (spanName: string, instance: string, samples: [number, number][], status = 'STATUS_CODE_UNSET'): RawSeries => ({
  labels: { __name__: 'traces_span_metrics_calls_total', span_name: spanName, collector_instance_id: instance, status_code: status },
  values: samples.map(([, count]) => count),
  timestamps: samples.map(([seconds]) => Math.round(seconds * 1000)),
});

/** A flush as flushesOf makes it. */
const flush = (instance: string, timestampMs: number, calls: Record<string, number>): SpanMetricsFlush => ({
  instance,
  timestampMs,
  calls: new Map(Object.entries(calls)),
});

describe('flushesOf', () => {
  it('sums the series of one collector by span name at each flush timestamp, oldest first', () => {
    const flushes = flushesOf([
      series('GET /a', 'c1', [[100.5, 1], [115.5, 3]]),
      series('GET /a', 'c1', [[100.5, 2], [115.5, 2]], 'STATUS_CODE_ERROR'),
      series('GET /b', 'c1', [[115.5, 1]]),
    ]);
    expect(flushes).to.deep.equal([flush('c1', 100_500, { 'GET /a': 3 }), flush('c1', 115_500, { 'GET /a': 5, 'GET /b': 1 })]);
  });

  it('sums by the key it is given instead, e.g. service and span name', () => {
    const ofService = (service: string, spanName: string, samples: [number, number][]): RawSeries => {
      const one = series(spanName, 'c1', samples);
      return { ...one, labels: { ...one.labels, service_name: service } };
    };
    const flushes = flushesOf([ofService('api', 'GET /a', [[100, 2]]), ofService('orders', 'GET /a', [[100, 5]])], (labels) => `${labels['service_name']} ${labels['span_name']}`);
    expect(flushes).to.deep.equal([flush('c1', 100_000, { 'api GET /a': 2, 'orders GET /a': 5 })]);
  });

  it('keeps the flushes of two collectors apart when they flush at the same time', () => {
    const flushes = flushesOf([series('GET /a', 'c1', [[100, 4]]), series('GET /a', 'c2', [[100, 1]])]);
    expect(flushes.map((each) => [each.instance, each.calls.get('GET /a')])).to.have.deep.members([
      ['c1', 4],
      ['c2', 1],
    ]);
  });
});

describe('countedWindow', () => {
  const added = new Map([
    ['GET /a', 2],
    ['GET /b', 1],
  ]);
  const baseline = flush('c1', 100_000, { 'GET /a': 5, 'GET /b': 1, 'GET /c': 7 });

  it('answers the last flush at the baseline counts and the first at the baseline plus the calls added', () => {
    const flushes = [
      flush('c1', 85_000, { 'GET /a': 4, 'GET /b': 0 }),
      baseline,
      flush('c1', 115_000, { 'GET /a': 5, 'GET /b': 1, 'GET /c': 9 }),
      flush('c1', 130_000, { 'GET /a': 6, 'GET /b': 1 }),
      flush('c1', 145_000, { 'GET /a': 7, 'GET /b': 2 }),
      flush('c1', 160_000, { 'GET /a': 7, 'GET /b': 2 }),
    ];
    expect(countedWindow(flushes, baseline, added)).to.deep.equal({ before: flushes[2], after: flushes[4] });
  });

  it("reads the baseline's counts from the flushes given, not from the baseline passed", () => {
    // Seen first while only part of its series were stored.
    const seenEarly = flush('c1', 100_000, { 'GET /b': 1 });
    const flushes = [baseline, flush('c1', 115_000, { 'GET /a': 7, 'GET /b': 2 })];
    expect(countedWindow(flushes, seenEarly, added)).to.deep.equal({ before: baseline, after: flushes[1] });
  });

  it('throws when the flushes given lack the baseline', () => {
    expect(() => countedWindow([flush('c1', 115_000, { 'GET /a': 7, 'GET /b': 2 })], baseline, added)).to.throw(/No flush of collector c1 at 1970-01-01T00:01:40.000Z/);
  });

  it('answers undefined while no flush holds every call added', () => {
    expect(countedWindow([baseline, flush('c1', 115_000, { 'GET /a': 7, 'GET /b': 1 })], baseline, added)).to.equal(undefined);
  });

  it("ignores another collector's flushes", () => {
    expect(countedWindow([baseline, flush('c2', 115_000, { 'GET /a': 7, 'GET /b': 2 })], baseline, added)).to.equal(undefined);
  });

  it('throws naming the counts when a flush holds more calls than were added', () => {
    expect(() => countedWindow([baseline, flush('c1', 115_000, { 'GET /a': 8, 'GET /b': 2 })], baseline, added)).to.throw(/counts 8, 2 calls of GET \/a, GET \/b: more than the 7, 2 expected/);
  });
});
