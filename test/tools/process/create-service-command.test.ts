import { appendFileSync, existsSync, lstatSync, mkdirSync, readdirSync, readFileSync, readlinkSync, symlinkSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { expect } from 'chai';
import { fileURLToPath } from 'node:url';
import { EXIT, planService } from '../../../tools/create-service/index.ts';
import { createService, makeTempDir, type TempDir } from '../support/create-service-run.ts';

const repositoryRoot = fileURLToPath(new URL('../../../', import.meta.url));

/**
 * A path under `base` exactly `length` characters long, made of folders of at most 255
 * characters. Linux refuses a path of 4,096 characters or more (ENAMETOOLONG): a target of
 * 4,070 leaves room for the plan's top-level files (up to 19 characters) but not for
 * src/core/config/core-config.ts, so the write fails part-way.
 */
function pathOfLength(base: string, length: number): string {
  let path = base;
  while (length - path.length > 256) path = join(path, 'd'.repeat(200));
  return join(path, 'e'.repeat(length - path.length - 1));
}

describe('create-service (the command)', function () {
  // A real creation lets npm prune the lockfile: about a second, more on a busy machine.
  this.timeout(60_000);

  let temp: TempDir;

  beforeEach(() => {
    temp = makeTempDir();
  });

  afterEach(() => {
    temp.remove();
  });

  it('prints the usage on stdout and exits 0 with --help', async () => {
    const run = await createService(['--help'], temp.path);
    expect(run.code).to.equal(EXIT.DONE);
    expect(run.stdout).to.match(/^Usage: npm run create-service -- <dir> --name <service-name> \[--dry-run\]/);
    expect(run.stderr).to.equal('');
  });

  const usageErrors: [string, string[], RegExp][] = [
    ['no directory', ['--name', 'orders'], /give the directory to create/],
    ['no --name', ['orders'], /--name <service-name> is required/],
    ['--name without a value', ['orders', '--name'], /argument missing/],
    ['two directories', ['a', 'b', '--name', 'orders'], /give one directory, got 2/],
    ['an invalid name', ['orders', '--name', 'Orders_Service'], /invalid service name "Orders_Service": use 1 to 63 characters/],
    ['a name YAML reads as a boolean', ['orders', '--name', 'no'], /invalid service name "no": YAML reads it as a boolean, not as text/],
    ['an unknown option', ['orders', '--name', 'orders', '--force'], /Unknown option '--force'/],
  ];
  for (const [description, argv, message] of usageErrors) {
    it(`exits 2 with one line on stderr and writes nothing for ${description}`, async () => {
      const run = await createService(argv, temp.path);
      expect(run.code).to.equal(EXIT.USAGE);
      expect(run.stderr).to.match(/^create-service: [^\n]*\n$/).and.match(message);
      expect(run.stdout).to.equal('');
      expect(readdirSync(temp.path)).to.deep.equal([]);
    });
  }

  it('refuses an existing non-empty directory with exit 2 and leaves it as it was', async () => {
    const target = join(temp.path, 'taken');
    mkdirSync(target);
    writeFileSync(join(target, 'notes.txt'), 'mine');
    const run = await createService([target, '--name', 'orders'], temp.path);
    expect(run.code).to.equal(EXIT.USAGE);
    expect(run.stderr).to.equal(`create-service: ${target} exists and is not empty (1 entries); give a new or empty directory\n`);
    expect(readdirSync(target)).to.deep.equal(['notes.txt']);
  });

  it('refuses a target that is a file with exit 2', async () => {
    const target = join(temp.path, 'a-file');
    writeFileSync(target, 'mine');
    const run = await createService([target, '--name', 'orders'], temp.path);
    expect(run.code).to.equal(EXIT.USAGE);
    expect(run.stderr).to.equal(`create-service: ${target} exists and is not a directory; give a new or empty directory\n`);
  });

  it('lists every file it would write and writes nothing with --dry-run', async () => {
    const target = join(temp.path, 'orders');
    const run = await createService([target, '--name', 'orders', '--dry-run'], temp.path);
    expect(run.code).to.equal(EXIT.DONE);
    expect(existsSync(target), 'the target directory').to.equal(false);
    const planned = planService('orders').files.map((file) => file.path);
    const listed = run.stdout
      .split('\n')
      .filter((line) => line.startsWith('  '))
      .map((line) => line.trim().split(' ')[0]);
    expect(listed).to.deep.equal(planned);
    expect(run.stdout).to.match(new RegExp(`^Would create ${target} for service orders, ${planned.length} files:\n`));
    expect(run.stdout).to.match(/\nNothing written \(--dry-run\)\.\n$/);
  });

  it('refuses a non-empty directory with --dry-run too, as the real run would', async () => {
    writeFileSync(join(temp.path, 'notes.txt'), 'mine');
    const run = await createService(['.', '--name', 'orders', '--dry-run'], temp.path);
    expect(run.code).to.equal(EXIT.USAGE);
    expect(run.stderr).to.include('exists and is not empty');
  });

  it('creates a relative directory where the command was typed and prints the next two commands', async () => {
    const run = await createService(['orders', '--name', 'orders'], temp.path);
    expect(run.stderr).to.equal('');
    expect(run.code).to.equal(EXIT.DONE);
    expect(existsSync(join(temp.path, 'orders', 'package.json'))).to.equal(true);
    const files = planService('orders').files.length;
    expect(run.stdout).to.equal(
      `Created ${join(temp.path, 'orders')} for service orders, ${files} files (--dry-run lists them).\n\nNext:\n  cd orders && npm ci && npm start\n  npm run test:fast\n`,
    );
  });

  it('creates the project in an existing empty directory', async () => {
    const run = await createService(['.', '--name', 'orders'], temp.path);
    expect(run.code, run.stderr).to.equal(EXIT.DONE);
    expect(readdirSync(temp.path)).to.include.members(['package.json', 'src', 'test', '.ci']);
    expect(run.stdout).to.include('\n  cd . && npm ci && npm start\n');
  });

  it('quotes a directory with a space in the printed command', async () => {
    const run = await createService(['my orders', '--name', 'orders'], temp.path);
    expect(run.code, run.stderr).to.equal(EXIT.DONE);
    expect(run.stdout).to.include("\n  cd 'my orders' && npm ci && npm start\n");
  });

  it('exits 1 with one line and leaves nothing behind when npm cannot prune the lockfile', async () => {
    const target = join(temp.path, 'orders');
    // No npm on PATH: the prune step fails after every file was written.
    const run = await createService([target, '--name', 'orders'], temp.path, { PATH: join(temp.path, 'no-such-bin') });
    expect(run.code).to.equal(EXIT.FAILED);
    expect(run.stderr).to.match(/^create-service: cannot run npm to prune [^\n]+ \(nothing was left in [^\n]+\)\n$/);
    expect(existsSync(target), 'the target directory').to.equal(false);
  });

  it('refuses a target that is a symbolic link to nothing with exit 2, and leaves the link as it was', async () => {
    const link = join(temp.path, 'orders');
    const nowhere = join(temp.path, 'nowhere');
    symlinkSync(nowhere, link);
    const run = await createService([link, '--name', 'orders'], temp.path, { PATH: join(temp.path, 'no-such-bin') });
    expect(readdirSync(temp.path), 'the folder the command was run in').to.deep.equal(['orders']);
    expect(lstatSync(link).isSymbolicLink(), 'the link').to.equal(true);
    expect(readlinkSync(link)).to.equal(nowhere);
    expect(run.stderr).to.equal(`create-service: ${link} is a symbolic link to ${nowhere}, which does not exist; give a new or empty directory\n`);
    expect(run.code).to.equal(EXIT.USAGE);
  });

  it('removes the parent folders it created with the target when it fails after writing', async () => {
    const target = join(temp.path, 'work', 'team', 'orders');
    const run = await createService([target, '--name', 'orders'], temp.path, { PATH: join(temp.path, 'no-such-bin') });
    expect(run.code).to.equal(EXIT.FAILED);
    expect(readdirSync(temp.path), 'the folder the command was run in, empty again').to.deep.equal([]);
  });

  it('leaves nothing behind, parents included, when a write fails part-way into a new folder', async () => {
    const target = pathOfLength(join(temp.path, 'deep'), 4070);
    const run = await createService([target, '--name', 'orders'], temp.path);
    expect(run.code).to.equal(EXIT.FAILED);
    expect(run.stderr).to.match(/^create-service: ENAMETOOLONG: [^\n]+ \(nothing was left in [^\n]+\)\n$/);
    expect(readdirSync(temp.path), 'the folder the command was run in, empty again').to.deep.equal([]);
  });

  it('removes what it wrote and keeps the folder when a write fails part-way into an existing empty folder', async () => {
    const target = pathOfLength(join(temp.path, 'deep'), 4070);
    mkdirSync(target, { recursive: true });
    const run = await createService([target, '--name', 'orders'], temp.path);
    expect(run.code).to.equal(EXIT.FAILED);
    expect(run.stderr).to.match(/^create-service: ENAMETOOLONG: /);
    expect(readdirSync(target), 'the target, empty again').to.deep.equal([]);
  });

  it('removes only what it wrote from an existing empty directory when it fails', async () => {
    const target = join(temp.path, 'orders');
    mkdirSync(target);
    const run = await createService([target, '--name', 'orders'], temp.path, { PATH: join(temp.path, 'no-such-bin') });
    expect(run.code).to.equal(EXIT.FAILED);
    expect(readdirSync(target), 'the directory, empty again').to.deep.equal([]);
  });

  it('puts the service\'s own src/ and test/ in place of the example with --own-code, and nothing else of that folder', async () => {
    const own = join(temp.path, 'own');
    mkdirSync(join(own, 'src', 'billing'), { recursive: true });
    mkdirSync(join(own, 'test', 'billing'), { recursive: true });
    writeFileSync(join(own, 'src', 'main.ts'), "import { startService } from './core/index.ts';\nstartService();\n");
    writeFileSync(join(own, 'src', 'billing', 'index.ts'), 'export {};\n');
    writeFileSync(join(own, 'test', 'billing', 'notes.md'), 'tests go here\n');
    writeFileSync(join(own, 'README.md'), 'not part of the project\n');
    const run = await createService([join(temp.path, 'billing'), '--name', 'billing', '--own-code', own, '--dry-run'], temp.path);
    expect(run.code).to.equal(EXIT.DONE);
    const planned = planService('billing', own).files;
    expect(planned.filter((file) => file.origin === 'own').map((file) => file.path)).to.deep.equal([
      'src/billing/index.ts',
      'src/main.ts',
      'test/billing/notes.md',
    ]);
    const paths = planned.map((file) => file.path);
    expect(paths.filter((path) => path.includes('example')), 'the example').to.deep.equal([]);
    expect(paths).to.include.members(['src/core/index.ts', 'test/core/support/test-app.ts', 'README.md', 'package.json']);
    expect(planned.find((file) => file.path === 'README.md')!.origin).to.equal('template');
  });

  it("takes a generated service's folder as --own-code: its own src/ and test/, not its node_modules, .git or copy of the core", async () => {
    const generated = join(temp.path, 'generated');
    expect((await createService([generated, '--name', 'generated'], temp.path)).code).to.equal(EXIT.DONE);
    // What an installed, versioned service has: npm's links in node_modules/.bin, a .git folder,
    // an edited core, and code of its own.
    mkdirSync(join(generated, 'node_modules', 'acorn', 'bin'), { recursive: true });
    writeFileSync(join(generated, 'node_modules', 'acorn', 'bin', 'acorn'), '#!/usr/bin/env node\n');
    mkdirSync(join(generated, 'node_modules', '.bin'));
    symlinkSync('../acorn/bin/acorn', join(generated, 'node_modules', '.bin', 'acorn'));
    mkdirSync(join(generated, '.git'));
    writeFileSync(join(generated, '.git', 'HEAD'), 'ref: refs/heads/main\n');
    appendFileSync(join(generated, 'src', 'core', 'index.ts'), '// edited in the service\n');
    mkdirSync(join(generated, 'src', 'billing'));
    writeFileSync(join(generated, 'src', 'billing', 'index.ts'), 'export {};\n');

    const rebuilt = join(temp.path, 'rebuilt');
    const run = await createService([rebuilt, '--name', 'generated', '--own-code', generated], temp.path);
    expect(run.stderr).to.equal('');
    expect(run.code).to.equal(EXIT.DONE);
    const own = planService('generated', generated).files.filter((file) => file.origin === 'own').map((file) => file.path);
    expect(own).to.include.members(['src/main.ts', 'src/billing/index.ts', 'src/example/example-routes.ts', 'test/example/unit/example-config.test.ts']);
    expect(own.filter((path) => !/^(?:src|test)\/(?:main\.ts$|billing\/|example\/)/.test(path)), 'own files outside its own code').to.deep.equal([]);
    expect(readFileSync(join(rebuilt, 'src', 'core', 'index.ts'), 'utf8')).to.equal(readFileSync(join(repositoryRoot, 'src', 'core', 'index.ts'), 'utf8'));
    expect(existsSync(join(rebuilt, 'node_modules')), 'node_modules').to.equal(false);
  });

  it('exits 2 with one line when --own-code is not a folder or has no src/main.ts', async () => {
    const missing = await createService([join(temp.path, 'x'), '--name', 'x', '--own-code', join(temp.path, 'nowhere')], temp.path);
    expect(missing.code).to.equal(EXIT.USAGE);
    expect(missing.stderr).to.match(/^create-service: --own-code \S+ is not a folder\n$/);
    const empty = join(temp.path, 'empty-own');
    mkdirSync(empty);
    const noMain = await createService([join(temp.path, 'z'), '--name', 'z', '--own-code', empty], temp.path);
    expect(noMain.code).to.equal(EXIT.USAGE);
    expect(noMain.stderr).to.match(/has no src\/main\.ts/);
    expect(existsSync(join(temp.path, 'x')) || existsSync(join(temp.path, 'z')), 'a target').to.equal(false);
  });
});
