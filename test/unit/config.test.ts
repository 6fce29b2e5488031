import { expect } from 'chai';
import { ConfigError, DEVELOPMENT_TOKEN_SECRET, readConfig } from '../../src/config.ts';

describe('readConfig', () => {
  it('applies the documented defaults when the environment is empty', () => {
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
    expect(config.downstreamUrl).to.equal('self');
    expect([...config.baggageAllowedHosts]).to.deep.equal(['127.0.0.1']);
    expect(Object.isFrozen(config)).to.equal(true);
  });

  it('reads every variable when each is set', () => {
    const config = readConfig({
      PORT: '8080',
      LOG_LEVEL: 'debug',
      DOWNSTREAM_URL: 'http://orders:3000/api/session',
      TRUST_INCOMING_BAGGAGE: 'true',
      PROPAGATE_USER_ID: '1',
      JSON_BODY_LIMIT: '1mb',
    });
    expect(config).to.include({ port: 8080, logLevel: 'debug', trustIncomingBaggage: true, propagateUserId: true, jsonBodyLimit: '1mb' });
    expect(config.downstreamUrl).to.be.instanceOf(URL).and.have.property('host', 'orders:3000');
  });

  it('allows baggage only to the downstream host, or to BAGGAGE_ALLOWED_HOSTS when it is set', () => {
    expect([...readConfig({ DOWNSTREAM_URL: 'http://Orders:3000/x' }).baggageAllowedHosts]).to.deep.equal(['orders']);
    expect([...readConfig({ BAGGAGE_ALLOWED_HOSTS: 'orders, Billing.internal' }).baggageAllowedHosts]).to.deep.equal(['orders', 'billing.internal']);
    expect(() => readConfig({ BAGGAGE_ALLOWED_HOSTS: 'orders,evil host' })).to.throw(ConfigError, /BAGGAGE_ALLOWED_HOSTS/);
    expect([...readConfig({ DOWNSTREAM_URL: 'http://[::1]:3000/' }).baggageAllowedHosts]).to.deep.equal(['::1']);
  });

  it('lists every problem at once when several variables are invalid', () => {
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

  it('refuses the built-in token secret when NODE_ENV=production', () => {
    expect(() => readConfig({ NODE_ENV: 'production' })).to.throw(ConfigError, /TOKEN_SECRET must be set/);
    expect(readConfig({ NODE_ENV: 'production', TOKEN_SECRET: 'x'.repeat(40) }).nodeEnv).to.equal('production');
  });

  it('never echoes the token secret when it refuses it', () => {
    expect(() => readConfig({ TOKEN_SECRET: 'tiny-secret' })).to.throw(ConfigError).that.satisfies(
      (error: ConfigError) => !error.message.includes('tiny-secret'),
    );
  });

  it('leaves the default downstream to be resolved at request time when PORT=0', () => {
    const config = readConfig({ PORT: '0' });
    // Not a URL with port 0: the route calls its own /api/session on the port actually listened on.
    expect(config.downstreamUrl).to.equal('self');
    expect([...config.baggageAllowedHosts]).to.deep.equal(['127.0.0.1']);
  });

  it('refuses a DOWNSTREAM_URL with credentials, without echoing the password, when one is given', () => {
    const refusal = (url: string): string => problemsOf({ DOWNSTREAM_URL: url }).join('\n');
    const message = refusal('http://alice:s3cret-pw@orders:3000/api/session');
    expect(message).to.include('DOWNSTREAM_URL').and.include('credentials').and.include('"http://alice:***@orders:3000/api/session"');
    expect(message).not.to.include('s3cret-pw');
    expect(refusal('https://alice@orders/')).to.include('credentials');
    // Other refusals of the same variable hide the password too, parseable or not.
    expect(refusal('ftp://alice:s3cret-pw@orders/')).to.include('http(s) URL').and.not.include('s3cret-pw');
    expect(refusal('http://alice:s3cret-pw@[bad/')).to.include('http(s) URL').and.not.include('s3cret-pw');
  });

  it('accepts NODE_ENV in any letter case and normalizes it when it is development, test or production', () => {
    expect(readConfig({ NODE_ENV: 'Test' }).nodeEnv).to.equal('test');
    expect(readConfig({ NODE_ENV: 'DEVELOPMENT' }).nodeEnv).to.equal('development');
    expect(readConfig({ NODE_ENV: 'PRODUCTION', TOKEN_SECRET: 'x'.repeat(40) }).nodeEnv).to.equal('production');
  });

  it('refuses the built-in token secret when NODE_ENV is production in another letter case', () => {
    expect(problemsOf({ NODE_ENV: 'Production' })).to.deep.equal([
      'TOKEN_SECRET must be set when NODE_ENV=production (the built-in secret is for development only)',
    ]);
  });

  it('refuses NODE_ENV, listing the accepted values, when it is not one of them', () => {
    for (const value of ['prod', 'staging', 'dev']) {
      expect(problemsOf({ NODE_ENV: value, TOKEN_SECRET: 'x'.repeat(40) })).to.deep.equal([
        `NODE_ENV must be one of development, test, production (any letter case), got "${value}"`,
      ]);
    }
  });

  it('uses TOKEN_SECRET exactly as given when it has no surrounding whitespace', () => {
    const secret = `${'x'.repeat(20)} inner space ${'y'.repeat(20)}`;
    expect(readConfig({ TOKEN_SECRET: secret }).tokenSecret).to.equal(secret);
  });

  it('refuses TOKEN_SECRET, without printing it, when it begins or ends with whitespace', () => {
    for (const secret of [` ${'s'.repeat(40)}`, `${'s'.repeat(40)}\n`, `\t${'s'.repeat(40)} `, '   ']) {
      const problems = problemsOf({ TOKEN_SECRET: secret });
      expect(problems).to.deep.equal(['TOKEN_SECRET must not begin or end with whitespace (it is used exactly as given, never trimmed)']);
      expect(problems.join('\n')).not.to.include('s'.repeat(40));
    }
  });

  it('refuses JSON_BODY_LIMIT when it is not a size above zero', () => {
    for (const limit of ['0kb', '0b', '00mb', '-1kb', '1gb']) {
      expect(problemsOf({ JSON_BODY_LIMIT: limit }).join('\n')).to.include('JSON_BODY_LIMIT must be a size above zero');
    }
    expect(readConfig({ JSON_BODY_LIMIT: '1b' }).jsonBodyLimit).to.equal('1b');
  });
});

/** The problems readConfig reports for `env` (none when it accepts it). */
function problemsOf(env: Record<string, string>): readonly string[] {
  try {
    readConfig(env);
    return [];
  } catch (error) {
    if (error instanceof ConfigError) return error.problems;
    throw error;
  }
}
