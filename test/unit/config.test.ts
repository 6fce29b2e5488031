import { expect } from 'chai';
import { ConfigError, DEVELOPMENT_TOKEN_SECRET, readConfig } from '../../src/config.ts';

describe('readConfig', () => {
  it('applies the documented defaults to an empty environment', () => {
    const config = readConfig({});
    expect(config).to.include({
      nodeEnv: 'development',
      port: 3000,
      host: '0.0.0.0',
      logLevel: 'info',
      tokenSecret: DEVELOPMENT_TOKEN_SECRET,
      tokenTtlSeconds: 3600,
      trustIncomingBaggage: false,
      propagateUserId: false,
      jsonBodyLimit: '100kb',
      shutdownTimeoutMs: 10_000,
      sessionTelemetryBridge: true,
    });
    expect(config.downstreamUrl.href).to.equal('http://127.0.0.1:3000/api/session');
    expect(Object.isFrozen(config)).to.equal(true);
  });

  it('reads every variable', () => {
    const config = readConfig({
      PORT: '8080',
      LOG_LEVEL: 'debug',
      DOWNSTREAM_URL: 'http://orders:3000/api/session',
      TRUST_INCOMING_BAGGAGE: 'true',
      PROPAGATE_USER_ID: '1',
      JSON_BODY_LIMIT: '1mb',
    });
    expect(config).to.include({ port: 8080, logLevel: 'debug', trustIncomingBaggage: true, propagateUserId: true, jsonBodyLimit: '1mb' });
    expect(config.downstreamUrl.host).to.equal('orders:3000');
  });

  it('allows baggage only to the downstream host by default, or to BAGGAGE_ALLOWED_HOSTS', () => {
    expect([...readConfig({ DOWNSTREAM_URL: 'http://Orders:3000/x' }).baggageAllowedHosts]).to.deep.equal(['orders']);
    expect([...readConfig({ BAGGAGE_ALLOWED_HOSTS: 'orders, Billing.internal' }).baggageAllowedHosts]).to.deep.equal(['orders', 'billing.internal']);
    expect(() => readConfig({ BAGGAGE_ALLOWED_HOSTS: 'orders,evil host' })).to.throw(ConfigError, /BAGGAGE_ALLOWED_HOSTS/);
    expect([...readConfig({ DOWNSTREAM_URL: 'http://[::1]:3000/' }).baggageAllowedHosts]).to.deep.equal(['::1']);
  });

  it('lists every problem at once', () => {
    const env = { PORT: 'eighty', LOG_LEVEL: 'loud', DOWNSTREAM_URL: 'ftp://x', TRUST_INCOMING_BAGGAGE: 'maybe', TOKEN_SECRET: 'short' };
    let error: unknown;
    try {
      readConfig(env);
    } catch (caught) {
      error = caught;
    }
    expect(error).to.be.instanceOf(ConfigError);
    const problems = (error as ConfigError).problems;
    expect(problems).to.have.length(5);
    expect(problems.join('\n')).to.include('PORT').and.include('LOG_LEVEL').and.include('DOWNSTREAM_URL').and.include('TRUST_INCOMING_BAGGAGE').and.include('TOKEN_SECRET');
  });

  it('refuses the built-in token secret in production', () => {
    expect(() => readConfig({ NODE_ENV: 'production' })).to.throw(ConfigError, /TOKEN_SECRET must be set/);
    expect(readConfig({ NODE_ENV: 'production', TOKEN_SECRET: 'x'.repeat(40) }).nodeEnv).to.equal('production');
  });

  it('never echoes the token secret in its errors', () => {
    expect(() => readConfig({ TOKEN_SECRET: 'tiny-secret' })).to.throw(ConfigError).that.satisfies(
      (error: ConfigError) => !error.message.includes('tiny-secret'),
    );
  });
});
