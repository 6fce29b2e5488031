import { readFileSync } from 'node:fs';
import { expect } from 'chai';
import { parse } from 'yaml';
import { readCoreConfig } from '../../../src/core/index.ts';
import { parseComposeDuration } from '../support/compose-duration.ts';

interface SourceService {
  build?: unknown;
  stop_grace_period?: string;
  /** The map form, or the list form `KEY=value`. */
  environment?: Record<string, string | number | boolean | null> | string[];
}

/** Time a stopped service needs after its shutdown budget: the flush's last export, exit. */
const EXIT_MARGIN_MS = 1000;

/** SHUTDOWN_TIMEOUT_MS as the service reads it from this environment (default included). */
function shutdownTimeoutMs(environment: SourceService['environment']): number {
  const entries = Array.isArray(environment)
    ? environment.map((entry) => [entry.split('=')[0]!, entry.slice(entry.indexOf('=') + 1)])
    : Object.entries(environment ?? {}).map(([name, value]) => [name, String(value)]);
  const value = entries.find(([name]) => name === 'SHUTDOWN_TIMEOUT_MS')?.[1];
  return readCoreConfig(value === undefined ? {} : { SHUTDOWN_TIMEOUT_MS: value }).shutdownTimeoutMs;
}

describe('docker-compose.yml stop grace periods', () => {
  const compose = parse(readFileSync(new URL('../../../docker-compose.yml', import.meta.url), 'utf8')) as {
    services: Record<string, SourceService>;
  };
  // The services built from the project's Dockerfile run this service.
  const appServices = Object.entries(compose.services).filter(([, service]) => service.build !== undefined);

  it('finds the app services when it reads the compose file', () => {
    expect(appServices.map(([name]) => name).sort()).to.deep.equal(['api', 'orders']);
  });

  it('lets every app service finish its graceful shutdown before SIGKILL when compose stops it', () => {
    for (const [name, service] of appServices) {
      // Docker's default grace period (10 s) equals the default SHUTDOWN_TIMEOUT_MS: SIGKILL would
      // land during the final telemetry flush.
      expect(service.stop_grace_period, `${name}: stop_grace_period`).to.be.a('string');
      const graceMs = parseComposeDuration(service.stop_grace_period!);
      const budgetMs = shutdownTimeoutMs(service.environment);
      expect(graceMs, `${name}: stop_grace_period ${service.stop_grace_period!} against SHUTDOWN_TIMEOUT_MS ${budgetMs}`).to.be.at.least(
        budgetMs + EXIT_MARGIN_MS,
      );
    }
  });
});

describe('parseComposeDuration', () => {
  it('reads milliseconds when given single and combined units', () => {
    expect(parseComposeDuration('15s')).to.equal(15_000);
    expect(parseComposeDuration('1m30s')).to.equal(90_000);
    expect(parseComposeDuration('1.5s')).to.equal(1500);
    expect(parseComposeDuration('250ms')).to.equal(250);
    expect(parseComposeDuration('1h')).to.equal(3_600_000);
  });

  it('throws naming the value when it is not a duration', () => {
    for (const text of ['15', 's', '15 s', '1d', '']) expect(() => parseComposeDuration(text)).to.throw(/not a compose duration/);
  });
});
