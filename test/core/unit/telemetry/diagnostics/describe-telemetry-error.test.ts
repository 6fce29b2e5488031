import { expect } from 'chai';
import { describeTelemetryError } from '../../../../../src/core/telemetry/diagnostics/describe-telemetry-error.ts';

function networkError(code: string, address: string, port: number): Error {
  return Object.assign(new Error(`connect ${code} ${address}:${port}`), { code, address, port, syscall: 'connect' });
}

describe('describeTelemetryError', () => {
  it('names the endpoint and the reason when the collector refuses connections', () => {
    expect(describeTelemetryError(networkError('ECONNREFUSED', '127.0.0.1', 4318))).to.equal(
      'Telemetry export failed: nothing accepts connections at 127.0.0.1:4318 (ECONNREFUSED)',
    );
  });

  it('names the endpoint and the code for a network error it has no words for', () => {
    expect(describeTelemetryError(networkError('EPIPE', '10.0.0.1', 4317))).to.equal(
      'Telemetry export failed: the connection to 10.0.0.1:4317 failed (EPIPE)',
    );
  });

  it('gives the HTTP status when the collector answered with an error status', () => {
    const error = Object.assign(new Error('Service Unavailable'), { name: 'OTLPExporterError', code: 503 });
    expect(describeTelemetryError(error)).to.equal('Telemetry export failed: the collector answered HTTP 503 (Service Unavailable)');
  });

  it('falls back to the error name and message for anything else', () => {
    expect(describeTelemetryError(new TypeError('bad sampler'))).to.equal('Telemetry error: TypeError: bad sampler');
    expect(describeTelemetryError('plain text')).to.equal('Telemetry error: plain text');
  });

  it('never produces JSON or a stack trace', () => {
    const text = describeTelemetryError(networkError('ECONNREFUSED', '127.0.0.1', 1));
    expect(text).to.not.match(/^[{[]/);
    expect(text).to.not.include('\n');
  });
});
