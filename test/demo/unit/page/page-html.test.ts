import { expect } from 'chai';
import { jsonForHtml, readPageTelemetryConfig, renderPage, type PageTelemetryConfig } from '../../../../src/demo/page/index.ts';

const CONFIG: PageTelemetryConfig = { serviceName: 'web', exportBaseUrl: '/otlp', idleTimeoutSeconds: 900, maxDurationSeconds: 14_400, sampleRatio: 0.5 };

/** The text of the page's JSON data block. */
function configBlock(html: string): string {
  const match = /<script type="application\/json" id="web-telemetry-config">(.*?)<\/script>/s.exec(html);
  if (match === null) throw new Error('no config block');
  return match[1]!;
}

describe('renderPage', () => {
  it('renders the configuration as a JSON data block that the page script reads back', () => {
    const { html } = renderPage(CONFIG);
    expect(readPageTelemetryConfig(configBlock(html))).to.deep.equal(CONFIG);
    expect(html).to.include('<script type="module" src="/assets/page.js"></script>');
    for (const id of ['read-session', 'log-in', 'call-downstream', 'session-id', 'output']) expect(html).to.include(`id="${id}"`);
  });

  it('keeps a value that holds </script> inside the data block', () => {
    const hostile = { ...CONFIG, serviceName: '</script><script>alert(1)</script><!--' };
    const { html } = renderPage(hostile);
    expect(html.match(/<\/script>/g)).to.have.length(2);
    expect(readPageTelemetryConfig(configBlock(html)).serviceName).to.equal(hostile.serviceName);
  });

  it('allows only the page\'s own script and connections, and its one inline style by hash', () => {
    const { contentSecurityPolicy } = renderPage(CONFIG);
    const directives = new Map(contentSecurityPolicy.split('; ').map((directive) => [directive.split(' ')[0], directive]));
    expect(directives.get('default-src')).to.equal("default-src 'none'");
    expect(directives.get('script-src')).to.equal("script-src 'self'");
    expect(directives.get('connect-src')).to.equal("connect-src 'self'");
    expect(directives.get('style-src')).to.match(/^style-src 'sha256-[A-Za-z0-9+/]{43}='$/);
    expect(contentSecurityPolicy).not.to.include('unsafe');
  });
});

describe('jsonForHtml', () => {
  it('escapes <, >, & and the line separators, and stays the same JSON', () => {
    const value = { text: '<b>&</b>\u2028\u2029' };
    const escaped = jsonForHtml(value);
    expect(escaped).not.to.match(/[<>&\u2028\u2029]/);
    expect(JSON.parse(escaped)).to.deep.equal(value);
  });
});

describe('readPageTelemetryConfig', () => {
  it('refuses text that is not the expected JSON object', () => {
    expect(() => readPageTelemetryConfig('{')).to.throw(SyntaxError);
    expect(() => readPageTelemetryConfig('[]')).to.throw(Error, 'serviceName');
    expect(() => readPageTelemetryConfig('null')).to.throw(Error, 'not a JSON object');
    expect(() => readPageTelemetryConfig(JSON.stringify({ ...CONFIG, sampleRatio: '1' }))).to.throw(Error, 'sampleRatio must be a number');
  });
});
