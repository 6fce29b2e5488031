import { readFileSync } from 'node:fs';
import { expect } from 'chai';
import { ComposeProject, runScript } from '../support/compose-project.ts';
import { driveSession, type DrivenSession } from '../support/e2e-stack.ts';
import { shownSessionOnceStarted } from '../support/demo-page.ts';
import { launchHeadlessChromium } from '../support/headless-chromium.ts';
import { servicesOf, tagOf } from '../support/jaeger-query.ts';
import { isPortFree } from '../../core/support/ports.ts';
import { answersOk } from '../../core/support/probes.ts';
import { waitFor, type ServiceProcess } from '../../core/support/service-process.ts';
import {
  expectDownstreamAcrossServices,
  expectEveryRequestFound,
  expectFoundByHashedUser,
  expectSessionTags,
  searchUntil,
} from '../support/session-checks.ts';
import { expectSessionLogs } from '../support/session-log-checks.ts';
import { exactly } from '../support/logs-query.ts';
import { queryLogs, type StoredLogRecord } from '../support/victoria-logs.ts';
import { requirePrerequisites, skippedForPrerequisites } from '../support/require-prerequisites.ts';

const API_URL = 'http://127.0.0.1:3000';
const JAEGER_URL = 'http://127.0.0.1:16686';
const STORE_URL = 'http://127.0.0.1:9428';

/**
 * The UI configuration Jaeger injected into the page it serves for any UI route: its query
 * service replaces `JAEGER_CONFIG = DEFAULT_CONFIG;` in index.html with the file's JSON (the
 * stand-in's placeholder page carries the same marker as the real UI's).
 */
async function servedUiConfig(): Promise<unknown> {
  const page = await (await fetch(`${JAEGER_URL}/search`)).text();
  const injected = /JAEGER_CONFIG = (\{.*\});/.exec(page);
  if (injected === null) throw new Error(`Jaeger's page holds no injected UI config:\n${page.slice(0, 2000)}`);
  return JSON.parse(injected[1]!) as unknown;
}

/** `api` as the compose file publishes it, in the shape driveSession takes. */
const api = { url: API_URL } as ServiceProcess;

