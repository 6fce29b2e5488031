import { expect } from 'chai';
import { ConfigError, type NodeEnv } from '../../../src/core/index.ts';
import { DEVELOPMENT_TOKEN_SECRET, readDemoConfig } from '../../../src/demo/index.ts';

describe('readDemoConfig', () => {
  it('applies the documented defaults when the environment is empty', () => {
    const config = readDemoConfig({}, 'development');
    expect(config).to.include({
      tokenSecret: DEVELOPMENT_TOKEN_SECRET,
      tokenTtlSeconds: 3600,
      webSessionIdleTimeoutSeconds: 900,
      webSessionMaxDurationSeconds: 14_400,
    });
    // Not a URL with port 0: the route calls its own /api/session on the port actually listened on.
    expect(config.downstreamUrl).to.equal('self');
    expect(Object.isFrozen(config)).to.equal(true);
  });

  it('reads DOWNSTREAM_URL as a URL when it is set', () => {
    const config = readDemoConfig({ DOWNSTREAM_URL: 'http://orders:3000/api/orders' }, 'development');
    expect(config.downstreamUrl).to.be.instanceOf(URL).and.have.property('host', 'orders:3000');
  });

  it('reads the browser session timeouts when they are set, and refuses them out of range', () => {
    const config = readDemoConfig({ WEB_SESSION_IDLE_TIMEOUT_SECONDS: '5', WEB_SESSION_MAX_DURATION_SECONDS: '60' }, 'development');
    expect(config).to.include({ webSessionIdleTimeoutSeconds: 5, webSessionMaxDurationSeconds: 60 });
    const problems = problemsOf({ WEB_SESSION_IDLE_TIMEOUT_SECONDS: '0', WEB_SESSION_MAX_DURATION_SECONDS: '4h' });
    expect(problems).to.have.length(2);
    expect(problems.join('\n')).to.include('WEB_SESSION_IDLE_TIMEOUT_SECONDS').and.include('WEB_SESSION_MAX_DURATION_SECONDS');
  });

  it('lists every problem at once when several variables are invalid', () => {
    const problems = problemsOf({ DOWNSTREAM_URL: 'ftp://x', TOKEN_SECRET: 'short', TOKEN_TTL_SECONDS: 'forever' });
    expect(problems).to.have.length(3);
    expect(problems.join('\n')).to.include('DOWNSTREAM_URL').and.include('TOKEN_SECRET').and.include('TOKEN_TTL_SECONDS');
  });

  it('refuses the built-in token secret when NODE_ENV is production', () => {
    expect(problemsOf({}, 'production')).to.deep.equal([
      'TOKEN_SECRET must be set when NODE_ENV=production (the built-in secret is for development only)',
    ]);
    expect(readDemoConfig({ TOKEN_SECRET: 'x'.repeat(40) }, 'production').tokenSecret).to.equal('x'.repeat(40));
  });

  it('never echoes the token secret when it refuses it', () => {
    expect(problemsOf({ TOKEN_SECRET: 'tiny-secret' }).join('\n')).not.to.include('tiny-secret');
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

  it('uses TOKEN_SECRET exactly as given when it has no surrounding whitespace', () => {
    const secret = `${'x'.repeat(20)} inner space ${'y'.repeat(20)}`;
    expect(readDemoConfig({ TOKEN_SECRET: secret }, 'development').tokenSecret).to.equal(secret);
  });

  it('refuses TOKEN_SECRET, without printing it, when it begins or ends with whitespace', () => {
    for (const secret of [` ${'s'.repeat(40)}`, `${'s'.repeat(40)}\n`, `\t${'s'.repeat(40)} `, '   ']) {
      const problems = problemsOf({ TOKEN_SECRET: secret });
      expect(problems).to.deep.equal(['TOKEN_SECRET must not begin or end with whitespace (it is used exactly as given, never trimmed)']);
      expect(problems.join('\n')).not.to.include('s'.repeat(40));
    }
  });
});

/** The problems readDemoConfig reports for `env` (none when it accepts it). */
function problemsOf(env: Record<string, string>, nodeEnv: NodeEnv = 'development'): readonly string[] {
  try {
    readDemoConfig(env, nodeEnv);
    return [];
  } catch (error) {
    if (error instanceof ConfigError) return error.problems;
    throw error;
  }
}
