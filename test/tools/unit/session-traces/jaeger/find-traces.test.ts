import type { ServerResponse } from 'node:http';
import { expect } from 'chai';
import { findTraces } from '../../../../../tools/session-traces/jaeger/find-traces.ts';
import { DEFAULT_MAX_CONCURRENT_REQUESTS, JaegerClient } from '../../../../../tools/session-traces/jaeger/jaeger-client.ts';
import { waitFor } from '../../../../core/support/service-process.ts';
import { startCountingJaeger, type CountingJaeger } from '../../../support/session-traces/counting-jaeger.ts';
import { answerJson, startFakeJaeger, type FakeJaeger, type ReceivedRequest } from '../../../support/session-traces/fake-jaeger.ts';
import { downstreamTrace } from '../../../support/session-traces/fixtures.ts';
import { rejection } from '../../../support/session-traces/rejection.ts';

const query = { tags: { 'session.id': 'session-fix' }, sinceMs: 0, limit: 1000 };

/**
 * Most connections a client limited to `limit` searches at once may open: fetch's pool can
 * still count a connection busy for a moment after its answer was read, and open another for
 * the search that took its slot. Twice the limit, whatever the number of services.
 */
const connectionsFor = (limit: number): number => 2 * limit;

describe('findTraces', () => {
  let counting: CountingJaeger | undefined;
  let jaeger: FakeJaeger | undefined;

  afterEach(async () => {
    await counting?.close();
    await jaeger?.close();
    counting = undefined;
    jaeger = undefined;
  });

  it('searches 8 services at once, on at most 16 connections, and finds every trace, when Jaeger knows 200 services', async () => {
    expect(DEFAULT_MAX_CONCURRENT_REQUESTS).to.equal(8);
    counting = await startCountingJaeger({ services: 200, expectedSearches: 200, batch: 8, traces: (service) => [downstreamTrace(`trace-${service}`)] });
    const result = await findTraces(new JaegerClient(counting.url), query);
    expect(result.services).to.have.length(200);
    expect(result.traces).to.have.length(200);
    expect(counting.searches()).to.equal(200);
    expect(counting.maxPending(), 'searches at once').to.equal(8);
    expect(counting.maxConnections(), 'connections at once').to.be.at.most(connectionsFor(8));
  });

  it("keeps two searches of one client within the client's limit together, as a session lookup runs them", async () => {
    counting = await startCountingJaeger({ services: 100, expectedSearches: 200, batch: 8 });
    const client = new JaegerClient(counting.url);
    await Promise.all([findTraces(client, query), findTraces(client, { ...query, tags: { 'session.previous_id': 'session-fix' } })]);
    expect(counting.searches()).to.equal(200);
    expect(counting.maxPending(), 'searches at once').to.equal(8);
    expect(counting.maxConnections(), 'connections at once').to.be.at.most(connectionsFor(8));
  });

  it('searches as many services at once as maxConcurrentRequests allows', async () => {
    counting = await startCountingJaeger({ services: 20, expectedSearches: 20, batch: 3 });
    await findTraces(new JaegerClient(counting.url, { maxConcurrentRequests: 3 }), query);
    expect(counting.maxPending(), 'searches at once').to.equal(3);
    expect(counting.maxConnections(), 'connections at once').to.be.at.most(connectionsFor(3));
  });

  it('sends none of the searches still waiting, and abandons those under way, when one search fails', async () => {
    let failing: ServerResponse | undefined;
    let searches = 0;
    jaeger = await startFakeJaeger((_request, response, url) => {
      if (url.pathname === '/api/services') {
        answerJson(response, { data: Array.from({ length: 50 }, (_, index) => `svc-${index}`) });
        return;
      }
      // svc-0 fails once 8 searches are under way; the others are never answered.
      searches += 1;
      if (url.searchParams.get('service') === 'svc-0') failing = response;
      if (searches >= 8 && failing?.headersSent === false) failing.writeHead(500).end();
    });
    const error = await rejection(findTraces(new JaegerClient(jaeger.url), query));
    expect((error as Error).message).to.equal(`Jaeger at ${jaeger.url} answered 500 to /api/traces; is JAEGER_URL its query address?`);
    const server = jaeger;
    const others = (): ReceivedRequest[] => server.requests.filter((request) => request.pathname === '/api/traces' && request.searchParams.get('service') !== 'svc-0');
    await waitFor('every other search under way to be abandoned', () => others().every((request) => request.abandoned()), 5_000);
    // The 8 under way, and at most the one a freed slot started before the failure was seen.
    expect(others().length + 1, 'searches sent').to.be.at.most(DEFAULT_MAX_CONCURRENT_REQUESTS + 1);
  });
});
