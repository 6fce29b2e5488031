import { expect } from 'chai';
import { mergePackageJson } from '../../../../tools/update-core/index.ts';

describe('mergePackageJson', () => {
  const base = {
    name: 'service',
    scripts: { start: 'node a.ts', test: 'npm run test:quick' },
    dependencies: { express: '5.3.0', winston: '3.19.0', jose: '6.2.18' },
    devDependencies: { mocha: '12.0.3' },
  };

  it("takes the template's added, changed and removed entries where the service kept the base's", () => {
    const theirs = {
      ...base,
      scripts: { ...base.scripts, dev: 'node --watch a.ts' },
      dependencies: { express: '5.4.0', winston: '3.19.0', uuid: '9.0.1' },
    };
    const { merged, changes, conflicts } = mergePackageJson(base, theirs, base);
    expect(merged['dependencies']).to.deep.equal({ express: '5.4.0', uuid: '9.0.1', winston: '3.19.0' });
    expect(merged['scripts']).to.deep.equal({ start: 'node a.ts', test: 'npm run test:quick', dev: 'node --watch a.ts' });
    expect(changes).to.deep.equal(['scripts.dev: added node --watch a.ts', 'dependencies.express: 5.3.0 -> 5.4.0', 'dependencies.jose: removed 6.2.18', 'dependencies.uuid: added 9.0.1']);
    expect(conflicts).to.deep.equal([]);
  });

  it("keeps the service's own fields, scripts and dependencies, sorted by name as npm writes them", () => {
    const ours = { ...base, name: 'orders', version: '2.0.0', scripts: { ...base.scripts, seed: 'node seed.ts' }, dependencies: { ...base.dependencies, debug: '4.4.3' } };
    const theirs = { ...base, dependencies: { ...base.dependencies, ms: '2.1.3' } };
    const { merged } = mergePackageJson(base, theirs, ours);
    expect(merged).to.include({ name: 'orders', version: '2.0.0' });
    expect(merged['scripts']).to.deep.equal(ours.scripts);
    expect(Object.keys(merged['dependencies'] as object)).to.deep.equal(['debug', 'express', 'jose', 'ms', 'winston']);
  });

  it("keeps and reports the service's value when both changed an entry differently", () => {
    const ours = { ...base, dependencies: { ...base.dependencies, winston: '3.20.0' } };
    const theirs = { ...base, dependencies: { ...base.dependencies, winston: '3.21.0' } };
    const { merged, conflicts } = mergePackageJson(base, theirs, ours);
    expect((merged['dependencies'] as Record<string, string>)['winston']).to.equal('3.20.0');
    expect(conflicts).to.deep.equal(['dependencies.winston: this service has "3.20.0", the template changed "3.19.0" to "3.21.0"; this service\'s kept']);
  });

  it('changes nothing where the service made the same change as the template, or the template none', () => {
    const ours = { ...base, dependencies: { ...base.dependencies, express: '5.4.0' }, devDependencies: {} };
    const theirs = { ...base, dependencies: { ...base.dependencies, express: '5.4.0' } };
    const { merged, changes, conflicts } = mergePackageJson(base, theirs, ours);
    expect(merged).to.deep.equal(ours);
    expect([...changes, ...conflicts]).to.deep.equal([]);
  });
});
