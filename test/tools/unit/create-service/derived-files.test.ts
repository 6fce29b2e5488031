import { expect } from 'chai';
import { derivePackageJson, deriveTsconfig, type RootPackageJson } from '../../../../tools/create-service/index.ts';

describe('deriveTsconfig', () => {
  const root = { compilerOptions: { strict: true }, include: ['src', 'test', 'tools', './eslint.config.js'], exclude: ['tools/template'] };

  it('keeps the compiler options and the include entries the project has, and drops an exclude left empty', () => {
    expect(deriveTsconfig(root, ['src/main.ts', 'test/a.test.ts', 'eslint.config.js'])).to.deep.equal({
      compilerOptions: { strict: true },
      include: ['src', 'test', './eslint.config.js'],
    });
  });

  it('keeps an exclude entry the project has', () => {
    expect(deriveTsconfig(root, ['src/main.ts', 'tools/template/main.ts']).exclude).to.deep.equal(['tools/template']);
  });

  it('drops an exclude entry the project lacks when it has the entry\'s top-level folder', () => {
    const withPage = { ...root, exclude: ['tools/template', 'src/demo/page/page.ts'] };
    expect(deriveTsconfig(withPage, ['src/main.ts', 'tools/other.ts'])).not.to.have.property('exclude');
    expect(deriveTsconfig(withPage, ['src/main.ts', 'src/demo/page/page.ts']).exclude).to.deep.equal(['src/demo/page/page.ts']);
  });

  it('throws naming the include entries when none is left', () => {
    expect(() => deriveTsconfig(root, ['docs/index.md'])).to.throw(/none of its include entries \(src, test, tools, \.\/eslint\.config\.js\)/);
  });
});

describe('derivePackageJson', () => {
  const root: RootPackageJson = {
    name: 'template',
    version: '3.1.0',
    scripts: {
      start: 'node a.ts',
      dev: 'node --watch a.ts',
      'test:fast': 'f',
      typecheck: 't',
      lint: 'l',
      'test:unit': 'u',
      'test:integration': 'i',
      'test:load': 's',
      'test:process': 'p',
      trace: 'node tr.ts',
      'update-core': 'node uc.ts',
      bench: 'b',
    },
    dependencies: { express: '5.3.0', jose: '6.2.18' },
    devDependencies: { mocha: '12.0.3', esbuild: '0.28.2', 'cli-table3': '0.6.5', 'yocto-spinner': '1.2.2' },
  };

  it("lists start and test first, then the kept scripts (dev among them) in this repository's order, typecheck of its own tsconfig only, and nothing else", () => {
    expect(Object.entries(derivePackageJson(root, 'orders').scripts)).to.deep.equal([
      ['start', 'node a.ts'],
      ['test', 'npm run typecheck && npm run lint && npm run test:unit && npm run test:integration && npm run test:load && npm run test:process'],
      ['dev', 'node --watch a.ts'],
      ['test:fast', 'f'],
      ['typecheck', 'tsc --noEmit --incremental --tsBuildInfoFile node_modules/.cache/tsc/main.tsbuildinfo'],
      ['lint', 'l'],
      ['test:unit', 'u'],
      ['test:integration', 'i'],
      ['test:load', 's'],
      ['test:process', 'p'],
      ['trace', 'node tr.ts'],
      ['update-core', 'node uc.ts'],
    ]);
  });

  it("leaves out the demo's and the tooling's packages, and keeps the session lookup's table and spinner", () => {
    const pkg = derivePackageJson(root, 'orders');
    expect(pkg.dependencies).to.deep.equal({ express: '5.3.0' });
    expect(pkg.devDependencies).to.deep.equal({ mocha: '12.0.3', 'cli-table3': '0.6.5', 'yocto-spinner': '1.2.2' });
  });

  it('throws naming a script the project must keep when this repository lacks it', () => {
    const scripts = Object.fromEntries(Object.entries(root.scripts).filter(([name]) => name !== 'lint'));
    expect(() => derivePackageJson({ ...root, scripts }, 'orders')).to.throw('package.json of template has no "lint" script');
  });
});
