import { expect } from 'chai';
import { JaegerClient } from '../../../../../tools/session-traces/jaeger/jaeger-client.ts';
import { JaegerAnswerError } from '../../../../../tools/session-traces/jaeger/jaeger-errors.ts';
import { waitFor } from '../../../../core/support/service-process.ts';
import { answerJson, jaegerApi, startFakeJaeger, type FakeJaeger } from '../../../support/session-traces/fake-jaeger.ts';
import { downstreamTrace } from '../../../support/session-traces/fixtures.ts';
import { rejection } from '../../../support/session-traces/rejection.ts';

describe('JaegerClient', () => {
  let jaeger: FakeJaeger | undefined;

  afterEach(async () => {
    await jaeger?.close();
    jaeger = undefined;
  });

  it('stops reading and closes the connection when an answer without Content-Length passes maxAnswerBytes', async () => {
    jaeger = await startFakeJaeger((_request, response) => {
      // Chunked, 40 KiB, and never finished: only the limit can end the read.
      response.writeHead(200, { 'content-type': 'application/json' });
      response.write(`{"data":["${'x'.repeat(40 * 1024)}`);
    });
    const client = new JaegerClient(jaeger.url, { maxAnswerBytes: 10_000 });
    const error = await rejection(client.services());
    expect(error).to.be.instanceOf(JaegerAnswerError);
    expect((error as Error).message).to.equal(
      `Jaeger at ${jaeger.url} answered /api/services with more than the 10000 bytes limit; narrow the search with --since, --limit or --service`,
    );
    await waitFor('the fake Jaeger to see the oversized answer abandoned', () => jaeger!.requests[0]!.abandoned(), 5_000);
  });

  it('reads only maxLargeAnswersAtOnce answers over largeAnswerBytes at once, and every one of them to its end', async () => {
    // Six answers of about 1 MiB each (a tag value of 1 MiB), all asked at once.
    const big = { ...downstreamTrace('trace-big'), spans: downstreamTrace('trace-big').spans.map((one) => ({ ...one, tags: [{ key: 'note', type: 'string', value: 'x'.repeat(1024 * 1024) }] })) };
    jaeger = await startFakeJaeger(jaegerApi(['api'], () => [big]));
    const client = new JaegerClient(jaeger.url, { largeAnswerBytes: 64 * 1024, maxLargeAnswersAtOnce: 1 });
    const search = { service: 'api', tags: { 'session.id': 'session-big-0001' }, sinceMs: 0, limit: 20 };
    const answers = await Promise.all(Array.from({ length: 6 }, () => client.searchTraces(search)));
    expect(answers.map((traces) => traces.map((trace) => trace.traceID))).to.deep.equal(Array.from({ length: 6 }, () => ['trace-big']));
    expect(client.largeAnswersReadAtOnce).to.equal(1);
  });

  it('reads an answer of exactly maxAnswerBytes', async () => {
    const body = JSON.stringify({ data: ['api'] });
    jaeger = await startFakeJaeger((_request, response) => {
      answerJson(response, { data: ['api'] });
    });
    expect(await new JaegerClient(jaeger.url, { maxAnswerBytes: Buffer.byteLength(body) }).services()).to.deep.equal(['api']);
  });

  it('resolves API paths and UI links under the path of the base URL', async () => {
    jaeger = await startFakeJaeger(jaegerApi(['api'], () => [downstreamTrace('t1')], '/tools/jaeger'));
    const client = new JaegerClient(`${jaeger.url}/tools/jaeger`);
    expect(await client.services()).to.deep.equal(['api']);
    expect(await client.searchTraces({ service: 'api', tags: { 'session.id': 's' }, sinceMs: 0, limit: 5 })).to.have.length(1);
    expect(client.traceUrl('t1')).to.equal(`${jaeger.url}/tools/jaeger/trace/t1`);
    expect(client.searchUrl('api', { a: 'b' })).to.match(new RegExp(`^${jaeger.url}/tools/jaeger/search\\?`));
  });

  it('percent-encodes a trace id in its link when the id is not hex', () => {
    expect(new JaegerClient('http://jaeger:16686').traceUrl('../search?x')).to.equal('http://jaeger:16686/trace/..%2Fsearch%3Fx');
  });

  it("rejects with the signal's reason and closes the request when aborted while Jaeger has not answered", async () => {
    jaeger = await startFakeJaeger(() => undefined);
    const stop = new AbortController();
    const pending = rejection(new JaegerClient(jaeger.url).services(stop.signal));
    await waitFor('the request to reach the fake Jaeger', () => jaeger!.requests.length === 1, 5_000);
    const reason = new Error('stopped by the test');
    stop.abort(reason);
    expect(await pending).to.equal(reason);
    await waitFor('the fake Jaeger to see the request abandoned', () => jaeger!.requests[0]!.abandoned(), 5_000);
  });

  it('shows the base URL without credentials in its links and messages', async () => {
    jaeger = await startFakeJaeger((_request, response) => {
      response.writeHead(500).end();
    });
    const client = new JaegerClient(`http://ada:hunter2@127.0.0.1:${jaeger.port}/jaeger`);
    expect(client.displayUrl).to.equal(`${jaeger.url}/jaeger`);
    expect(client.traceUrl('t1')).to.equal(`${jaeger.url}/jaeger/trace/t1`);
    const error = await rejection(client.services());
    expect((error as Error).message).to.equal(`Jaeger at ${jaeger.url}/jaeger answered 500 to /api/services; is JAEGER_URL its query address?`);
  });
});
