import { expect } from 'chai';
import { ConfigError, readCoreConfig } from '../../../../src/core/config/index.ts';

describe('readCoreConfig', () => {
  it('applies the documented defaults when the environment is empty', () => {
    const config = readCoreConfig({});
    expect(config).to.include({
      nodeEnv: 'development',
      port: 3000,
      host: '0.0.0.0',
      logLevel: 'info',
      logHealthProbes: false,
      trustIncomingBaggage: false,
      propagateUserId: false,
      jsonBodyLimit: '100kb',
      shutdownTimeoutMs: 10_000,
      sessionTelemetryBridge: true,
      browserTelemetryOtlpEndpoint: undefined,
      logValueLengthLimit: 4096,
    });
    expect([...config.baggageAllowedHosts]).to.deep.equal(['localhost', '127.0.0.1', '::1']);
    expect(Object.isFrozen(config)).to.equal(true);
  });

  it('reads every variable when each is set', () => {
    const config = readCoreConfig({
      PORT: '8080',
      LOG_LEVEL: 'debug',
      TRUST_INCOMING_BAGGAGE: 'true',
      PROPAGATE_USER_ID: '1',
      JSON_BODY_LIMIT: '1mb',
    });
    expect(config).to.include({ port: 8080, logLevel: 'debug', trustIncomingBaggage: true, propagateUserId: true, jsonBodyLimit: '1mb' });
  });

  it('allows baggage only to loopback by default, or to BAGGAGE_ALLOWED_HOSTS when it is set', () => {
    expect([...readCoreConfig({ BAGGAGE_ALLOWED_HOSTS: 'orders, Billing.internal' }).baggageAllowedHosts]).to.deep.equal(['orders', 'billing.internal']);
    expect(() => readCoreConfig({ BAGGAGE_ALLOWED_HOSTS: 'orders,evil host' })).to.throw(ConfigError, /BAGGAGE_ALLOWED_HOSTS/);
    expect([...readCoreConfig({ BAGGAGE_ALLOWED_HOSTS: '[::1]' }).baggageAllowedHosts]).to.deep.equal(['::1']);
  });

  it('reads BROWSER_TELEMETRY_OTLP_ENDPOINT as an http(s) URL and refuses anything else', () => {
    expect(readCoreConfig({ BROWSER_TELEMETRY_OTLP_ENDPOINT: 'http://collector:4318' }).browserTelemetryOtlpEndpoint?.href).to.equal('http://collector:4318/');
    for (const value of ['collector:4318', 'ftp://collector', 'http://user:pw@collector:4318']) {
      const problems = problemsOf({ BROWSER_TELEMETRY_OTLP_ENDPOINT: value });
      expect(problems, value).to.have.length(1);
      expect(problems[0], value).to.include('BROWSER_TELEMETRY_OTLP_ENDPOINT').and.not.include(':pw@');
    }
  });

  it('reads LOG_HEALTH_PROBES as a boolean and refuses anything else', () => {
    expect(readCoreConfig({ LOG_HEALTH_PROBES: 'true' }).logHealthProbes).to.equal(true);
    expect(readCoreConfig({ LOG_HEALTH_PROBES: '0' }).logHealthProbes).to.equal(false);
    expect(problemsOf({ LOG_HEALTH_PROBES: 'yes' })).to.deep.equal(['LOG_HEALTH_PROBES must be true or false, got "yes"']);
  });

  it('lists every problem at once when several variables are invalid', () => {
    const problems = problemsOf({ PORT: 'eighty', LOG_LEVEL: 'loud', TRUST_INCOMING_BAGGAGE: 'maybe', JSON_BODY_LIMIT: 'huge' });
    expect(problems).to.have.length(4);
    expect(problems.join('\n')).to.include('PORT').and.include('LOG_LEVEL').and.include('TRUST_INCOMING_BAGGAGE').and.include('JSON_BODY_LIMIT');
  });

  it('refuses a batch processor variable (OTEL_BSP_*, OTEL_BLRP_*) that is not a whole number in range, and takes an empty one as unset', () => {
    expect(
      problemsOf({
        OTEL_BLRP_MAX_EXPORT_BATCH_SIZE: '0.5',
        OTEL_BSP_MAX_QUEUE_SIZE: '0.5',
        OTEL_BSP_SCHEDULE_DELAY: '-1',
        OTEL_BLRP_EXPORT_TIMEOUT: 'thirty',
        OTEL_BSP_MAX_EXPORT_BATCH_SIZE: '',
        OTEL_BLRP_SCHEDULE_DELAY: '0',
      }),
    ).to.deep.equal([
      'OTEL_BSP_MAX_QUEUE_SIZE must be an integer from 1 to 2147483647, got "0.5"',
      'OTEL_BSP_SCHEDULE_DELAY must be an integer from 0 to 2147483647, got "-1"',
      'OTEL_BLRP_MAX_EXPORT_BATCH_SIZE must be an integer from 1 to 2147483647, got "0.5"',
      'OTEL_BLRP_EXPORT_TIMEOUT must be an integer from 1 to 2147483647, got "thirty"',
    ]);
    expect(problemsOf({ OTEL_BSP_MAX_QUEUE_SIZE: '100', OTEL_BLRP_MAX_EXPORT_BATCH_SIZE: '', OTEL_BLRP_EXPORT_TIMEOUT: ' 500 ' })).to.deep.equal([]);
  });

  it('accepts NODE_ENV in any letter case and normalizes it when it is development, test or production', () => {
    expect(readCoreConfig({ NODE_ENV: 'Test' }).nodeEnv).to.equal('test');
    expect(readCoreConfig({ NODE_ENV: 'DEVELOPMENT' }).nodeEnv).to.equal('development');
    expect(readCoreConfig({ NODE_ENV: 'PRODUCTION' }).nodeEnv).to.equal('production');
  });

  it('refuses NODE_ENV, listing the accepted values, when it is not one of them', () => {
    for (const value of ['prod', 'staging', 'dev']) {
      expect(problemsOf({ NODE_ENV: value })).to.deep.equal([
        `NODE_ENV must be one of development, test, production (any letter case), got "${value}"`,
      ]);
    }
  });

  it('refuses JSON_BODY_LIMIT when it is not a size above zero', () => {
    for (const limit of ['0kb', '0b', '00mb', '-1kb', '1gb']) {
      expect(problemsOf({ JSON_BODY_LIMIT: limit }).join('\n')).to.include('JSON_BODY_LIMIT must be a size above zero');
    }
    expect(readCoreConfig({ JSON_BODY_LIMIT: '1b' }).jsonBodyLimit).to.equal('1b');
  });

  it('reads the log value length limit from OTEL_LOGRECORD_ATTRIBUTE_VALUE_LENGTH_LIMIT, else OTEL_ATTRIBUTE_VALUE_LENGTH_LIMIT', () => {
    expect(readCoreConfig({ OTEL_LOGRECORD_ATTRIBUTE_VALUE_LENGTH_LIMIT: '2048', OTEL_ATTRIBUTE_VALUE_LENGTH_LIMIT: '512' }).logValueLengthLimit).to.equal(2048);
    expect(readCoreConfig({ OTEL_ATTRIBUTE_VALUE_LENGTH_LIMIT: '512' }).logValueLengthLimit).to.equal(512);
    expect(readCoreConfig({ OTEL_LOGRECORD_ATTRIBUTE_VALUE_LENGTH_LIMIT: ' 1 ' }).logValueLengthLimit).to.equal(1);
  });

  it('refuses a log value length limit that is not an integer from 1, in either variable, even when the other decides', () => {
    for (const bad of ['0', '-1', 'abc', '1.5', '1e3', 'Infinity']) {
      for (const name of ['OTEL_LOGRECORD_ATTRIBUTE_VALUE_LENGTH_LIMIT', 'OTEL_ATTRIBUTE_VALUE_LENGTH_LIMIT']) {
        expect(problemsOf({ [name]: bad }), `${name}=${bad}`).to.deep.equal([`${name} must be an integer from 1 to 1000000000, got ${JSON.stringify(bad)}`]);
      }
    }
    expect(problemsOf({ OTEL_LOGRECORD_ATTRIBUTE_VALUE_LENGTH_LIMIT: '2048', OTEL_ATTRIBUTE_VALUE_LENGTH_LIMIT: 'abc' })).to.have.length(1);
  });

  it('refuses a span value length limit that is not an integer from 1 (the SDK would ignore it and cut nothing)', () => {
    for (const bad of ['0', 'abc', '1.5']) {
      expect(problemsOf({ OTEL_SPAN_ATTRIBUTE_VALUE_LENGTH_LIMIT: bad }), bad).to.deep.equal([
        `OTEL_SPAN_ATTRIBUTE_VALUE_LENGTH_LIMIT must be an integer from 1 to 1000000000, got ${JSON.stringify(bad)}`,
      ]);
    }
    expect(problemsOf({ OTEL_SPAN_ATTRIBUTE_VALUE_LENGTH_LIMIT: '256' })).to.deep.equal([]);
  });
});

/** The problems readCoreConfig reports for `env` (none when it accepts it). */
function problemsOf(env: Record<string, string>): readonly string[] {
  try {
    readCoreConfig(env);
    return [];
  } catch (error) {
    if (error instanceof ConfigError) return error.problems;
    throw error;
  }
}
