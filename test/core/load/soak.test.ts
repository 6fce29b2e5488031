import { setTimeout as sleep } from 'node:timers/promises';
import { expect } from 'chai';
import { Router } from 'express';
import { SessionMapKey } from '../../../src/core/context/session-map-key.ts';
import { getByKey } from '../../../src/core/context/session-storage.ts';
import { ATTR_SESSION_ID } from '../../../src/core/context/semconv.ts';
import { spanExporter } from '../support/integration-preload.ts';
import { spansOfTraces } from '../support/spans.ts';
import { request, startTestApp, type TestApp } from '../support/test-app.ts';

const REQUESTS = 20_000;
const CONCURRENCY = 200;

const jitter = (): Promise<void> => sleep(Math.floor(Math.random() * 5));
const sessionNow = (): string | undefined => getByKey(SessionMapKey.SESSION_ID);

/** Routes that read the session across timers, Promise.all, a JSON body and a streamed response. */
function soakRoutes(): Router {
  const router = Router();
  router.get('/soak/timers', async (_req, res) => {
    await jitter();
    const seen = await Promise.all([1, 2, 3].map(async () => {
      await jitter();
      return sessionNow();
    }));
    res.json({ seen: [...seen, sessionNow()] });
  });
  router.post('/soak/echo', async (req, res) => {
    await jitter();
    res.json({ seen: [sessionNow(), (req.body as { sessionId?: string }).sessionId] });
  });
  router.get('/soak/stream', async (_req, res) => {
    res.setHeader('content-type', 'application/json');
    res.write('{"seen":[');
    for (let chunk = 0; chunk < 3; chunk++) {
      await jitter();
      res.write(`${chunk === 0 ? '' : ','}${JSON.stringify(sessionNow())}`);
    }
    res.end(']}');
  });
  return router;
}

type Kind = 'timers' | 'echo' | 'stream' | 'call';
const KINDS: Kind[] = ['timers', 'echo', 'stream', 'call'];

async function call(edge: TestApp, kind: Kind, sessionId: string): Promise<{ traceId: string; seen: unknown[] }> {
  const headers = { 'x-session-id': sessionId, 'content-type': 'application/json' };
  const response =
    kind === 'echo'
      ? await request(`${edge.url}/api/soak/echo`, { method: 'POST', headers, body: JSON.stringify({ sessionId }) })
      : await request(`${edge.url}/api/${kind === 'call' ? 'test/call' : `soak/${kind}`}`, { headers });
  const body = (await response.json()) as { seen?: unknown[]; downstream?: { sessionId: unknown } };
  // A call answers what the internal service's GET /api/test/session read from its context.
  const seen = kind === 'call' ? [body.downstream?.sessionId] : (body.seen ?? []);
  return { traceId: response.headers.get('x-trace-id') ?? '', seen: [response.headers.get('x-session-id'), ...seen] };
}

describe(`soak: ${REQUESTS} requests at concurrency ${CONCURRENCY}, each with its own session`, function () {
  this.timeout(10 * 60_000);

  let internal: TestApp;
  let edge: TestApp;

  before(async () => {
    spanExporter.reset();
    internal = await startTestApp({ env: { LOG_LEVEL: 'info' } });
    edge = await startTestApp({ env: { TEST_DOWNSTREAM_URL: `${internal.url}/api/test/session`, LOG_LEVEL: 'info' }, routers: [soakRoutes()] });
  });

  after(async () => {
    await edge.close();
    await internal.close();
    spanExporter.reset();
  });

  it('never lets a response, a span or a log line carry another request\'s session', async () => {
    const sessionOfTrace = new Map<string, string>();
    let crossTalkResponses = 0;
    let next = 0;
    const worker = async (): Promise<void> => {
      while (next < REQUESTS) {
        const index = next++;
        const sessionId = `soak-${String(index).padStart(8, '0')}`;
        const { traceId, seen } = await call(edge, KINDS[index % KINDS.length]!, sessionId);
        sessionOfTrace.set(traceId, sessionId);
        if (seen.length < 2 || seen.some((value) => value !== sessionId)) crossTalkResponses++;
      }
    };
    await Promise.all(Array.from({ length: CONCURRENCY }, worker));

    const byTrace = await spansOfTraces(spanExporter, [...sessionOfTrace.keys()], 1, 60_000);
    let spans = 0;
    let crossTalkSpans = 0;
    for (const [traceId, traceSpans] of byTrace) {
      for (const span of traceSpans) {
        spans++;
        if (span.attributes[ATTR_SESSION_ID] !== sessionOfTrace.get(traceId)) crossTalkSpans++;
      }
    }
    const lines = [...edge.logLines(), ...internal.logLines()].filter((line) => typeof line['trace_id'] === 'string');
    const crossTalkLines = lines.filter((line) => line['session.id'] !== sessionOfTrace.get(String(line['trace_id']))).length;

    console.log(`      ${REQUESTS} requests, ${spans} spans, ${lines.length} log lines; cross-talk: ${crossTalkResponses} responses, ${crossTalkSpans} spans, ${crossTalkLines} log lines`);
    expect(sessionOfTrace.size).to.equal(REQUESTS);
    expect(crossTalkResponses).to.equal(0);
    expect(crossTalkSpans).to.equal(0);
    expect(lines.length).to.be.at.least(REQUESTS * 1.25);
    expect(crossTalkLines).to.equal(0);
  });
});
