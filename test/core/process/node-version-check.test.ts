import { chmodSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { expect } from 'chai';
import { runToExit } from '../support/run-to-exit.ts';

const projectRoot = fileURLToPath(new URL('../../../', import.meta.url));
const scripts = (JSON.parse(readFileSync(join(projectRoot, 'package.json'), 'utf8')) as { scripts: Record<string, string> }).scripts;

/**
 * The scripts that must check the Node version first: every script that runs mocha directly
 * (whatever its name: the check is in .mocharc.json, which every mocha run reads) and every
 * script that names the check (start, dev, trace, update-core, the stack suites).
 */
const CHECKED = Object.keys(scripts).filter((name) => /^mocha( |$)/.test(scripts[name] ?? '') || (scripts[name] ?? '').includes('check-node-version.mjs'));

describe('the Node version check', () => {
  let fakeBin: string;

  before(() => {
    // A `node` first on PATH that reports Node 20 (see pretend-old-node.ts) but is Node 24; through
    // NODE_OPTIONS, so that a Node process it starts (mocha does for --node-option) pretends too.
    fakeBin = mkdtempSync(join(tmpdir(), 'old-node-'));
    const pretend = join(projectRoot, 'test/core/support/fixtures/pretend-old-node.ts');
    writeFileSync(join(fakeBin, 'node'), `#!/bin/sh\nNODE_OPTIONS="--import=${pretend}"\nexport NODE_OPTIONS\nexec '${process.execPath}' "$@"\n`);
    chmodSync(join(fakeBin, 'node'), 0o755);
  });

  after(() => {
    rmSync(fakeBin, { recursive: true, force: true });
  });

  it('covers start, dev, the tools a service keeps and every test script but the aggregates', () => {
    // Here and in a generated service, whose scripts are fewer: every one that loads .ts files.
    const mustCheck = Object.keys(scripts).filter(
      (name) => ['start', 'dev', 'trace', 'update-core'].includes(name) || (name.startsWith('test:') && !(scripts[name] ?? '').startsWith('npm run ')),
    );
    expect(mustCheck).to.include.members(['start', 'dev', 'test:unit', 'test:integration', 'test:process']);
    expect(CHECKED).to.include.members(mustCheck);
  });

  for (const name of CHECKED) {
    it(`stops npm run ${name} before any .ts file with one line naming the version and the fix, exit 1, when Node is older than 24`, async () => {
      // As npm runs a script (sh -c), with the old node found first on PATH and mocha after it.
      const run = await runToExit(['/bin/sh', '-c', scripts[name]!], {
        PATH: `${fakeBin}:${join(projectRoot, 'node_modules/.bin')}:${process.env['PATH'] ?? ''}`,
        PORT: '0',
        HOST: '127.0.0.1',
        OTEL_SDK_DISABLED: 'true',
      }, { timeoutMs: 15_000 });
      expect(run.code, `${run.stdout}${run.stderr}`).to.equal(1);
      expect(run.stderr.split('\n').filter(Boolean)).to.have.length(1);
      expect(run.stderr).to.include('This project needs Node 24 or newer').and.include('Node v20.19.0').and.include('npm rebuild node --ignore-scripts=false');
      expect(`${run.stdout}${run.stderr}`).not.to.match(/ERR_UNKNOWN_FILE_EXTENSION|^\s+at /m);
      expect(run.stdout).not.to.include('listening');
    });
  }
});
