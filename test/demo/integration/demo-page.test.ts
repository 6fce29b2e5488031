import type { Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { expect } from 'chai';
import { createLogger, createServiceApp, readCoreConfig, registeredTelemetry, type RoutesFactory } from '../../../src/core/index.ts';
import { createDemoPage, demoPage } from '../../../src/demo/index.ts';
import { readPageTelemetryConfig } from '../../../src/demo/page/index.ts';
import { request } from '../../core/support/test-app.ts';
import { closeServer } from '../../core/support/close-server.ts';

/** The real app with `pages` mounted at `/`, as startService's `pages` option mounts them. */
async function startPageApp(page: RoutesFactory, env: Record<string, string> = {}): Promise<{ url: string; close: () => Promise<void> }> {
  const fullEnv = { HOST: '127.0.0.1', PORT: '0', LOG_LEVEL: 'error', ...env };
  const config = readCoreConfig(fullEnv);
  const logger = createLogger({ level: config.logLevel });
  const app = createServiceApp({
    config,
    logger,
    readiness: { ready: true },
    telemetryDelivery: () => registeredTelemetry().delivery(),
    routers: [page({ env: fullEnv, config, logger })].flat(),
    mountPath: '/',
  });
  const server: Server = app.listen(0, '127.0.0.1');
  await new Promise<void>((resolve) => server.once('listening', resolve));
  return {
    url: `http://127.0.0.1:${(server.address() as AddressInfo).port}`,
    close: () => closeServer(server),
  };
}

function configOf(html: string): unknown {
  const block = /<script type="application\/json" id="web-telemetry-config">(.*?)<\/script>/s.exec(html)?.[1];
  return block === undefined ? undefined : readPageTelemetryConfig(block);
}

describe('the demo page (GET /)', () => {
  let app: { url: string; close: () => Promise<void> } | undefined;

  afterEach(async () => {
    await app?.close();
    app = undefined;
  });

  it('answers the page with its telemetry configuration, its script tag and strict headers', async () => {
    app = await startPageApp(demoPage);
    const response = await request(`${app.url}/`);
    expect(response.status).to.equal(200);
    expect(response.headers.get('content-type')).to.equal('text/html; charset=utf-8');
    expect(response.headers.get('x-content-type-options')).to.equal('nosniff');
    expect(response.headers.get('cache-control')).to.equal('no-cache');
    const csp = response.headers.get('content-security-policy') ?? '';
    expect(csp).to.include("script-src 'self'").and.include("connect-src 'self'").and.include("default-src 'none'").and.not.include('unsafe');
    const html = await response.text();
    expect(configOf(html)).to.deep.equal({ serviceName: 'web', exportBaseUrl: '/otlp', idleTimeoutSeconds: 900, maxDurationSeconds: 14_400, sampleRatio: 1 });
    expect(html).to.include('<script type="module" src="/assets/page.js"></script>');
  });

  it('renders the session timeouts and the sample ratio it is given', async () => {
    app = await startPageApp(createDemoPage({ sampleRatio: 0.25 }), { WEB_SESSION_IDLE_TIMEOUT_SECONDS: '5', WEB_SESSION_MAX_DURATION_SECONDS: '60' });
    const html = await (await request(`${app.url}/`)).text();
    expect(configOf(html)).to.include({ idleTimeoutSeconds: 5, maxDurationSeconds: 60, sampleRatio: 0.25 });
  });

  it('serves the bundled script as JavaScript', async () => {
    app = await startPageApp(demoPage);
    const response = await request(`${app.url}/assets/page.js`);
    expect(response.status).to.equal(200);
    expect(response.headers.get('content-type')).to.equal('text/javascript; charset=utf-8');
    expect(response.headers.get('x-content-type-options')).to.equal('nosniff');
    const script = await response.text();
    expect(script.length).to.be.greaterThan(10_000);
    expect(script).to.include('web-telemetry-config');
  });
});
