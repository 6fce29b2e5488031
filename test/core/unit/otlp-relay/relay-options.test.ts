import { expect } from 'chai';
import { ConfigError } from '../../../../src/core/config/index.ts';
import { RELAY_DEFAULTS, resolveRelayOptions } from '../../../../src/core/otlp-relay/relay-options.ts';

describe('resolveRelayOptions', () => {
  it('applies the documented defaults when no option is given', () => {
    expect(resolveRelayOptions({})).to.deep.equal({
      serviceName: 'web',
      maxBodyBytes: 524_288,
      requestsPerSecond: 20,
      burst: 40,
      maxConcurrent: 16,
      upstreamTimeoutMs: 10_000,
      reportIntervalMs: 10_000,
    });
    expect(RELAY_DEFAULTS.serviceName).to.equal('web');
  });

  it('takes the options given and keeps the defaults of the others', () => {
    expect(resolveRelayOptions({ serviceName: 'storefront', requestsPerSecond: 0.5 })).to.deep.equal({
      ...RELAY_DEFAULTS,
      serviceName: 'storefront',
      requestsPerSecond: 0.5,
    });
  });

  it('lists every invalid option at once when several are wrong', () => {
    let problems: readonly string[] = [];
    try {
      resolveRelayOptions({ serviceName: 'web\napi', maxBodyBytes: 0, requestsPerSecond: Number.NaN, burst: 1.5, maxConcurrent: -1 });
    } catch (error) {
      if (!(error instanceof ConfigError)) throw error;
      problems = error.problems;
    }
    expect(problems).to.have.length(5);
    expect(problems.join('\n')).to.include('serviceName').and.include('maxBodyBytes').and.include('requestsPerSecond').and.include('burst').and.include('maxConcurrent');
  });

  it('refuses a service name that is empty, blank or longer than 255 characters', () => {
    for (const serviceName of ['', '   ', 'x'.repeat(256)]) {
      expect(() => resolveRelayOptions({ serviceName }), JSON.stringify(serviceName)).to.throw(ConfigError, /serviceName/);
    }
    expect(resolveRelayOptions({ serviceName: 'x'.repeat(255) }).serviceName).to.have.length(255);
  });
});
