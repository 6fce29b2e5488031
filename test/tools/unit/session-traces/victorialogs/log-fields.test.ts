import { expect } from 'chai';
import { fieldsThatMatter, streamFieldNames } from '../../../../../tools/session-traces/victorialogs/log-fields.ts';
import { storedLine } from '../../../support/session-traces/log-fixtures.ts';

describe('fieldsThatMatter', () => {
  it("lists the request's method, route, status and duration first, then the rest by name, when a line has them all", () => {
    const line = storedLine({ 'user.agent': 'curl', 'error.type': 'Timeout', 'http.request.method': 'GET', 'http.method': undefined });
    expect(fieldsThatMatter(line).map(([name]) => name)).to.deep.equal(['http.request.method', 'http.route', 'http.status_code', 'duration_ms', 'error.type', 'user.agent']);
  });

  it('leaves out the store, resource, scope, search key, ids and severity when a line has them', () => {
    const line = storedLine({ trace_flags: '01', 'service.version': '0.1.0', _stream: '{host.name="web-1",service.name="api"}', 'host.name': 'web-1' });
    const names = fieldsThatMatter(line).map(([name]) => name);
    for (const hidden of ['_msg', '_time', '_stream', '_stream_id', 'session.id', 'user.id', 'trace_id', 'span_id', 'trace_flags', 'severity_text', 'severity_number', 'service.name', 'service.version', 'scope.name', 'scope.version', 'host.name']) {
      expect(names).not.to.include(hidden);
    }
  });

  it('leaves out a name that prints as a hidden one when it holds invisible characters', () => {
    const forged = storedLine({ 'session.id\u200b': 'spoofed-session', '\u2060user.id': 'x', 'service.\u{E0041}version': '9', '_\u200dstream_id': 'y' });
    expect(fieldsThatMatter(forged)).to.deep.equal(fieldsThatMatter(storedLine()));
  });

  it('gives the same order whatever order the fields come in', () => {
    const line = storedLine({ zeta: '1', alpha: '2', 'http.status_code': '200' });
    const reversed = Object.fromEntries(Object.entries(line).reverse());
    expect(fieldsThatMatter(reversed)).to.deep.equal(fieldsThatMatter(line));
  });
});

describe('streamFieldNames', () => {
  it('reads the names of a _stream whose values hold quotes, commas and braces', () => {
    expect([...streamFieldNames('{host.name="a\\",b={c}",service.name="api"}')]).to.deep.equal(['host.name', 'service.name']);
  });

  it('reads no names when there is no stream', () => {
    expect(streamFieldNames(undefined).size).to.equal(0);
  });
});