describe('docker compose up: the unmodified docker-compose.yml, every container real', function () {
  // First: skipped (outside CI) or failed (CI) with the reason when the machine lacks these.
  before(function () {
    requirePrerequisites(this, 'test:compose', ['stack-programs', 'chromium', 'docker-compose', 'docker-engine', 'debootstrap']);
  });

  // First run: debootstrap, Go builds, image builds with npm ci inside.
  this.timeout(40 * 60_000);

  const compose = new ComposeProject('session-context-compose-test');
  const startedAt = Date.now();
  const run = Date.now().toString(36);
  const sessions: DrivenSession[] = [];

  before(async () => {
    runScript('compose/docker-engine.sh', 'start');
    runScript('compose/build-stand-in-images.sh');
    compose.run(['down', '-v', '--remove-orphans'], { quiet: true });
    for (const port of [3000, 16686, 9428]) {
      if (!(await isPortFree(port))) throw new Error(`Port ${port}, published by docker-compose.yml, is in use`);
    }
    console.log('      docker-compose up --build -d');
    compose.run(['up', '--build', '-d']);
    // victorialogs-probe runs the store's healthcheck (the store's image can run none).
    const withHealthcheck = ['api', 'orders', 'jaeger', 'victorialogs-probe'];
    await waitFor(
      'api, orders, Jaeger and the log store (its probe) to report healthy',
      () => withHealthcheck.every((service) => compose.health(service) === 'healthy'),
      120_000,
      () => withHealthcheck.map((service) => `${service}: ${compose.health(service)}`).join(', '),
    );
    // The collector's image has no healthcheck: ask its health_check extension directly, so no
    // span of the first test is sent before it can receive.
    const collectorHealth = `http://${compose.containerAddress('otel-collector')}:13133/`;
    await waitFor('the collector to report healthy', () => answersOk(collectorHealth), 60_000);
  });

  after(function () {
    if (skippedForPrerequisites(this)) return;
    try {
      compose.run(['down', '-v'], { quiet: true });
    } finally {
      runScript('compose/docker-engine.sh', 'stop');
    }
  });

  it('starts every container and publishes the service, the Jaeger query API and the log store on the host', async () => {
    const running = compose.run(['ps', '--services', '--filter', 'status=running'], { quiet: true }).trim().split('\n').sort();
    expect(running).to.deep.equal(['api', 'jaeger', 'orders', 'otel-collector', 'victorialogs', 'victorialogs-probe']);
    // Healthy through its probe, and answering where the file publishes it.
    expect(compose.health('victorialogs-probe')).to.equal('healthy');
    expect(await answersOk(`${API_URL}/readyz`)).to.equal(true);
    expect(await answersOk(`${JAEGER_URL}/api/services`)).to.equal(true);
    expect(await answersOk(`${STORE_URL}/health`)).to.equal(true);
    expect(await answersOk(`${STORE_URL}/select/vmui/`)).to.equal(true);
  });

  it("serves Jaeger's UI with the repository jaeger-ui.json, links to the log store included", async () => {
    const file = JSON.parse(readFileSync(new URL('../../../jaeger-ui.json', import.meta.url), 'utf8')) as unknown;
    expect(await servedUiConfig()).to.deep.equal(file);
  });

  it('runs the service containers as a non-root user', () => {
    for (const service of ['api', 'orders']) {
      expect(compose.run(['exec', '-T', service, 'id', '-u'], { quiet: true }).trim(), service).not.to.equal('0');
    }
  });

  it('finds each session in Jaeger: every request, the downstream trace across both services, session.id on every span, user.id hashed', async () => {
    for (const [i, user] of ['alice', 'bob', 'carol'].entries()) {
      sessions.push(await driveSession(api, `compose-${run}-session-${i}`, `${user}@example.com`));
    }
    for (const session of sessions) {
      await expectEveryRequestFound(JAEGER_URL, session, startedAt);
      await expectDownstreamAcrossServices(JAEGER_URL, session, startedAt);
      await expectSessionTags(JAEGER_URL, session, startedAt);
    }
    await expectFoundByHashedUser(JAEGER_URL, sessions[0]!, startedAt);
  });

  it("finds each session's logs in VictoriaLogs by session.id: every request of api, the downstream one of orders, user.id hashed", async () => {
    for (const session of sessions) await expectSessionLogs(STORE_URL, session);
  });

  it("serves the demo's page, whose browser spans reach Jaeger through api's relay: the page load, and each fetch in one trace with api's span", async () => {
    const chromium = await launchHeadlessChromium();
    try {
      const { page } = chromium;
      await page.goto(`${API_URL}/`);
      const sessionId = await shownSessionOnceStarted(page);
      await page.click('#read-session');
      await page.waitForSelector('#output[data-answers="1"]');
      const answer = JSON.parse(await page.locator('#output li').first().innerText()) as { status: number; traceId: string; sessionId: string };
      expect(answer).to.deep.include({ status: 200, sessionId });
      const traces = await searchUntil(
        JAEGER_URL,
        'web',
        { 'session.id': sessionId },
        startedAt,
        `the page load and the fetch (trace ${answer.traceId}, with api's span) of session ${sessionId}`,
        (found) =>
          found.some((trace) => trace.spans.some((span) => span.operationName === 'documentLoad')) &&
          found.some((trace) => trace.traceID === answer.traceId && servicesOf(trace).has('api') && servicesOf(trace).has('web')),
      );
      const fetchTrace = traces.find((trace) => trace.traceID === answer.traceId)!;
      for (const span of fetchTrace.spans) expect(tagOf(span, 'session.id'), span.operationName).to.equal(sessionId);
      expect(chromium.offLoopbackRequests(), 'requests beyond loopback (aborted)').to.deep.equal([]);
      expect(chromium.pageErrors()).to.deep.equal([]);
    } finally {
      await chromium.close();
    }
  });

  it('keeps the stored logs when the log store container is recreated, and stores the logs sent after', async () => {
    const session = sessions[0]!;
    const before = await queryLogs(STORE_URL, exactly('session.id', session.sessionId));
    expect(before).not.to.deep.equal([]);
    // A new container on the same named volume.
    compose.run(['up', '-d', '--force-recreate', '--no-deps', 'victorialogs'], { quiet: true });
    await waitFor('VictoriaLogs to report healthy after it was recreated', () => answersOk(`${STORE_URL}/health`), 60_000);
    const after = await queryLogs(STORE_URL, exactly('session.id', session.sessionId));
    const key = (record: StoredLogRecord): string => `${record['_time']} ${record['_msg']} ${record['trace_id']}`;
    // Every record stored before is still there (a record still in flight then may have been
    // added since: the comparison is one of inclusion).
    expect(after.map(key)).to.include.members(before.map(key));
    await expectSessionLogs(STORE_URL, await driveSession(api, `compose-${run}-after-store-recreated`, 'erin@example.com'));
  });

  it('loses no span sent after a restarted collector is healthy again', async () => {
    compose.run(['restart', 'otel-collector'], { quiet: true });
    const health = `http://${compose.containerAddress('otel-collector')}:13133/`;
    await waitFor('the collector to report healthy after its restart', () => answersOk(health), 60_000);
    const session = await driveSession(api, `compose-${run}-after-restart`, 'dave@example.com');
    await expectEveryRequestFound(JAEGER_URL, session, startedAt);
    await expectDownstreamAcrossServices(JAEGER_URL, session, startedAt);
  });

  it("lets the last request's spans reach Jaeger when the api container is stopped", async () => {
    // The batch processor waits 5 s by default: only the graceful shutdown's flush gets these out.
    const session = await driveSession(api, `compose-${run}-before-stop`);
    compose.run(['stop', 'api'], { quiet: true });
    expect(compose.exitCode('api'), 'exit code of the stopped api container').to.equal(0);
    await expectEveryRequestFound(JAEGER_URL, session, startedAt);
  });
});
