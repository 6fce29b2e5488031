/**
 * Composition root: config -> logger -> app -> listen -> shutdown.
 * Start it with the telemetry preload: `npm start`.
 */
import type { AddressInfo } from 'node:net';
import { createApp } from './app.ts';
import { createTokenService } from './auth/token-service.ts';
import { ConfigError, readConfig, type Config } from './config.ts';
import { createLogger } from './logging/logger.ts';
import type { Readiness } from './routes/health-routes.ts';
import { shutDownGracefully } from './server/graceful-shutdown.ts';
import { registeredTelemetry } from './telemetry/telemetry-registry.ts';

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
});

const server = app.listen(config.port, config.host, () => {
  const { port } = server.address() as AddressInfo;
  logger.info('listening', { port, telemetry: telemetry.enabled });
});
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
    void shutDownGracefully({ server, readiness, telemetry, logger, timeoutMs: config.shutdownTimeoutMs }).then(
      (code) => process.exit(code),
    );
  });
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
