import { expect } from 'chai';
import type { JaegerTrace } from '../../../../../tools/session-traces/jaeger/jaeger-answer.ts';
import { requestsOf } from '../../../../../tools/session-traces/jaeger/served-requests.ts';
import { downstreamTrace, span } from '../../../support/session-traces/fixtures.ts';

const SERVER = { 'span.kind': 'server' } as const;
const CLIENT = { 'span.kind': 'client' } as const;

/** A trace of `spans` whose processes p1, p2 and p3 are api, orders and web. */
const traceOf = (spans: JaegerTrace['spans']): JaegerTrace => ({
  traceID: 'trace-x',
  processes: { p1: { serviceName: 'api' }, p2: { serviceName: 'orders' }, p3: { serviceName: 'web' } },
  spans,
});

describe('requestsOf', () => {
  it('reads the server spans of each service, the entry one from outside and the downstream one not, when a request calls another service', () => {
    const found = requestsOf(downstreamTrace());
    expect(found.requests).to.deep.equal([
      { service: 'orders', operation: 'GET /api/session', httpRoute: '/api/session', durationUs: 3000, error: false, edge: false },
      { service: 'api', operation: 'GET /api/downstream', httpRoute: '/api/downstream', durationUs: 12_345, error: false, edge: true },
    ]);
    expect(found.services).to.have.members(['api', 'orders']);
  });

  it('covers the time from the start of the earliest span to the end of the latest, whatever the span order', () => {
    const trace = traceOf([
      span('b', 'a', 'p1', 'work', 5_000, 10_000),
      span('a', undefined, 'p1', 'GET /x', 1_000, 8_000, SERVER),
      span('c', 'a', 'p1', 'late', 2_000, 1_000),
    ]);
    expect(requestsOf(trace)).to.deep.include({ startUs: 1_000, endUs: 15_000 });
  });

  it('names a request no route matched by its span name, without a route, when the span has no http.route (a 404)', () => {
    const [request] = requestsOf(traceOf([span('a', undefined, 'p1', 'GET', 0, 400, { ...SERVER, 'http.response.status_code': 404 })])).requests;
    expect(request).to.deep.equal({ service: 'api', operation: 'GET', httpRoute: null, durationUs: 400, error: false, edge: true });
  });

  it('counts status error, the error tag and a 5xx status as errors, and a 4xx as none', () => {
    const trace = traceOf([
      span('a', undefined, 'p1', 'GET /api/fail', 0, 1, { ...SERVER, 'http.response.status_code': 500, 'otel.status_code': 'ERROR', error: true }),
      // A connection closed before the answer: status error, no status code.
      span('b', undefined, 'p1', 'POST /api/slow', 0, 1, { ...SERVER, 'otel.status_code': 'ERROR', 'error.type': 'aborted' }),
      span('c', undefined, 'p1', 'GET /old', 0, 1, { ...SERVER, 'http.status_code': 503 }),
      span('d', undefined, 'p1', 'GET /api/session', 0, 1, { ...SERVER, 'http.response.status_code': 401 }),
    ]);
    expect(requestsOf(trace).requests.map((request) => [request.operation, request.error])).to.deep.equal([
      ['GET /api/fail', true],
      ['POST /api/slow', true],
      ['GET /old', true],
      ['GET /api/session', false],
    ]);
  });

  it('leaves out client and internal spans, and spans without a kind', () => {
    const trace = traceOf([span('a', undefined, 'p1', 'GET', 0, 1, CLIENT), span('b', 'a', 'p1', 'db', 0, 1, { 'span.kind': 'internal' }), span('c', 'b', 'p1', 'x', 0, 1)]);
    expect(requestsOf(trace).requests).to.deep.equal([]);
  });

  it("counts a request as from outside when a browser's client span is above it, or its parent is missing from the trace", () => {
    const trace = traceOf([
      span('page', undefined, 'p3', 'documentLoad', 0, 50_000, { 'span.kind': 'internal' }),
      span('fetch', 'page', 'p3', 'HTTP GET', 1_000, 9_000, CLIENT),
      span('api', 'fetch', 'p1', 'GET /api/session', 2_000, 5_000, SERVER),
      span('lost', 'not-exported', 'p1', 'GET /api/downstream', 3_000, 5_000, SERVER),
      span('call', 'lost', 'p1', 'GET', 3_500, 3_000, CLIENT),
      span('orders', 'call', 'p2', 'GET /api/orders', 4_000, 1_000, SERVER),
    ]);
    const found = requestsOf(trace);
    expect(found.requests.map((request) => [request.service, request.operation, request.edge])).to.deep.equal([
      ['api', 'GET /api/session', true],
      ['api', 'GET /api/downstream', true],
      ['orders', 'GET /api/orders', false],
    ]);
    expect(found.services).to.have.members(['web', 'api', 'orders']);
  });

  it('reads a trace of 200,000 spans in one chain, every tenth a server span, without overflowing the stack', () => {
    const spans = Array.from({ length: 200_000 }, (_, index) =>
      span(`s${index}`, index === 0 ? undefined : `s${index - 1}`, index % 2 === 0 ? 'p1' : 'p2', index % 10 === 0 ? 'GET /hop' : 'work', 1_000_000 + index, 1000, index % 10 === 0 ? SERVER : CLIENT),
    );
    const found = requestsOf(traceOf(spans));
    expect(found.requests).to.have.length(20_000);
    expect(found.requests.filter((request) => request.edge)).to.have.length(1);
    expect(found).to.deep.include({ startUs: 1_000_000, endUs: 1_000_000 + 199_999 + 1000 });
  });

  it('walks each span up once when 100,000 server spans hang under one chain of 100,000 client spans', () => {
    const chain = Array.from({ length: 100_000 }, (_, index) => span(`c${index}`, index === 0 ? undefined : `c${index - 1}`, 'p1', 'GET', index, 1, CLIENT));
    const leaves = Array.from({ length: 100_000 }, (_, index) => span(`l${index}`, 'c99999', 'p2', 'GET /api/orders', 100_000 + index, 1, SERVER));
    const found = requestsOf(traceOf([...chain, ...leaves]));
    expect(found.requests).to.have.length(100_000);
    expect(found.requests.every((request) => request.edge)).to.equal(true);
  });

  it('ends the walk up when the references loop (a malformed answer)', () => {
    const trace = traceOf([span('a', 'b', 'p1', 'x', 0, 1, CLIENT), span('b', 'a', 'p1', 'y', 0, 1, CLIENT), span('c', 'a', 'p1', 'GET /z', 0, 1, SERVER)]);
    expect(requestsOf(trace).requests.map((request) => request.edge)).to.deep.equal([true]);
  });
});
