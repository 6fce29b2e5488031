import { readFileSync } from 'node:fs';
import { Router, type Response } from 'express';
import { registeredTelemetry, type RoutesFactory } from '../../core/index.ts';
import { readDemoConfig } from '../demo-config.ts';
import { PAGE_SCRIPT_PATH, renderPage } from './page-html.ts';

/** Options of {@link createDemoPage}; every field is optional. */
export interface DemoPageOptions {
  /**
   * The share of browser sessions the page traces, 0 to 1. Default: the service's own session
   * ratio (`OTEL_TRACES_SAMPLER=parentbased_session_ratio` with its argument, else 1), so that
   * the page and the services keep the same sessions.
   */
  readonly sampleRatio?: number;
}

/** Where the committed bundle of src/demo/page/page.ts is (`npm run build:page`). */
const BUNDLE_URL = new URL('./assets/page.js', import.meta.url);

/**
 * The demo's page, for `startService`'s `pages` (mounted at `/`): `GET /` answers the page
 * (see `renderPage`), `GET /assets/page.js` its script. The page's browser telemetry is
 * configured from WEB_SESSION_IDLE_TIMEOUT_SECONDS, WEB_SESSION_MAX_DURATION_SECONDS and
 * `sampleRatio`; it is named `web` and exports to `/otlp` on the page's origin.
 *
 * Both are answered with `X-Content-Type-Options: nosniff` and `Cache-Control: no-cache`
 * (revalidated by ETag); the page with a Content-Security-Policy that allows its own script
 * and connections to its own origin only.
 * @throws {Error} when the bundle is missing (run `npm run build:page`).
 */
export function createDemoPage(options: DemoPageOptions = {}): RoutesFactory {
  return ({ env, config }) => {
    const demo = readDemoConfig(env, config.nodeEnv);
    const page = renderPage({
      serviceName: 'web',
      exportBaseUrl: '/otlp',
      idleTimeoutSeconds: demo.webSessionIdleTimeoutSeconds,
      maxDurationSeconds: demo.webSessionMaxDurationSeconds,
      sampleRatio: options.sampleRatio ?? registeredTelemetry().sessionSampleRatio,
    });
    const script = readBundle();
    const router = Router();
    router.get('/', (_req, res) => {
      strictHeaders(res).setHeader('Content-Security-Policy', page.contentSecurityPolicy);
      res.type('html').send(page.html);
    });
    router.get(PAGE_SCRIPT_PATH, (_req, res) => {
      strictHeaders(res).type('text/javascript').send(script);
    });
    return router;
  };
}

/** The demo page with the default options: {@link createDemoPage}`()`. */
export const demoPage: RoutesFactory = createDemoPage();

function strictHeaders(res: Response): Response {
  return res.setHeader('X-Content-Type-Options', 'nosniff').setHeader('Cache-Control', 'no-cache');
}

function readBundle(): string {
  try {
    return readFileSync(BUNDLE_URL, 'utf8');
  } catch (error) {
    throw new Error(`The demo page's script ${BUNDLE_URL.pathname} is missing: run npm run build:page`, { cause: error });
  }
}
