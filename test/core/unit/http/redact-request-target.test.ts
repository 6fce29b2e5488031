import { expect } from 'chai';
import { redactRequestTarget } from '../../../../src/core/http/redact-request-target.ts';

describe('redactRequestTarget', () => {
  it('cuts the whole target, its query and its path from each / on, raw and decoded, when quoted', () => {
    const target = '/api/users/caf%C3%A9/orders?token=s%20t';
    const cases: [string, string][] = [
      [`GET ${target} failed`, 'GET [request path] failed'],
      ['no /users/caf%C3%A9/orders here', 'no [request path] here'],
      ['no /users/café/orders here', 'no [request path] here'],
      ['at /orders.', 'at [request path].'],
      ['query ?token=s%20t and ?token=s t', 'query [request path] and [request path]'],
      ['/api/users/café/orders?token=s t', '[request path]'],
    ];
    for (const [text, expected] of cases) expect(redactRequestTarget(text, target), text).to.equal(expected);
  });

  it('keeps text that only looks like part of the target when it is not a spelling', () => {
    const target = '/api/a%2Fbc/items';
    // `%2F` decodes to a `/` that starts no spelling ("/items" is one); "api/…" lacks the leading `/`; "/s" is too short.
    expect(redactRequestTarget('at /bc/items, api/a%2Fbc, /s and /i', target)).to.equal('at /bc[request path], api/a%2Fbc, /s and /i');
    expect(redactRequestTarget('at /a/bc/items', target)).to.equal('at [request path]');
  });

  it('still cuts the decoded path below a segment that does not decode', () => {
    const target = '/bad%E0%A4%A/name%20x/y';
    expect(redactRequestTarget('open /name x/y, /bad%E0%A4%A/name%20x/y', target)).to.equal('open [request path], [request path]');
  });

  it('makes overlapping quotes one mark and adjacent quotes two', () => {
    const target = '/x/ab/x/ab';
    // "/x/ab/x/ab" at 0 and "/x/ab" at 5 overlap the quote "/ab/x/ab" at 2.
    expect(redactRequestTarget('</x/ab/x/ab/x/ab>', target)).to.equal('<[request path]>');
    expect(redactRequestTarget('</x/abc/x/abc>', '/x/abc')).to.equal('<[request path][request path]>');
  });

  it('returns text that quotes nothing unchanged', () => {
    const text = 'Error: boom\n    at handler (/srv/app/src/routes.ts:10:5)';
    expect(redactRequestTarget(text, '/api/orders/7')).to.equal(text);
    expect(redactRequestTarget(text, '*')).to.equal(text);
    expect(redactRequestTarget('', '/api/orders/7')).to.equal('');
  });

  it('cuts every quote of a long path of short segments', () => {
    const target = '/a'.repeat(20_000);
    expect(redactRequestTarget(`x${target}y /a/a/a z /a`, target)).to.equal('x[request path]y [request path] z /a');
  });
});
