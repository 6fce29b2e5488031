import { expect } from 'chai';
import { lockedVersionChanges, mergeLockfile, type LockedPackage } from '../../../../tools/update-core/index.ts';

const entry = (version: string, flags: Partial<LockedPackage> = {}): LockedPackage => ({
  version,
  resolved: `https://registry.npmjs.org/p/-/p-${version}.tgz`,
  integrity: `sha512-${version}`,
  ...flags,
});

describe('mergeLockfile', () => {
  const base = { lockfileVersion: 3, packages: { '': { name: 'template' }, 'node_modules/a': entry('1.0.0'), 'node_modules/b': entry('1.0.0'), 'node_modules/gone': entry('1.0.0') } };
  const theirs = { lockfileVersion: 3, packages: { '': { name: 'template' }, 'node_modules/a': entry('1.1.0'), 'node_modules/b': entry('1.1.0'), 'node_modules/new': entry('2.0.0') } };

  it("takes the template's entry where the service locks what the base locked, whatever npm's flags", () => {
    const ours = { lockfileVersion: 3, name: 'orders', packages: { '': { name: 'orders' }, 'node_modules/a': entry('1.0.0', { dev: true }), 'node_modules/gone': entry('1.0.0') } };
    const merged = mergeLockfile(base, theirs, ours);
    expect(merged['name']).to.equal('orders');
    expect(merged.packages).to.deep.equal({ '': { name: 'orders' }, 'node_modules/a': entry('1.1.0'), 'node_modules/b': entry('1.1.0'), 'node_modules/new': entry('2.0.0') });
  });

  it("keeps the service's own locked versions", () => {
    const ours = { packages: { '': { name: 'orders' }, 'node_modules/a': entry('1.0.5'), 'node_modules/own': entry('3.0.0') } };
    const merged = mergeLockfile(base, theirs, ours);
    expect(merged.packages?.['node_modules/a']).to.deep.equal(entry('1.0.5'));
    expect(merged.packages?.['node_modules/own']).to.deep.equal(entry('3.0.0'));
  });
});

describe('lockedVersionChanges', () => {
  it('lists each package whose locked version changed, appeared or went, but not the project', () => {
    const before = { packages: { '': { version: '0.1.0' }, 'node_modules/a': entry('1.0.0'), 'node_modules/b': entry('1.0.0') } };
    const after = { packages: { '': { version: '0.2.0' }, 'node_modules/a': entry('1.1.0'), 'node_modules/c': entry('2.0.0') } };
    expect(lockedVersionChanges(before, after)).to.deep.equal(['node_modules/a: 1.0.0 -> 1.1.0', 'node_modules/b: 1.0.0 -> none', 'node_modules/c: none -> 2.0.0']);
  });
});
