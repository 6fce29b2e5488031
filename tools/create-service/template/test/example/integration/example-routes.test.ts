import { SpanKind } from '@opentelemetry/api';
import type { ReadableSpan } from '@opentelemetry/sdk-trace';
import { expect } from 'chai';
import { Router } from 'express';
import { ATTR_SESSION_ID, ATTR_USER_ID, getByKey, registeredTelemetry, SessionMapKey, type RoutesFactory } from '../../../src/core/index.ts';
import { spanExporter } from '../../core/support/integration-preload.ts';
import { startRecordingDownstream, type RecordingDownstream } from '../../core/support/recording-downstream.ts';
import { waitFor } from '../../core/support/service-process.ts';
import { spansOfTrace } from '../../core/support/spans.ts';
import { waitForLogLine } from '../../core/support/wait-for-log-lines.ts';
import { exampleRoutes } from '../../../src/example/index.ts';
import { request, startTestApp, type TestApp } from '../../core/support/test-app.ts';

/** A route of the service's own, added after the example's as the README's "Adding routes" says. */
const orderRoutes: RoutesFactory = () => {
  const router = Router();
  router.get('/orders/:id', (req, res) => {
    res.json({ id: req.params.id, userId: getByKey(SessionMapKey.USER_ID) ?? null });
  });
  return router;
};

describe('the example routes (real SDK, in-memory exporter)', () => {
  let downstream: RecordingDownstream;
  let app: TestApp;

  beforeEach(async () => {
    spanExporter.reset();
    downstream = await startRecordingDownstream();
    // The core's test app, built as startService builds it, with the example's routes.
    app = await startTestApp({ env: { EXAMPLE_JOB_URL: downstream.url }, routes: [exampleRoutes] });
  });

  afterEach(async () => {
    await app.close();
    await downstream.close();
  });

  it('answers GET /api/hello with the session of x-session-id and tags every span of the request with it', async () => {
    const response = await request(`${app.url}/api/hello`, { headers: { 'x-session-id': 'example-session-01' } });
    expect(response.status).to.equal(200);
    expect(await response.json()).to.deep.equal({ message: 'Hello!', sessionId: 'example-session-01', userId: null });
    const spans = await spansOfTrace(spanExporter, response.headers.get('x-trace-id')!);
    expect(spans.map((span) => span.name)).to.include('GET /api/hello');
    for (const span of spans) expect(span.attributes[ATTR_SESSION_ID], span.name).to.equal('example-session-01');
  });

  it('sets the user id from ?user= in the answer, on the request\'s span and on the log line', async () => {
    const response = await request(`${app.url}/api/hello?user=alice`, { headers: { 'x-session-id': 'example-session-02' } });
    expect(await response.json()).to.deep.equal({ message: 'Hello, alice!', sessionId: 'example-session-02', userId: 'alice' });
    const spans = await spansOfTrace(spanExporter, response.headers.get('x-trace-id')!);
    // The server span started before the session existed: setByKey updates it too. (Spans
    // that start after setByKey get the user from the span processor.)
    const server = spans.find((span) => span.kind === SpanKind.SERVER);
    expect(server?.name).to.equal('GET /api/hello');
    expect(server?.attributes[ATTR_USER_ID], 'server span').to.equal('alice');
    const line = await waitForLogLine(app, '"said hello" of example-session-02', (candidate) =>
      candidate['message'] === 'said hello' && candidate['session.id'] === 'example-session-02',
    );
    expect(line['user.id']).to.equal('alice');
  });

  it('answers 400 invalid_user_id when ?user= is not a valid user id', async () => {
    const response = await request(`${app.url}/api/hello?user=${encodeURIComponent('bad user')}`);
    expect(response.status).to.equal(400);
    expect(((await response.json()) as { error: string }).error).to.equal('invalid_user_id');
  });

  it("leaves the service's other routes alone when they are given ?user=: no user id, no 400", async () => {
    await app.close();
    app = await startTestApp({ routes: [exampleRoutes, orderRoutes] });
    const claimed = await request(`${app.url}/api/orders/42?user=mallory`);
    expect(await claimed.json()).to.deep.equal({ id: '42', userId: null });
    const invalid = await request(`${app.url}/api/orders/42?user=${encodeURIComponent('bad user')}`);
    expect(invalid.status).to.equal(200);
    expect(await invalid.json()).to.deep.equal({ id: '42', userId: null });
    // The example's own route still takes it.
    const hello = await request(`${app.url}/api/hello?user=alice`);
    expect(((await hello.json()) as { userId: string | null }).userId).to.equal('alice');
  });

  it("runs a queued job after the answer in the request's session: its own trace, the session on its spans, its log line and the baggage of its call", async () => {
    const response = await request(`${app.url}/api/jobs?user=bob`, { method: 'POST', headers: { 'x-session-id': 'example-job-01' } });
    expect(response.status).to.equal(202);
    const { jobId, sessionId } = (await response.json()) as { jobId: string; sessionId: string };
    expect(sessionId).to.equal('example-job-01');

    await waitFor("the job's call to EXAMPLE_JOB_URL", () => downstream.received.length > 0);
    // The integration preload propagates user.id (PROPAGATE_USER_ID=true).
    const baggage = String(downstream.received[0]!['baggage']).split(',').sort();
    expect(baggage).to.deep.equal(['session.id=example-job-01', 'user.id=bob']);

    let jobSpans: ReadableSpan[] = [];
    await waitFor('the span of the job and of its call', async () => {
      await registeredTelemetry().forceFlush();
      const jobSpan = spanExporter.getFinishedSpans().find((span) => span.name === 'example job' && span.attributes['job.id'] === jobId);
      const traceId = jobSpan?.spanContext().traceId;
      // The stand-in downstream runs in this process, outside any session: its server span is
      // in the job's trace too, and is not the service's.
      jobSpans = spanExporter.getFinishedSpans().filter((span) => span.spanContext().traceId === traceId && span.kind !== SpanKind.SERVER);
      return jobSpan !== undefined && jobSpans.some((span) => span.kind === SpanKind.CLIENT);
    });
    const [jobTrace] = new Set(jobSpans.map((span) => span.spanContext().traceId));
    expect(jobTrace, 'the job runs outside the request: a trace of its own').not.to.equal(response.headers.get('x-trace-id'));
    for (const span of jobSpans) {
      expect(span.attributes[ATTR_SESSION_ID], span.name).to.equal('example-job-01');
      expect(span.attributes[ATTR_USER_ID], span.name).to.equal('bob');
    }

    const done = await waitForLogLine(app, `"example job done" of job ${jobId}`, (line) => line['message'] === 'example job done' && line['job.id'] === jobId);
    expect(done).to.include({ 'session.id': 'example-job-01', 'user.id': 'bob', 'http.response.status_code': 200 });
  });
});
