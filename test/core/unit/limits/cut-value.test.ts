import { expect } from 'chai';
import { cutMark, cutText, cutValue } from '../../../../src/core/limits/index.ts';

describe('cutText', () => {
  it('leaves a string of at most the limit as it is', () => {
    expect(cutText('x'.repeat(64), 64)).to.equal('x'.repeat(64));
  });

  it('keeps the start and ends with the mark naming what was left out, within the limit, when the string is longer', () => {
    const cut = cutText('x'.repeat(1000), 64);
    expect(cut).to.have.length.at.most(64);
    const kept = cut.indexOf('…');
    expect(cut).to.equal(`${'x'.repeat(kept)}${cutMark(1000 - kept)}`);
    expect(cutMark(936)).to.equal('…[936 more characters]');
  });

  it('cuts without a mark when the limit leaves no room for one', () => {
    expect(cutText('abcdefghij', 4)).to.equal('abcd');
  });

  it('never keeps half of a surrogate pair', () => {
    expect(cutText('a😀bc', 2)).to.equal('a');
    const cut = cutText('😀'.repeat(100), 40);
    expect(cut).to.match(/^(?:😀)+…\[\d+ more characters\]$/u);
  });
});

describe('cutValue', () => {
  it('returns numbers, booleans, null, undefined and short strings as they are', () => {
    for (const value of [1, true, null, undefined, 'short']) expect(cutValue(value, 10)).to.equal(value);
  });

  it('copies plain objects, objects without prototype and arrays that hold a long string or key, and leaves the original alone', () => {
    const query = Object.assign(Object.create(null) as Record<string, unknown>, { q: 'y'.repeat(50) });
    const value = { list: ['z'.repeat(50), 'ok'], query, ['k'.repeat(50)]: 1, same: { a: 'ok' } };
    const cut = cutValue(value, 30) as typeof value;
    expect(cut).not.to.equal(value);
    expect(cut.list[0]).to.equal(cutText('z'.repeat(50), 30));
    expect(cut.list[1]).to.equal('ok');
    expect((cut.query as Record<string, unknown>)['q']).to.equal(cutText('y'.repeat(50), 30));
    expect(Object.keys(cut)).to.include(cutText('k'.repeat(50), 30));
    expect(cut.same, 'a part with nothing to cut is not copied').to.equal(value.same);
    expect(value.list[0]).to.equal('z'.repeat(50));
  });

  it('returns the same object when nothing in it is longer than the limit', () => {
    const value = { a: ['b', { c: 'd' }] };
    expect(cutValue(value, 10)).to.equal(value);
  });

  it('leaves errors, class instances and buffers as they are', () => {
    const error = new Error('e'.repeat(50));
    const date = new Date(0);
    const buffer = Buffer.alloc(50);
    for (const value of [error, date, buffer]) expect(cutValue(value, 10)).to.equal(value);
  });

  it('writes a cycle as [Circular] instead of following it', () => {
    const cyclic: Record<string, unknown> = { long: 'l'.repeat(50) };
    cyclic['self'] = cyclic;
    expect(cutValue(cyclic, 30)).to.deep.equal({ long: cutText('l'.repeat(50), 30), self: '[Circular]' });
  });
});
