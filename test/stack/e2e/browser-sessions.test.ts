import { expect } from 'chai';
import type { Page } from 'playwright-core';
import { runTraceCommand } from '../../tools/support/cli-process.ts';
import { shownSessionOnceStarted, waitUntilIdlePast } from '../support/demo-page.ts';
import { startE2eStack, type E2eStack } from '../support/e2e-stack.ts';
import { launchHeadlessChromium, type HeadlessChromium } from '../support/headless-chromium.ts';
import { servicesOf, tagOf, type JaegerSpan, type JaegerTrace } from '../support/jaeger-query.ts';
import { exactly, queryLogsUntil } from '../support/logs-query.ts';
import { searchUntil } from '../support/session-checks.ts';
import type { StoredLogRecord } from '../support/victoria-logs.ts';
import type { PageAnswer } from '../../../src/demo/page/index.ts';
import { requirePrerequisites, skippedForPrerequisites } from '../support/require-prerequisites.ts';

/** The page's idle timeout in this test: long enough for every step before the idle wait. */
const IDLE_TIMEOUT_SECONDS = 30;

/** An answer of the page, with the session the page was in when it sent the request. */
interface SentRequest extends PageAnswer {
  readonly sentIn: string;
}

/** What `npm run trace -- <id> --json` reports of a session's neighbours (tools/session-traces). */
interface ChainFields {
  readonly previousSessionId?: string | null;
  readonly nextSessionIds?: readonly string[];
}

/** The session id the page shows. */
const shownSession = (page: Page): Promise<string> => page.locator('#session-id').innerText();

/** The answers the page has listed so far. */
async function answers(page: Page): Promise<PageAnswer[]> {
  return (await page.locator('#output li').allInnerTexts()).map((text) => JSON.parse(text) as PageAnswer);
}

/** Clicks `button` and waits for exactly its answer (one more line in `#output`). */
async function click(page: Page, button: string): Promise<PageAnswer> {
  const before = (await answers(page)).length;
  await page.click(`#${button}`);
  await page.waitForSelector(`#output[data-answers="${before + 1}"]`);
  return (await answers(page)).at(-1)!;
}

const spansOf = (traces: readonly JaegerTrace[], service: string): JaegerSpan[] =>
  traces.flatMap((trace) => trace.spans.filter((span) => trace.processes[span.processID]?.serviceName === service));

