import { setTimeout as sleep } from 'node:timers/promises';
import { trace } from '@opentelemetry/api';
import { expect } from 'chai';
import { Router } from 'express';
import { SessionMapKey } from '../../../src/core/context/session-map-key.ts';
import { getByKey } from '../../../src/core/context/session-storage.ts';
import { ATTR_SESSION_ID } from '../../../src/core/context/semconv.ts';
import { spanExporter } from '../support/integration-preload.ts';
import { spansOfTraces } from '../support/spans.ts';
import { request, startTestApp, type TestApp } from '../support/test-app.ts';
import { accessLineTraceId, waitForLogLines } from '../support/wait-for-log-lines.ts';

const CONCURRENT_REQUESTS = 1000;

/** Spans a request records: its server span and one per parallel branch. */
const BRANCHES = 3;
const SPANS_PER_REQUEST = 1 + BRANCHES;

/**
 * A route that reads the session after random timer delays, in parallel branches, each of
 * which records a span of its own once its delay is over.
 */
function randomDelayRoute(): Router {
  const router = Router();
  const tracer = trace.getTracer('isolation-test');
  router.get('/random-delays', async (_req, res) => {
    const seen = await Promise.all(
      Array.from({ length: BRANCHES }, async () => {
        await sleep(Math.floor(Math.random() * 20));
        return tracer.startActiveSpan('branch', (span) => {
          span.end();
          return getByKey(SessionMapKey.SESSION_ID);
        });
      }),
    );
    await new Promise<void>((resolve) => setImmediate(resolve));
    res.json({ seen, final: getByKey(SessionMapKey.SESSION_ID) });
  });
  return router;
}

describe('session isolation under concurrency', () => {
  let app: TestApp;

  before(async () => {
    spanExporter.reset();
    app = await startTestApp({ routers: [randomDelayRoute()] });
  });

  after(async () => {
    await app.close();
  });

  it(`keeps ${CONCURRENT_REQUESTS} concurrent sessions apart in responses, spans and log lines`, async () => {
    const ids = Array.from({ length: CONCURRENT_REQUESTS }, (_, i) => `concurrent-${String(i).padStart(5, '0')}`);
    const responses = await Promise.all(
      ids.map(async (id) => {
        await sleep(Math.floor(Math.random() * 10));
        const response = await request(`${app.url}/api/random-delays`, { headers: { 'x-session-id': id } });
        return { id, traceId: response.headers.get('x-trace-id')!, header: response.headers.get('x-session-id'), body: (await response.json()) as { seen: string[]; final: string } };
      }),
    );

    let crossTalk = 0;
    for (const { id, header, body } of responses) {
      if (header !== id || body.final !== id || body.seen.some((seen) => seen !== id)) crossTalk++;
    }
    expect(crossTalk, 'responses carrying another request\'s session').to.equal(0);

    const byTrace = await spansOfTraces(spanExporter, responses.map((r) => r.traceId), 1, 15_000);
    const sessionOfTrace = new Map(responses.map((r) => [r.traceId, r.id]));
    let spanCount = 0;
    for (const [traceId, spans] of byTrace) {
      for (const span of spans) {
        spanCount++;
        if (span.attributes[ATTR_SESSION_ID] !== sessionOfTrace.get(traceId)) crossTalk++;
      }
    }
    expect(crossTalk, 'spans carrying another request\'s session').to.equal(0);
    expect(spanCount).to.equal(CONCURRENT_REQUESTS * SPANS_PER_REQUEST);

    // Access lines are written on 'finish', which can come after the client has the answer.
    await waitForLogLines(app, 'the access line of every request', [...sessionOfTrace.keys()], accessLineTraceId, 15_000);
    const accessLines = app.logLines().filter((line) => line['message'] === 'request completed');
    expect(accessLines).to.have.length(CONCURRENT_REQUESTS);
    for (const line of accessLines) {
      if (line['session.id'] !== sessionOfTrace.get(String(line['trace_id']))) crossTalk++;
    }
    expect(crossTalk, 'log lines carrying another request\'s session').to.equal(0);
  });
});
