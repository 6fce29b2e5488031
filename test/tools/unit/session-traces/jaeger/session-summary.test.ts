import { expect } from 'chai';
import { requestsOf, type ServedRequest, type TraceRequests } from '../../../../../tools/session-traces/jaeger/served-requests.ts';
import { nearestRank, summarizeSession } from '../../../../../tools/session-traces/jaeger/session-summary.ts';
import { downstreamTrace, failedTrace } from '../../../support/session-traces/fixtures.ts';

const START_US = Date.UTC(2026, 10, 27, 10, 0, 0) * 1000;

/** A request served by `service`, from outside unless said otherwise. */
const request = (service: string, operation: string, durationUs: number, more: Partial<ServedRequest> = {}): ServedRequest => ({
  service,
  operation,
  httpRoute: operation.includes(' ') ? operation.slice(operation.indexOf(' ') + 1) : null,
  durationUs,
  error: false,
  edge: true,
  ...more,
});

/** A trace of `requests` covering `startUs` to `endUs`. */
const trace = (requests: ServedRequest[], startUs = START_US, endUs = START_US + 1000, services = [...new Set(requests.map((r) => r.service))]): TraceRequests => ({
  requests,
  services,
  startUs,
  endUs,
});

describe('nearestRank', () => {
  const oneToTen = [1, 2, 3, 4, 5, 6, 7, 8, 9, 10];

  it('gives the smallest value with at least p % of the values at or below it', () => {
    expect(nearestRank(oneToTen, 50)).to.equal(5);
    expect(nearestRank(oneToTen, 51)).to.equal(6);
    expect(nearestRank(oneToTen, 10)).to.equal(1);
    expect(nearestRank(oneToTen, 100)).to.equal(10);
  });

  it('gives the largest value as p99 while there are fewer than 100 values, the second largest at 100', () => {
    expect(nearestRank([7], 99)).to.equal(7);
    expect(nearestRank([7], 50)).to.equal(7);
    expect(nearestRank(oneToTen, 99)).to.equal(10);
    const hundred = Array.from({ length: 100 }, (_, i) => i + 1);
    expect(nearestRank(hundred, 99)).to.equal(99);
    expect(nearestRank([...hundred, 101], 99)).to.equal(100);
  });

  it('gives p50 and p99 of 1,000 values by rank 500 and 990', () => {
    const values = Array.from({ length: 1000 }, (_, i) => i + 1);
    expect([nearestRank(values, 50), nearestRank(values, 99)]).to.deep.equal([500, 990]);
  });
});

describe('summarizeSession', () => {
  it('is null when there are no traces', () => {
    expect(summarizeSession([])).to.equal(null);
  });

  it('counts the requests from outside and those each service served, when a request calls another service', () => {
    const summary = summarizeSession([downstreamTrace(), failedTrace()].map(requestsOf));
    expect(summary).to.deep.equal({
      traces: 2,
      edgeRequests: 2,
      edgeErrors: 1,
      requests: 3,
      errors: 1,
      services: ['api', 'orders'],
      firstStart: '2026-11-27T10:00:00.000Z',
      lastEnd: '2026-11-27T10:01:00.002Z',
      byService: [
        { service: 'api', requests: 2, errors: 1 },
        { service: 'orders', requests: 1, errors: 0 },
      ],
      routes: [
        { service: 'api', operation: 'GET /api/downstream', httpRoute: '/api/downstream', requests: 1, errors: 0, p50Ms: 12.3, p99Ms: 12.3 },
        { service: 'api', operation: 'POST /api/login', httpRoute: '/api/login', requests: 1, errors: 1, p50Ms: 2, p99Ms: 2 },
        { service: 'orders', operation: 'GET /api/session', httpRoute: '/api/session', requests: 1, errors: 0, p50Ms: 3, p99Ms: 3 },
      ],
    });
  });

  it('counts an error of a downstream service once per service that answered with one, and once from outside', () => {
    const summary = summarizeSession([
      trace([request('api', 'GET /api/downstream', 9000, { error: true }), request('orders', 'GET /api/orders', 4000, { error: true, edge: false })]),
    ]);
    expect(summary).to.deep.include({ edgeRequests: 1, edgeErrors: 1, requests: 2, errors: 2 });
    expect(summary?.byService).to.deep.equal([
      { service: 'api', requests: 1, errors: 1 },
      { service: 'orders', requests: 1, errors: 1 },
    ]);
  });

  it('gathers the durations of one route across traces and gives its p50 and p99 in milliseconds', () => {
    const durations = [3000, 1000, 5000, 2000, 4000];
    const summary = summarizeSession(durations.map((us) => trace([request('api', 'GET /api/session', us)])));
    expect(summary?.routes).to.deep.equal([{ service: 'api', operation: 'GET /api/session', httpRoute: '/api/session', requests: 5, errors: 0, p50Ms: 3, p99Ms: 5 }]);
  });

  it('keeps the requests no route matched (404s, named by the method alone) in a row of their own, without a route', () => {
    const summary = summarizeSession([
      trace([request('api', 'GET', 300), request('api', 'GET', 500), request('api', 'GET /api/session', 2000)]),
    ]);
    expect(summary?.routes.map((route) => [route.operation, route.httpRoute, route.requests, route.p99Ms])).to.deep.equal([
      ['GET', null, 2, 0.5],
      ['GET /api/session', '/api/session', 1, 2],
    ]);
  });

  it('keeps apart the same operation in two services, and one operation with two routes', () => {
    const summary = summarizeSession([
      trace([request('api', 'GET /x', 1000), request('orders', 'GET /x', 2000, { edge: false }), request('api', 'GET', 10, { httpRoute: '/a' }), request('api', 'GET', 20, { httpRoute: '/b' })]),
    ]);
    expect(summary?.routes.map((route) => `${route.service} ${route.operation} ${route.httpRoute ?? '-'}`)).to.deep.equal([
      'api GET /a',
      'api GET /b',
      'api GET /x /x',
      'orders GET /x /x',
    ]);
  });

  it('sums up one trace with many requests: 1,000 spans of one route, 1 to 1,000 ms', () => {
    const requests = Array.from({ length: 1000 }, (_, i) => request('api', 'GET /api/session', (1000 - i) * 1000, { edge: i === 0, error: i % 100 === 0 }));
    const summary = summarizeSession([trace(requests, START_US, START_US + 2_000_000)]);
    expect(summary).to.deep.include({ traces: 1, edgeRequests: 1, edgeErrors: 1, requests: 1000, errors: 10 });
    expect(summary?.routes[0]).to.deep.include({ requests: 1000, errors: 10, p50Ms: 500, p99Ms: 990 });
  });

  it('names every service with a span, also one that served no request, and spans the earliest start to the latest end', () => {
    const summary = summarizeSession([
      trace([request('api', 'GET /api/session', 1000)], START_US + 5_000, START_US + 9_000, ['web', 'api']),
      trace([], START_US + 1_000, START_US + 2_000, ['web']),
    ]);
    expect(summary).to.deep.include({ services: ['api', 'web'], firstStart: '2026-11-27T10:00:00.001Z', lastEnd: '2026-11-27T10:00:00.009Z', requests: 1 });
    expect(summary?.byService).to.deep.equal([{ service: 'api', requests: 1, errors: 0 }]);
  });

  it('counts no request when the traces have no server span, and still gives their services and time', () => {
    const summary = summarizeSession([trace([], START_US, START_US + 1000, ['web'])]);
    expect(summary).to.deep.include({ traces: 1, edgeRequests: 0, requests: 0, errors: 0, services: ['web'], byService: [], routes: [] });
  });
});
