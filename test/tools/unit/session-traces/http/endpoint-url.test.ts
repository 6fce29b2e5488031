import { expect } from 'chai';
import { EndpointUrlError, parseEndpointUrl } from '../../../../../tools/session-traces/http/endpoint-url.ts';

describe('parseEndpointUrl', () => {
  it('keeps a path as the base of every API path when the service has a base path', () => {
    const { base, authorization } = parseEndpointUrl('http://jaeger.internal:16686/jaeger', 'JAEGER_URL');
    expect(base.href).to.equal('http://jaeger.internal:16686/jaeger/');
    expect(new URL('api/services', base).href).to.equal('http://jaeger.internal:16686/jaeger/api/services');
    expect(authorization).to.equal(undefined);
  });

  it('ends the base in / when there is no path', () => {
    expect(parseEndpointUrl('https://jaeger.example', 'JAEGER_URL').base.href).to.equal('https://jaeger.example/');
  });

  it('turns user:password@ into Basic authentication, percent-decoded, and drops them from the base', () => {
    const { base, authorization } = parseEndpointUrl('http://ada%40ops:p%3Ass%20w@127.0.0.1:16686/jaeger/', 'JAEGER_URL');
    expect(base.href).to.equal('http://127.0.0.1:16686/jaeger/');
    expect(authorization).to.equal(`Basic ${Buffer.from('ada@ops:p:ss w').toString('base64')}`);
  });

  it('sends an empty password when only a user name is given', () => {
    expect(parseEndpointUrl('http://ada@127.0.0.1:16686', 'JAEGER_URL').authorization).to.equal(`Basic ${Buffer.from('ada:').toString('base64')}`);
  });

  const refused: [string, string, RegExp][] = [
    ['is not a URL', 'localhost 16686', /must be an http\(s\) URL, got "localhost 16686"/],
    ['is not http(s)', 'ftp://jaeger', /must be an http\(s\) URL, got "ftp:\/\/jaeger"/],
    ['is not http(s) and has credentials', 'ftp://ada:hunter2@jaeger', /must be an http\(s\) URL, got a value with @ in it \(not shown\)/],
    ['has a query', 'http://jaeger:16686/?x=1', /without \?query or #fragment/],
    ['has a fragment', 'http://jaeger:16686/#search', /without \?query or #fragment/],
    ['has a badly encoded password', 'http://ada:hunter2%zz@jaeger', /badly percent-encoded password: http:\/\/\*\*\*:\*\*\*@jaeger\//],
    ['has a user name holding a colon', 'http://a%3Ab:hunter2@jaeger', /user name with a colon/],
    ['is unparsable and has an @', 'ada:hunter2@', /a value with @ in it \(not shown\)/],
  ];
  for (const [what, value, message] of refused) {
    it(`refuses the value without showing credentials when it ${what}`, () => {
      expect(() => parseEndpointUrl(value, 'JAEGER_URL')).to.throw(EndpointUrlError, message);
      try {
        parseEndpointUrl(value, 'JAEGER_URL');
      } catch (error) {
        expect((error as Error).message).not.to.include('hunter2');
      }
    });
  }

  it('names the variable it read when it refuses a value', () => {
    expect(() => parseEndpointUrl('ftp://logs', 'VICTORIALOGS_URL'))
      .to.throw(EndpointUrlError, /^VICTORIALOGS_URL must be an http\(s\) URL/)
      .with.property('variable', 'VICTORIALOGS_URL');
  });
});
