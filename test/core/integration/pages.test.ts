import { expect } from 'chai';
import { Router } from 'express';
import type { RoutesFactory } from '../../../src/core/index.ts';
import { startOtlpSink, type OtlpSink } from '../support/otlp-sink.ts';
import { request, startTestApp, type TestApp } from '../support/test-app.ts';

/**
 * A front-end's routers as a service would write them: the page at `/`, and a catch-all
 * fallback (a single-page app's), which must not answer anything that is not the front-end's.
 */
const frontEnd: RoutesFactory = () => {
  const page = Router();
  page.get('/', (_req, res) => {
    res.type('html').send('<!doctype html><title>page</title>');
  });
  const fallback = Router();
  fallback.use((_req, res) => {
    res.type('text/plain').send('fallback');
  });
  return [page, fallback];
};

describe('pages', () => {
  let sink: OtlpSink;
  let app: TestApp;

  before(async () => {
    sink = await startOtlpSink();
    app = await startTestApp({ env: { BROWSER_TELEMETRY_OTLP_ENDPOINT: sink.endpoint }, pages: [frontEnd], browserTelemetry: true });
  });

  after(async () => {
    await app.close();
    await sink.close();
  });

  it('answers GET / with the page, in a session, traced, when a pages router serves it', async () => {
    const response = await request(`${app.url}/`);
    expect(response.status).to.equal(200);
    expect(response.headers.get('content-type')).to.match(/^text\/html/);
    expect(await response.text()).to.include('<title>page</title>');
    expect(response.headers.get('x-session-id')).to.be.a('string');
    expect(response.headers.get('x-trace-id')).to.be.a('string');
  });

  it("answers the pages' other paths with their routers, the catch-all included", async () => {
    for (const path of ['/about', '/apiary', '/assets/app.js', '/api-docs']) {
      const response = await request(`${app.url}${path}`);
      expect(await response.text(), path).to.equal('fallback');
    }
  });

  it('leaves every path under /api to the API routers, in any letter case, even past a catch-all page router', async () => {
    for (const path of ['/api/test/session', '/API/test/session', '/Api/test/session?x=1']) {
      const response = await request(`${app.url}${path}`);
      expect(response.status, path).to.equal(200);
      expect(await response.json(), path).to.have.all.keys('sessionId', 'userId', 'traceId');
    }
    const unknown = await request(`${app.url}/api/no-such-route`);
    expect(unknown.status).to.equal(404);
    expect(((await unknown.json()) as { error: string }).error).to.equal('not_found');
    const api = await request(`${app.url}/api`);
    expect(api.status).to.equal(404);
  });

  it('leaves the health probes and the relay to the core', async () => {
    expect(await (await request(`${app.url}/healthz`)).json()).to.deep.equal({ status: 'ok' });
    expect(((await (await request(`${app.url}/readyz`)).json()) as { status: string }).status).to.equal('ready');
    const relayed = await request(`${app.url}/otlp/v1/traces`, { method: 'POST', headers: { 'content-type': 'text/plain' }, body: 'x' });
    expect(relayed.status).to.equal(415);
  });

  it('serves the API routers as before when no pages are given', async () => {
    const plain = await startTestApp();
    try {
      expect((await request(`${plain.url}/api/test/session`)).status).to.equal(200);
      expect((await request(`${plain.url}/`)).status).to.equal(404);
    } finally {
      await plain.close();
    }
  });
});
