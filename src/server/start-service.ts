import type { Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import type { Router } from 'express';
import { createApp } from '../app.ts';
import { createTokenService } from '../auth/token-service.ts';
import { ConfigError, readConfig, type Config } from '../config.ts';
import { createLogger } from '../logging/logger.ts';
import type { Readiness } from '../routes/health-routes.ts';
import { registeredTelemetry } from '../telemetry/telemetry-registry.ts';
import { shutDownGracefully, trackResponses } from './graceful-shutdown.ts';

/** Options of {@link startService}. */
export interface ServiceOptions {
  /** Your service's routers, mounted under `/api`. Default none. */
  readonly routers?: readonly Router[];
}

/**
 * Builds and runs the service the way `npm start` does: configuration from the environment
 * (an invalid one is reported and exits 1), the JSON logger, the app, `listen`, and a
 * graceful shutdown on SIGTERM / SIGINT that exits the process with its result.
 *
 * Start the process with the telemetry preload (`node --import ./src/telemetry/preload.ts`),
 * which must run before this module's imports load Express.
 */
export function startService(options: ServiceOptions = {}): Server {
  const config = readConfigOrExit();
  const logger = createLogger({ level: config.logLevel });
  const telemetry = registeredTelemetry();
  const readiness: Readiness = { ready: true };

  const app = createApp({
    config,
    logger,
    tokens: createTokenService({ secret: config.tokenSecret, ttlSeconds: config.tokenTtlSeconds }),
    readiness,
    spanDelivery: () => telemetry.spanDelivery(),
    ...(options.routers === undefined ? {} : { routers: options.routers }),
  });

  const server = app.listen(config.port, config.host, () => {
    const { port } = server.address() as AddressInfo;
    logger.info('listening', { port, telemetry: telemetry.enabled });
  });
  const responses = trackResponses(server);
  server.on('error', (error) => {
    logger.error('server failed', { error: error.message });
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

function readConfigOrExit(): Config {
  try {
    return readConfig(process.env);
  } catch (error) {
    if (!(error instanceof ConfigError)) throw error;
    process.stderr.write(`${error.message}\n`);
    process.exit(1);
  }
}