describe('browser sessions: the page, its session, the services and the stores (headless Chromium, real collector, Jaeger and VictoriaLogs)', function () {
  // First: skipped (outside CI) or failed (CI) with the reason when the machine lacks these.
  before(function () {
    requirePrerequisites(this, 'test:e2e browser-sessions', ['stack-programs', 'chromium']);
  });

  this.timeout(20 * 60_000);

  let stack: E2eStack;
  let chromium: HeadlessChromium | undefined;
  const startedAt = Date.now();
  /** The page's sessions in order: first visit, after the login, after the idle timeout. */
  const sessions: string[] = [];
  const sent: SentRequest[] = [];

  before(async () => {
    stack = await startE2eStack({ WEB_SESSION_IDLE_TIMEOUT_SECONDS: String(IDLE_TIMEOUT_SECONDS) });
    chromium = await launchHeadlessChromium();
    const { page } = chromium;
    // The session a request was sent in: a login's is the one before it (its answer brings
    // the new one); any other request's is the one the page shows once it is answered (after
    // the idle timeout the click itself starts the new session).
    const step = async (button: string): Promise<void> => {
      const before = await shownSession(page);
      const answer = await click(page, button);
      sent.push({ ...answer, sentIn: button === 'log-in' ? before : await shownSession(page) });
    };

    // First visit: the page starts a session and the first request carries it.
    await page.goto(`${stack.api.url}/`);
    sessions.push(await shownSessionOnceStarted(page));
    await step('read-session');
    // The fetch instrumentation ends a fetch's span 300 ms after its answer (waiting for its
    // resource timing): a page unloaded sooner loses it. Reload once it has reached Jaeger.
    await searchUntil(stack.jaeger.queryUrl, 'web', { 'session.id': sessions[0]! }, startedAt, "the first fetch's browser span, before the reload", (found) =>
      found.some((trace) => trace.traceID === sent[0]!.traceId),
    );

    // A reload keeps the session (it is in localStorage).
    await page.reload();
    expect(await shownSessionOnceStarted(page), 'the session after a reload').to.equal(sessions[0]);

    // Logging in starts a new session: the edge answers it and the page adopts it.
    await step('log-in');
    sessions.push(await shownSession(page));
    await step('call-downstream');

    // Idle past the timeout (by the page's own clock and its stored last activity), then a
    // click: a new session, linked to the one that timed out.
    await waitUntilIdlePast(page, IDLE_TIMEOUT_SECONDS);
    await step('read-session');
    sessions.push(await shownSession(page));
    console.log(`      sessions of the page: ${sessions.join(' -> ')}; ${sent.length} requests`);
  });

  after(async function () {
    if (skippedForPrerequisites(this)) return;
    await chromium?.close();
    await stack.stop();
  });

  it('keeps one session across a reload, starts a new one at login and after the idle timeout, each id new', () => {
    expect(new Set(sessions).size, sessions.join(', ')).to.equal(3);
    for (const id of sessions) expect(id).to.match(/^[0-9a-f-]{36}$/);
    // Every answer came back in the session it was sent in, except the login's: the new one.
    for (const answer of sent) {
      expect(answer.status, answer.request).to.equal(200);
      const expected = answer.request === 'POST /api/login' ? sessions[1] : answer.sentIn;
      expect(answer.sessionId, answer.request).to.equal(expected);
    }
    expect(sent.map((answer) => answer.sessionId)).to.deep.equal([sessions[0], sessions[1], sessions[1], sessions[2]]);
    const downstream = sent.find((answer) => answer.request === 'GET /api/downstream')!;
    expect((downstream.body as { downstream: { sessionId: string } }).downstream.sessionId, 'the session orders saw').to.equal(sessions[1]);
  });

  it("puts each fetch's browser span and the server spans it caused in one trace", async () => {
    for (const answer of sent) {
      const services = answer.request === 'GET /api/downstream' ? ['api', 'orders', 'web'] : ['api', 'web'];
      const [trace] = await searchUntil(
        stack.jaeger.queryUrl,
        'api',
        { 'session.id': answer.sessionId! },
        startedAt,
        `the trace ${answer.traceId} of ${answer.request} with spans of ${services.join(', ')}`,
        (found) => found.some((candidate) => candidate.traceID === answer.traceId && services.every((service) => servicesOf(candidate).has(service))),
      ).then((found) => found.filter((candidate) => candidate.traceID === answer.traceId));
      expect([...servicesOf(trace!)].sort(), answer.request).to.deep.equal(services);
      // The browser's span of the fetch carries the session the page sent it in.
      const browserSpans = spansOf([trace!], 'web');
      expect(browserSpans.map((span) => tagOf(span, 'session.id'))).to.include(answer.sentIn);
    }
  });

  it("tags every browser span with its session, and a replacing session's spans with the one it replaced", async () => {
    for (const [i, sessionId] of sessions.entries()) {
      const traces = await searchUntil(stack.jaeger.queryUrl, 'web', { 'session.id': sessionId }, startedAt, `the browser spans of session ${sessionId}`, (found) =>
        // The first session: two page loads and a fetch; the others: their fetches.
        i === 0 ? found.length >= 3 : found.length >= 1,
      );
      const spans = spansOf(traces, 'web').filter((span) => tagOf(span, 'session.id') === sessionId);
      expect(spans, `spans of ${sessionId}`).not.to.deep.equal([]);
      const previous = new Set(spans.map((span) => tagOf(span, 'session.previous_id')));
      expect([...previous], `session.previous_id on the spans of ${sessionId}`).to.deep.equal([i === 0 ? undefined : sessions[i - 1]]);
      if (i === 0) {
        const loads = traces.filter((trace) => trace.spans.some((span) => span.operationName === 'documentLoad'));
        expect(loads.length, 'page loads of the first session (visit and reload)').to.equal(2);
      }
    }
  });

  it('links the login on the server: its span and its session.start event carry the new session.id and the old one as session.previous_id', async () => {
    const login = sent.find((answer) => answer.request === 'POST /api/login')!;
    const [trace] = (
      await searchUntil(stack.jaeger.queryUrl, 'api', { 'session.id': sessions[1]!, 'session.previous_id': sessions[0]! }, startedAt, 'the login span', (found) =>
        found.some((candidate) => candidate.traceID === login.traceId),
      )
    ).filter((candidate) => candidate.traceID === login.traceId);
    const [server] = spansOf([trace!], 'api');
    expect(tagOf(server!, 'session.id')).to.equal(sessions[1]);
    expect(tagOf(server!, 'session.previous_id')).to.equal(sessions[0]);
    // api's own session.start event, in the login's trace.
    const starts = await queryLogsUntil(
      stack.victoriaLogs.baseUrl,
      `${exactly('session.id', sessions[1]!)} AND ${exactly('service.name', 'api')} AND ${exactly('event_name', 'session.start')}`,
      "api's session.start event of the login",
      (found) => found.some((record) => record['trace_id'] === login.traceId),
    );
    expect(starts.filter((record) => record['trace_id'] === login.traceId).map((record) => record['session.previous_id'])).to.deep.equal([sessions[0]]);
  });

  it("stores each session's log lines in VictoriaLogs: the services' under its id, and the browser's session.start events linking the sessions", async () => {
    const store = stack.victoriaLogs.baseUrl;
    for (const [i, sessionId] of sessions.entries()) {
      const requests = sent.filter((answer) => answer.sessionId === sessionId);
      const records = await queryLogsUntil(store, exactly('session.id', sessionId), `the log lines of session ${sessionId}`, (found) =>
        requests.every((answer) => found.some((record) => record['service.name'] === 'api' && record['trace_id'] === answer.traceId)),
      );
      for (const record of records) expect(record['session.id']).to.equal(sessionId);
      if (i > 0) {
        const starts = await queryLogsUntil(store, `${exactly('session.id', sessionId)} AND ${exactly('service.name', 'web')}`, `the browser's session.start of ${sessionId}`, (found) =>
          found.some((record) => record['session.previous_id'] === sessions[i - 1]),
        );
        expect(starts.some((record: StoredLogRecord) => record['session.previous_id'] === sessions[i - 1])).to.equal(true);
      }
    }
    const downstream = sent.find((answer) => answer.request === 'GET /api/downstream')!;
    await queryLogsUntil(store, exactly('session.id', sessions[1]!), 'the line orders wrote for the downstream call', (found) =>
      found.some((record) => record['service.name'] === 'orders' && record['trace_id'] === downstream.traceId),
    );
  });

  it('reports the chain of sessions with npm run trace: predecessor, successor, and the whole chain with --chain', async () => {
    const env = { JAEGER_URL: stack.jaeger.queryUrl };
    const middle = await runTraceCommand([sessions[1]!, '--json'], env);
    expect(middle.code, middle.stderr).to.equal(0);
    const report = JSON.parse(middle.stdout) as ChainFields;
    expect(report.previousSessionId).to.equal(sessions[0]);
    expect(report.nextSessionIds).to.deep.equal([sessions[2]]);
    const chain = await runTraceCommand([sessions[2]!, '--chain'], env);
    expect(chain.code, chain.stderr).to.equal(0);
    const positions = sessions.map((id) => chain.stdout.indexOf(id));
    for (const position of positions) expect(position, chain.stdout).to.be.greaterThan(-1);
    expect([...positions].sort((a, b) => a - b), 'sessions in chain order').to.deep.equal(positions);
  });

  it('sends nothing beyond loopback and throws no error in the page', () => {
    expect(chromium!.offLoopbackRequests()).to.deep.equal([]);
    expect(chromium!.pageErrors()).to.deep.equal([]);
  });
});
