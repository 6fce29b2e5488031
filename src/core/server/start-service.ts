import type { Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import type { Router } from 'express';
import { ConfigError, readCoreConfig, type CoreConfig, type Env } from '../config/index.ts';
import { createLogger, type Logger } from '../logging/index.ts';
import { createBrowserTelemetryRelay, type BrowserTelemetryRelayOptions } from '../otlp-relay/index.ts';
import { registeredTelemetry } from '../telemetry/index.ts';
import { createServiceApp } from './create-service-app.ts';
import { shutDownGracefully, trackResponses } from './graceful-shutdown.ts';
import type { Readiness } from './health-routes.ts';

/** What a service's route factory is given. */
export interface ServiceContext {
  /** The environment the configuration was read from: read your own variables from it. */
  readonly env: Env;
  readonly config: CoreConfig;
  /** The service's JSON logger (session and trace fields on every line). */
  readonly logger: Logger;
}

/**
 * Builds some of the service's routers once the core is configured. It may read variables
 * of its own (`readConfigFrom(service.env, …)`); a `ConfigError` it throws stops startup
 * with the problems listed, as the core's own configuration does.
 */
export type RoutesFactory = (service: ServiceContext) => Router | readonly Router[];

/** Options of {@link startService}; every field is optional. */
export interface ServiceOptions {
  /** The service's routes, mounted under {@link mountPath} in this order. Default none. */
  readonly routes?: readonly RoutesFactory[];
  /** Where the routes are mounted. Default `/api`. */
  readonly mountPath?: string;
  /**
   * Routers of a web front-end, its page and assets, mounted at `/` in this order: after the
   * health probes and before the {@link routes}, which they never shadow (a request under
   * {@link mountPath} passes them by). Default none.
   */
  readonly pages?: readonly RoutesFactory[];
  /**
   * The browser telemetry relay: `true` (or options) answers `POST /otlp/v1/traces` and
   * `POST /otlp/v1/logs` with OTLP/HTTP JSON forwarded to the collector this service exports
   * to, bounded in size, rate and concurrency, with `service.name` set and `user.id` removed,
   * untraced (`createBrowserTelemetryRelay`). Default off (those paths answer 404).
   * An invalid option or upstream endpoint stops startup like a configuration error.
   */
  readonly browserTelemetry?: boolean | BrowserTelemetryRelayOptions;
  /** Where configuration is read from. Default `process.env`. */
  readonly env?: Env;
}

/**
 * Builds and runs a service: the core configuration from the environment (an invalid one is
 * reported with every problem and exits 1), the JSON logger, the app with the service's
 * routes, `listen`, and a graceful shutdown on SIGTERM / SIGINT that exits the process with
 * its result.
 *
 * Start the process with the core's preload, which starts telemetry before Express loads:
 * `node --import ./src/core/preload.ts ./src/main.ts` (`npm start`).
 */
export function startService(options: ServiceOptions = {}): Server {
  const env = options.env ?? process.env;
  const config = orExit(() => readCoreConfig(env));
  const telemetry = registeredTelemetry();
  const logger = createLogger({ level: config.logLevel, exportRecords: telemetry.exportsLogRecords });
  const readiness: Readiness = { ready: true };
  const service: ServiceContext = { env, config, logger };
  const routers = orExit(() => (options.routes ?? []).flatMap((factory) => factory(service)));
  const pages = orExit(() => (options.pages ?? []).flatMap((factory) => factory(service)));
  const relayOptions = options.browserTelemetry === true ? {} : options.browserTelemetry || undefined;
  const relay = relayOptions === undefined ? undefined : orExit(() => createBrowserTelemetryRelay(relayOptions, config));
  if (relay !== undefined) {
    logger.info('browser telemetry relay on', { traces_upstream: relay.upstreams.traces.url.href, logs_upstream: relay.upstreams.logs.url.href });
  }

  const app = createServiceApp({
    config,
    logger,
    readiness,
    telemetryDelivery: () => telemetry.delivery(),
    routers,
    pages,
    ...(options.mountPath === undefined ? {} : { mountPath: options.mountPath }),
    ...(relay === undefined ? {} : { browserTelemetryRelay: relay }),
  });

  const server = app.listen(config.port, config.host, () => {
    const { port } = server.address() as AddressInfo;
    logger.info('listening', { port, telemetry: telemetry.enabled });
  });
  const responses = trackResponses(server);
  server.on('error', (error) => {
    logger.error('server failed', { 'exception.type': error.name, 'exception.message': error.message });
    process.exit(1);
  });

  let stopping = false;
  for (const signal of ['SIGTERM', 'SIGINT'] as const) {
    // `on`, not `once`: a second signal must not fall back to Node's default (exit, no flush).
    process.on(signal, () => {
      if (stopping) return;
      stopping = true;
      logger.info('shutting down', { signal });
      const timeoutMs = config.shutdownTimeoutMs;
      void shutDownGracefully({ server, responses, readiness, telemetry, logger, timeoutMs }).then((code) =>
        process.exit(code),
      );
    });
  }
  return server;
}

/** The result of `read`, or, for a configuration error, its problems on stderr and exit 1. */
function orExit<T>(read: () => T): T {
  try {
    return read();
  } catch (error) {
    if (!(error instanceof ConfigError)) throw error;
    process.stderr.write(`${error.message}\n`);
    process.exit(1);
  }
}
