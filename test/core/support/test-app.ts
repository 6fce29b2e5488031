import type { AddressInfo } from 'node:net';
import { PassThrough } from 'node:stream';
import { context } from '@opentelemetry/api';
import { suppressTracing } from '@opentelemetry/core';
import type { Router } from 'express';
import {
  createBrowserTelemetryRelay,
  createLogger,
  createServiceApp,
  readCoreConfig,
  registeredTelemetry,
  type BrowserTelemetryRelayOptions,
  type CoreConfig,
  type Readiness,
  type RoutesFactory,
} from '../../../src/core/index.ts';
import { testServiceRoutes } from './fixtures/test-service-routes.ts';
import { closeServer } from './close-server.ts';

/** A running instance of the real app on 127.0.0.1 and a free port. */
export interface TestApp {
  readonly url: string;
  readonly config: CoreConfig;
  /** The readiness the app reports; graceful shutdown turns it off. */
  readonly readiness: Readiness;
  /** Every JSON log line written so far, parsed. */
  logLines(): Record<string, unknown>[];
  close(): Promise<void>;
}

/** Options of {@link startTestApp}; every field is optional. */
export interface TestAppOptions {
  /** Variables on top of HOST=127.0.0.1, PORT=0 and LOG_LEVEL=debug. */
  readonly env?: Readonly<Record<string, string>>;
  /**
   * The service's routes, as `startService` takes them. Default: the core's neutral test
   * routes ({@link testServiceRoutes}, which read TEST_DOWNSTREAM_URL from `env`).
   */
  readonly routes?: readonly RoutesFactory[];
  /** Routers of the test itself, mounted under `/api` after the routes. */
  readonly routers?: readonly Router[];
  /** The web front-end's routers, as `startService` takes them (`pages`). Default none. */
  readonly pages?: readonly RoutesFactory[];
  /**
   * The browser telemetry relay, as `startService` takes it (`browserTelemetry`), built with
   * the configuration read from `env` (BROWSER_TELEMETRY_OTLP_ENDPOINT). Default off.
   */
  readonly browserTelemetry?: boolean | BrowserTelemetryRelayOptions;
}

/**
 * Starts the app built by `createServiceApp`, as `startService` builds it: config read from
 * `env`, the routes built from their factories, then the test's own routers.
 *
 * The app runs in the test process, whose telemetry (test/core/support/integration-preload.ts) is
 * an untrusting edge. Trust in callers' baggage is decided where baggage enters the process,
 * not per app, so a trusted internal service is tested as a process of its own
 * (test/core/process/): asking for one here is refused rather than silently ignored.
 */
export async function startTestApp(options: TestAppOptions = {}): Promise<TestApp> {
  const env = options.env ?? {};
  if (env['TRUST_INCOMING_BAGGAGE'] !== undefined) {
    throw new Error('startTestApp: TRUST_INCOMING_BAGGAGE is process-wide; run a trusted service with startServiceProcess');
  }
  const fullEnv = { HOST: '127.0.0.1', PORT: '0', LOG_LEVEL: 'debug', ...env };
  const config = readCoreConfig(fullEnv);
  const stream = new PassThrough();
  const lines: string[] = [];
  let partial = '';
  stream.on('data', (chunk: Buffer) => {
    const parts = (partial + chunk.toString('utf8')).split('\n');
    partial = parts.pop() ?? '';
    lines.push(...parts);
  });
  // As startService makes it: exporting log records when the telemetry does.
  const logger = createLogger({
    level: config.logLevel,
    stream,
    exportRecords: registeredTelemetry().exportsLogRecords,
    valueLengthLimit: config.logValueLengthLimit,
  });
  const readiness: Readiness = { ready: true };
  const service = { env: fullEnv, config, logger };
  const routes = (options.routes ?? [testServiceRoutes]).flatMap((factory) => factory(service));
  const pages = (options.pages ?? []).flatMap((factory) => factory(service));
  const relayOptions = options.browserTelemetry === true ? {} : options.browserTelemetry || undefined;
  const app = createServiceApp({
    config,
    logger,
    readiness,
    telemetryDelivery: () => registeredTelemetry().delivery(),
    routers: [...routes, ...(options.routers ?? [])],
    pages,
    ...(relayOptions === undefined ? {} : { browserTelemetryRelay: createBrowserTelemetryRelay(relayOptions, config) }),
  });
  const server = app.listen(0, '127.0.0.1');
  await new Promise<void>((resolve) => server.once('listening', resolve));
  const { port } = server.address() as AddressInfo;
  return {
    url: `http://127.0.0.1:${port}`,
    config,
    readiness,
    logLines: () => lines.map((line) => JSON.parse(line) as Record<string, unknown>),
    close: () => closeServer(server),
  };
}

/**
 * `fetch` from the test itself, with tracing suppressed: the test is not part of the system
 * under test, so it must neither record a client span nor send a `traceparent`.
 */
export function request(url: string, init: RequestInit = {}): Promise<Response> {
  return context.with(suppressTracing(context.active()), () => fetch(url, init));
}
