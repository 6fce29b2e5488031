import { expect } from 'chai';
import { BROWSER_TELEMETRY_PATHS, browserTelemetrySignalOf } from '../../../../../src/core/telemetry/http-server/browser-telemetry-paths.ts';

describe('browserTelemetrySignalOf', () => {
  it('names the signal when the request is a POST of exactly a relay path, with or without a query', () => {
    expect(BROWSER_TELEMETRY_PATHS).to.deep.equal({ traces: '/otlp/v1/traces', logs: '/otlp/v1/logs' });
    expect(browserTelemetrySignalOf('POST', '/otlp/v1/traces')).to.equal('traces');
    expect(browserTelemetrySignalOf('POST', '/otlp/v1/logs')).to.equal('logs');
    expect(browserTelemetrySignalOf('POST', '/otlp/v1/logs?x=1')).to.equal('logs');
  });

  it('names nothing when the method, the spelling or the form of the target differs', () => {
    const others: [string | undefined, string | undefined][] = [
      ['GET', '/otlp/v1/traces'],
      ['PUT', '/otlp/v1/logs'],
      [undefined, '/otlp/v1/traces'],
      ['POST', undefined],
      ['POST', '/otlp/v1/traces/'],
      ['POST', '/OTLP/v1/traces'],
      ['POST', '/otlp/v1/metrics'],
      ['POST', 'http://host/otlp/v1/traces'],
      ['POST', '//otlp/v1/traces'],
      ['POST', '/otlp/v1/traces#x'],
      ['POST', '/api/otlp/v1/traces'],
    ];
    for (const [method, url] of others) expect(browserTelemetrySignalOf(method, url), `${String(method)} ${String(url)}`).to.equal(undefined);
  });
});
