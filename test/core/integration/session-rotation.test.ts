import { SpanKind } from '@opentelemetry/api';
import { expect } from 'chai';
import { ATTR_SESSION_ID, ATTR_SESSION_PREVIOUS_ID, ATTR_USER_ID } from '../../../src/core/index.ts';
import type { SignInResult } from '../support/fixtures/test-routes.ts';
import { exportedLogRecords } from '../support/exported-log-records.ts';
import { logRecordExporter, spanExporter } from '../support/integration-preload.ts';
import { startRecordingDownstream, type RecordingDownstream } from '../support/recording-downstream.ts';
import { spansOfTrace } from '../support/spans.ts';
import { request, startTestApp, type TestApp } from '../support/test-app.ts';
import { accessLineTraceId, waitForLogLine, waitForLogLines } from '../support/wait-for-log-lines.ts';

const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-4[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}$/;

/** Signs in as `userId` in the session `sessionId` at `app`; the answer, its trace and the new id. */
async function signIn(app: TestApp, sessionId: string, userId: string, rotations = 1): Promise<{ result: SignInResult; traceId: string; answeredId: string | null }> {
  const response = await request(`${app.url}/api/test/sign-in`, {
    method: 'POST',
    headers: { 'content-type': 'application/json', 'x-session-id': sessionId },
    body: JSON.stringify({ userId, rotations }),
  });
  expect(response.status).to.equal(200);
  return { result: (await response.json()) as SignInResult, traceId: response.headers.get('x-trace-id')!, answeredId: response.headers.get('x-session-id') };
}

