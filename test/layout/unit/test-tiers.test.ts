import { globSync, readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { expect } from 'chai';

const projectRoot = fileURLToPath(new URL('../../../', import.meta.url));
const scripts = (JSON.parse(readFileSync(`${projectRoot}package.json`, 'utf8')) as { scripts: Record<string, string | undefined> }).scripts;

/** The script `name`, or a failure naming it. */
function script(name: string): string {
  const text = scripts[name];
  if (text === undefined) throw new Error(`package.json has no "${name}" script`);
  return text;
}

/** The steps of a script made of `npm run <step>` joined by `&&`, each with its arguments. */
function steps(name: string): string[] {
  return script(name)
    .split(' && ')
    .map((step) => {
      const run = /^npm run (.+)$/.exec(step);
      if (run === null) throw new Error(`"${name}" has a step that is not \`npm run <script>\`: ${step}`);
      return run[1]!;
    });
}

/** The test files a mocha script runs: the files its quoted globs match. */
function testFiles(name: string): string[] {
  const globs = [...script(name).matchAll(/'([^']+\.test\.ts)'/g)].map(([, glob]) => glob!);
  return globs.flatMap((glob) => globSync(glob, { cwd: projectRoot }));
}

/** The tiers `npm test` runs, in its order: the scripts named test:<tier>. */
const TIERS = ['test:unit', 'test:integration', 'test:load', 'test:process', 'test:template', 'test:e2e', 'test:compose'];

describe('the test tiers of package.json', () => {
  it('makes test:fast the type check, ESLint with its cache, and the unit and integration tests, nothing else', () => {
    expect(steps('test:fast')).to.deep.equal([
      'typecheck',
      'lint -- --cache --cache-strategy content --cache-location node_modules/.cache/eslint/',
      'test:unit',
      'test:integration',
    ]);
  });

  it('makes npm test every tier, with ESLint run without a cache, as CI runs it', () => {
    expect(steps('test')).to.deep.equal(['typecheck', 'lint', ...TIERS]);
    const tierScripts = Object.keys(scripts).filter((name) => name.startsWith('test:') && name !== 'test:fast');
    expect(tierScripts.sort()).to.deep.equal([...TIERS].sort());
  });

  it('runs every test file in exactly one tier', () => {
    const runs = new Map<string, string[]>();
    for (const tier of TIERS) {
      for (const file of testFiles(tier)) runs.set(file, [...(runs.get(file) ?? []), tier]);
    }
    const everyFile = globSync('test/**/*.test.ts', { cwd: projectRoot }).sort();
    expect(everyFile.filter((file) => (runs.get(file) ?? []).length !== 1).map((file) => `${file}: ${(runs.get(file) ?? []).join(', ') || 'no tier'}`)).to.deep.equal([]);
    expect(everyFile.length).to.be.above(100);
  });

  it('keeps the soak test, 20,000 requests, out of test:fast', () => {
    expect(testFiles('test:integration').filter((file) => file.includes('soak'))).to.deep.equal([]);
    expect(testFiles('test:load')).to.include('test/core/load/soak.test.ts');
  });
});
