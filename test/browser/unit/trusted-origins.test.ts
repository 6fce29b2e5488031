import { expect } from 'chai';
import { TrustedOrigins, urlPrefixPattern } from '../../../src/browser/trusted-origins.ts';

describe('TrustedOrigins', () => {
  const origins = new TrustedOrigins('http://127.0.0.1:3000', ['https://api.example.com']);

  it('includes the page\'s own origin and the trusted ones, relative URLs against the page', () => {
    expect(origins.includes('http://127.0.0.1:3000/api/session')).to.equal(true);
    expect(origins.includes('/api/session', 'http://127.0.0.1:3000/')).to.equal(true);
    expect(origins.includes('https://api.example.com/orders?x=1')).to.equal(true);
    expect(origins.includes('https://api.example.com')).to.equal(true);
  });

  it('excludes every other origin, look-alikes included', () => {
    for (const url of [
      'https://tracker.example.net/collect',
      'https://api.example.com.evil.example/',
      'http://api.example.com/',
      'https://api.example.com:8443/',
      'http://127.0.0.1:3001/api/session',
      'data:text/plain,hello',
      'not a url',
    ]) {
      expect(origins.includes(url), url).to.equal(false);
    }
  });

  it('gives the fetch instrumentation patterns that match the trusted origins and nothing longer', () => {
    const [pattern, ...others] = origins.corsUrlPatterns();
    expect(others).to.deep.equal([]);
    expect(pattern!.test('https://api.example.com/orders')).to.equal(true);
    expect(pattern!.test('https://api.example.com')).to.equal(true);
    expect(pattern!.test('https://api.example.com.evil.example/orders')).to.equal(false);
    expect(pattern!.test('https://api.example.com:8443/')).to.equal(false);
    expect(pattern!.test('https://apixexample.com/')).to.equal(false);
  });

  it('refuses a trusted entry that is not exactly an origin', () => {
    for (const bad of ['https://api.example.com/', 'https://api.example.com/path', 'api.example.com', '*', 'https://API.example.com']) {
      expect(() => new TrustedOrigins(undefined, [bad]), bad).to.throw(RangeError, 'is not an origin');
    }
  });
});

describe('urlPrefixPattern', () => {
  it('matches the prefix and what is under it, not the prefix continued', () => {
    const pattern = urlPrefixPattern('http://127.0.0.1:3000/otlp');
    expect(['http://127.0.0.1:3000/otlp', 'http://127.0.0.1:3000/otlp/v1/traces', 'http://127.0.0.1:3000/otlp?x'].every((url) => pattern.test(url))).to.equal(true);
    expect(['http://127.0.0.1:3000/otlpx', 'http://127.0.0.1:3000/api/otlp', 'http://127.0.0.1:30001/otlp'].some((url) => pattern.test(url))).to.equal(false);
  });
});