describe('rotateSession: signing in starts a new session, linked to the old one (real SDK, in-memory exporters)', () => {
  let app: TestApp;
  let downstream: RecordingDownstream;

  beforeEach(async () => {
    spanExporter.reset();
    logRecordExporter.reset();
    downstream = await startRecordingDownstream();
    app = await startTestApp({ env: { TEST_DOWNSTREAM_URL: downstream.url } });
  });

  afterEach(async () => {
    await app.close();
    await downstream.close();
  });

  it('answers a new random id in x-session-id and uses it, with the old one as session.previous_id, for the rest of the request', async () => {
    const { result, traceId, answeredId } = await signIn(app, 'session-rot-01', 'alice');
    expect(answeredId).to.match(UUID);
    expect(result).to.deep.include({ sessionId: answeredId, previousSessionId: 'session-rot-01', userId: 'alice', downstreamStatus: 200 });

    // The recording downstream runs in this process, untraced: a plain node:http server.
    const server = (await spansOfTrace(spanExporter, traceId)).find((span) => span.kind === SpanKind.SERVER && span.name === 'POST /api/test/sign-in');
    expect(server!.attributes).to.include({ [ATTR_SESSION_ID]: answeredId, [ATTR_SESSION_PREVIOUS_ID]: 'session-rot-01', [ATTR_USER_ID]: 'alice' });

    const signedIn = await waitForLogLine(app, '"signed in"', (line) => line['message'] === 'signed in' && line['trace_id'] === traceId);
    expect(signedIn).to.include({ 'session.id': answeredId, 'session.previous_id': 'session-rot-01', 'user.id': 'alice' });
    const access = (await waitForLogLines(app, 'the access line', [traceId], accessLineTraceId)).get(traceId)!;
    expect(access).to.include({ 'session.id': answeredId, 'session.previous_id': 'session-rot-01' });
  });

  it('sends the new id downstream, and never the old one nor the link', async () => {
    const { answeredId } = await signIn(app, 'session-rot-02', 'bob');
    expect(downstream.received).to.have.length(1);
    const entries = String(downstream.received[0]!.baggage).split(',').map((entry) => entry.trim()).sort();
    expect(entries).to.deep.equal([`session.id=${answeredId}`, 'user.id=bob']);
  });

  it('emits session.end for the old id and session.start for the new one with session.previous_id, in the request\'s trace', async () => {
    const { traceId, answeredId } = await signIn(app, 'session-rot-03', 'carol');
    const events = await exportedLogRecords('session.end and session.start', (record) => record.spanContext?.traceId === traceId && record.eventName !== undefined, 2);
    expect(events.map((record) => [record.eventName, record.attributes])).to.deep.equal([
      ['session.end', { 'session.id': 'session-rot-03' }],
      ['session.start', { 'session.id': answeredId, 'session.previous_id': 'session-rot-03' }],
    ]);
    for (const event of events) expect(event.body, 'an event has no body').to.equal(undefined);
  });

  it('starts one new session per request: a second call returns the id of the first and emits nothing more', async () => {
    const { result, traceId, answeredId } = await signIn(app, 'session-rot-04', 'dave', 2);
    expect(result.rotatedTo).to.deep.equal([answeredId, answeredId]);
    expect(result).to.deep.include({ sessionId: answeredId, previousSessionId: 'session-rot-04' });
    const events = await exportedLogRecords('session.end and session.start', (record) => record.spanContext?.traceId === traceId && record.eventName !== undefined, 2);
    await waitForLogLines(app, 'the access line', [traceId], accessLineTraceId);
    expect(events.map((record) => record.eventName)).to.deep.equal(['session.end', 'session.start']);
    expect(logRecordExporter.getFinishedLogRecords().filter((record) => record.spanContext?.traceId === traceId && record.eventName !== undefined)).to.have.length(2);
  });

  it('changes nothing when the client is gone before the answer: the id stays, no session starts', async () => {
    const aborted = new AbortController();
    const pending = request(`${app.url}/api/test/rotation-after-close`, { headers: { 'x-session-id': 'session-rot-07' }, signal: aborted.signal });
    await waitForLogLine(app, '"holding the answer"', (entry) => entry['message'] === 'holding the answer' && entry['session.id'] === 'session-rot-07');
    aborted.abort();
    await pending.catch(() => undefined);
    const line = await waitForLogLine(app, '"rotated after close"', (entry) => entry['message'] === 'rotated after close' && entry['session.id'] === 'session-rot-07');
    expect(line['returned']).to.equal('session-rot-07');
    expect(line).not.to.have.property('session.previous_id');
    expect(logRecordExporter.getFinishedLogRecords().filter((record) => record.eventName !== undefined)).to.deep.equal([]);
  });

  it('remembers nothing between requests: another instance continues the new session as any other', async () => {
    const other = await startTestApp();
    try {
      const { answeredId } = await signIn(app, 'session-rot-05', 'erin');
      const response = await request(`${other.url}/api/test/session`, { headers: { 'x-session-id': answeredId! } });
      expect(response.headers.get('x-session-id')).to.equal(answeredId);
      const [server] = await spansOfTrace(spanExporter, response.headers.get('x-trace-id')!);
      expect(server!.attributes[ATTR_SESSION_ID]).to.equal(answeredId);
      expect(server!.attributes, 'the link is recorded once, at the rotation').not.to.have.property(ATTR_SESSION_PREVIOUS_ID);
    } finally {
      await other.close();
    }
  });

  it('refuses to rotate once the answer was sent: the client keeps its id and no session starts', async () => {
    const response = await request(`${app.url}/api/test/late-rotation`, { headers: { 'x-session-id': 'session-rot-06' } });
    expect(response.headers.get('x-session-id')).to.equal('session-rot-06');
    const traceId = response.headers.get('x-trace-id')!;
    const refused = await waitForLogLine(app, '"late rotation refused"', (line) => line['message'] === 'late rotation refused' && line['trace_id'] === traceId);
    expect(refused['reason']).to.include('after the response headers were sent');
    expect(refused['session.id']).to.equal('session-rot-06');
    await waitForLogLines(app, 'the access line', [traceId], accessLineTraceId);
    const [server] = await spansOfTrace(spanExporter, traceId);
    expect(server!.attributes[ATTR_SESSION_ID]).to.equal('session-rot-06');
    const records = await exportedLogRecords('"late rotation refused"', (record) => record.body === 'late rotation refused');
    expect(records).to.have.length(1);
    expect(logRecordExporter.getFinishedLogRecords().filter((record) => record.eventName !== undefined)).to.deep.equal([]);
  });
});
