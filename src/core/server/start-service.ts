import type { Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import type { Router } from 'express';
import { ConfigError, readCoreConfig, type CoreConfig, type Env } from '../config/index.ts';
import { chooseLogFormat, createLogger, type Logger } from '../logging/index.ts';
import { createBrowserTelemetryRelay, type BrowserTelemetryRelayOptions } from '../otlp-relay/index.ts';
import { registeredTelemetry } from '../telemetry/index.ts';
import { createServiceApp } from './create-service-app.ts';
import { shutDownGracefully, trackResponses } from './graceful-shutdown.ts';
import type { Readiness } from './health-routes.ts';
import { describeListenFailure, listeningUrl } from './listen-failure.ts';

/**
 * A second signal within this long of the first is the same request to stop, not a second
 * one: a terminal's Ctrl-C reaches both `node --watch` (npm run dev) and the service, and the
 * watcher forwards it to the service too.
 */
const SAME_SIGNAL_WINDOW_MS = 300;

/** The exit code of a process ended at once by a second signal: 128 + the signal's number. */
const EXIT_ON_SECOND_SIGNAL = { SIGINT: 130, SIGTERM: 143 } as const;

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
 * reported with every problem, one line each on stderr, and exits 1), the logger (JSON lines,
 * or readable ones on a terminal: LOG_FORMAT), the app with the service's routes, `listen`
 * (logged as `listening` with the URL and where telemetry goes; an address in use or not
 * available is one line on stderr naming the cause and the fix, and exit 1), and a graceful
 * shutdown on SIGTERM / SIGINT that exits the process with its result. A second SIGTERM or
 * SIGINT during that shutdown (300 ms or more after the first) exits at once, with 143 or 130
 * (128 + the signal's number), without waiting for requests or telemetry.
 *
 * Start the process with the core's preload, which starts telemetry before Express loads:
 * `node --import ./src/core/preload.ts ./src/main.ts` (`npm start`).
 */
export function startService(options: ServiceOptions = {}): Server {
  const env = options.env ?? process.env;
  const config = orExit(() => readCoreConfig(env));
  const telemetry = registeredTelemetry();
  const logger = createLogger({
    level: config.logLevel,
    exportRecords: telemetry.exportsLogRecords,
    format: chooseLogFormat(config.logFormat, process.stdout.isTTY),
    valueLengthLimit: config.logValueLengthLimit,
  });
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

  // Express 5 hands a listen error to this callback (and emits it as 'error' too).
  const server = app.listen(config.port, config.host, (error?: Error) => {
    if (error !== undefined) {
      process.stderr.write(`${describeListenFailure(error, config.host, config.port)}\n`);
      process.exit(1);
    }
    const { port } = server.address() as AddressInfo;
    logger.info('listening', { url: listeningUrl(config.host, port), port, telemetry: telemetry.destination });
  });
  const responses = trackResponses(server);
  server.on('error', (error) => {
    if (!server.listening) return; // a listen error: the callback above reports it
    logger.error('server failed', { 'exception.type': error.name, 'exception.message': error.message });
    process.exit(1);
  });

  let firstSignalAt: number | undefined;
  for (const signal of ['SIGTERM', 'SIGINT'] as const) {
    // `on`, not `once`: a second signal must not fall back to Node's default, which leaves no line saying why.
    process.on(signal, () => {
      if (firstSignalAt !== undefined) {
        if (Date.now() - firstSignalAt < SAME_SIGNAL_WINDOW_MS) return;
        logger.warn('exiting at once on a second signal: requests still running are cut off, telemetry not flushed', { signal });
        process.exit(EXIT_ON_SECOND_SIGNAL[signal]);
      }
      firstSignalAt = Date.now();
      logger.info('shutting down', { signal });
      const timeoutMs = config.shutdownTimeoutMs;
      void shutDownGracefully({ server, responses, readiness, telemetry, logger, timeoutMs }).then((code) =>
        process.exit(code),
      );
    });
  }
  return server;
}

/**
 * The result of `read`, or, for a configuration error, one line per problem on stderr
 * (`invalid configuration: PORT must be an integer from 0 to 65535, got "abc"`: the variable,
 * what it must be, what it is) and exit 1. No stack: the cause is the environment.
 */
function orExit<T>(read: () => T): T {
  try {
    return read();
  } catch (error) {
    if (!(error instanceof ConfigError)) throw error;
    process.stderr.write(error.problems.map((problem) => `invalid configuration: ${problem.replace(/\p{Cc}/gu, ' ')}\n`).join(''));
    process.exit(1);
  }
}
