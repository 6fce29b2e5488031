import { spawnSync } from 'node:child_process';
import { appendFileSync, cpSync, existsSync, mkdirSync, readFileSync, rmSync, symlinkSync, writeFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';
import { expect } from 'chai';
import { listFiles } from '../../../tools/create-service/index.ts';
import { readTemplateRecord, type Lockfile } from '../../../tools/update-core/index.ts';
import { makeTempDir, type TempDir } from '../support/create-service-run.ts';
import { freshMachineEnv, runCommand, type CommandOutcome } from '../support/run-command.ts';

const repositoryRoot = fileURLToPath(new URL('../../../', import.meta.url));

/** Bound of one command of the scenario (a create-service, an update-core with its npm run). */
const COMMAND_TIMEOUT_MS = 120_000;

interface PackageJson {
  name: string;
  scripts: Record<string, string>;
  dependencies: Record<string, string>;
}

/** Runs git in `cwd` with a fixed identity; throws with git's output when it fails. */
function git(cwd: string, args: string[]): string {
  const result = spawnSync('git', ['-c', 'user.name=update-core test', '-c', 'user.email=test@example.invalid', '-c', 'commit.gpgsign=false', ...args], { cwd, encoding: 'utf8' });
  if (result.status !== 0) throw new Error(`git ${args.join(' ')} failed in ${cwd}: ${result.stderr}`);
  return result.stdout;
}

/** This work tree's files (committed or not, ignored ones aside) copied into `into`, committed there as the first commit of a new repository. */
function copyTemplate(into: string): void {
  const paths = git(repositoryRoot, ['ls-files', '-z', '--cached', '--others', '--exclude-standard']).split('\0').filter((path) => path !== '');
  for (const path of paths) {
    if (!existsSync(join(repositoryRoot, path))) continue;
    mkdirSync(dirname(join(into, path)), { recursive: true });
    cpSync(join(repositoryRoot, path), join(into, path));
  }
  git(into, ['init', '--quiet', '--initial-branch=main']);
  git(into, ['add', '--all']);
  git(into, ['commit', '--quiet', '--message', 'A']);
}

const readJson = (path: string): unknown => JSON.parse(readFileSync(path, 'utf8'));
const readPackage = (path: string): PackageJson => readJson(path) as PackageJson;
const readLock = (path: string): Lockfile => readJson(path) as Lockfile;
const editPackage = (path: string, edit: (pkg: PackageJson) => void): void => {
  const value = readPackage(path);
  edit(value);
  writeFileSync(path, `${JSON.stringify(value, null, 2)}\n`);
};

describe('npm run update-core in a generated service', function () {
  this.timeout(4 * COMMAND_TIMEOUT_MS);

  let temp: TempDir;
  let template: string;
  let commitA: string;
  let commitB: string;
  /** A package the template locks (without dependencies of its own) that the services do not: the dependency commit B adds. */
  let added: { name: string; version: string };
  /** The service whose edit of a core file conflicts with commit B's, and one whose does not. */
  const services = { conflicted: '', clean: '' };
  const ownMain = { conflicted: '', clean: '' };
  let deletedPath: string;
  let conflictedRun: CommandOutcome;
  let cleanRun: CommandOutcome;

  const run = (command: string[], cwd: string): Promise<CommandOutcome> => runCommand(command, { cwd, env: freshMachineEnv(), timeoutMs: COMMAND_TIMEOUT_MS });
  const updateCore = (service: string, source: string): Promise<CommandOutcome> => run(['npm', 'run', '--silent', 'update-core', '--', source], service);

  before(async () => {
    temp = makeTempDir('update-core-');
    template = join(temp.path, 'template');
    copyTemplate(template);
    commitA = git(template, ['rev-parse', 'HEAD']).trim();

    for (const name of ['conflicted', 'clean'] as const) {
      const service = join(temp.path, name);
      const created = await run([process.execPath, join(template, 'tools', 'create-service', 'main.ts'), service, '--name', name], template);
      expect(created.code, created.output).to.equal(0);
      // The service's npm scripts need its Node 24: this repository's packages stand in for its npm ci.
      symlinkSync(join(repositoryRoot, 'node_modules'), join(service, 'node_modules'), 'dir');
      // Its own code, an edit of a core file that commit B's edit of the same file does not
      // touch, and its own dependency and script.
      appendFileSync(join(service, 'src', 'main.ts'), `// ${name}'s own line\n`);
      ownMain[name] = readFileSync(join(service, 'src', 'main.ts'), 'utf8');
      appendFileSync(join(service, 'src', 'core', 'index.ts'), `// ${name}'s edit at the end of the core's entry\n`);
      editPackage(join(service, 'package.json'), (pkg) => {
        pkg.scripts['seed'] = 'node seed.ts';
        pkg.dependencies['debug'] = readLock(join(service, 'package-lock.json')).packages?.['node_modules/debug']?.version ?? 'missing';
      });
      services[name] = service;
    }
    // Only this service edits the line commit B edits.
    const preload = join(services.conflicted, 'src', 'core', 'preload.ts');
    writeFileSync(preload, readFileSync(preload, 'utf8').replace(/^(.*\n)(.*)\n/, "$1 * the service's version of this line\n"));

    // Commit B: an edit of the core's entry at its start, another of the preload's second line,
    // a core file added, a core test deleted, a dependency added.
    const entry = join(template, 'src', 'core', 'index.ts');
    writeFileSync(entry, `// commit B's line at the start of the core's entry\n${readFileSync(entry, 'utf8')}`);
    const templatePreload = join(template, 'src', 'core', 'preload.ts');
    writeFileSync(templatePreload, readFileSync(templatePreload, 'utf8').replace(/^(.*\n)(.*)\n/, "$1 * commit B's version of this line\n"));
    writeFileSync(join(template, 'src', 'core', 'added-by-b.ts'), 'export const addedByB = true;\n');
    deletedPath = `test/core/${listFiles(join(template, 'test', 'core')).find((file) => file.path.endsWith('.test.ts'))!.path}`;
    rmSync(join(template, deletedPath));
    const serviceLock = readLock(join(services.clean, 'package-lock.json')).packages ?? {};
    const [path, locked] = Object.entries(readLock(join(template, 'package-lock.json')).packages ?? {}).find(
      ([key, value]) => /^node_modules\/[^/@]+$/.test(key) && serviceLock[key] === undefined && value['dependencies'] === undefined && value['optionalDependencies'] === undefined,
    )!;
    added = { name: path.slice('node_modules/'.length), version: locked.version! };
    editPackage(join(template, 'package.json'), (pkg) => {
      pkg.dependencies[added.name] = added.version;
    });
    git(template, ['add', '--all']);
    git(template, ['commit', '--quiet', '--message', 'B']);
    commitB = git(template, ['rev-parse', 'HEAD']).trim();

    conflictedRun = await updateCore(services.conflicted, template);
    cleanRun = await updateCore(services.clean, pathToFileURL(template).href);
  });

  after(() => {
    temp.remove();
  });

  it('merges a core file both changed in different places, and leaves the conflicting one marked, listed, with exit code 1', () => {
    expect(conflictedRun.code, conflictedRun.output).to.equal(1);
    const entry = readFileSync(join(services.conflicted, 'src', 'core', 'index.ts'), 'utf8');
    expect(entry).to.match(/^\/\/ commit B's line at the start of the core's entry\n/).and.match(/\/\/ conflicted's edit at the end of the core's entry\n$/);
    const preload = readFileSync(join(services.conflicted, 'src', 'core', 'preload.ts'), 'utf8');
    expect(preload).to.include(
      `<<<<<<< this service\n * the service's version of this line\n=======\n * commit B's version of this line\n>>>>>>> template ${commitB.slice(0, 12)}\n`,
    );
    expect(conflictedRun.output).to.match(/1 conflict to resolve/).and.match(/^ {2}src\/core\/preload\.ts: 1 conflicting change, marked$/m);
    expect(conflictedRun.output).to.match(/^ {2}merged {3}src\/core\/index\.ts$/m);
  });

  it('adds the core file the template added and deletes the core test it deleted', () => {
    expect(readFileSync(join(services.conflicted, 'src', 'core', 'added-by-b.ts'), 'utf8')).to.equal('export const addedByB = true;\n');
    expect(existsSync(join(services.conflicted, deletedPath)), deletedPath).to.equal(false);
  });

  it("leaves the service's own code as it was", () => {
    for (const name of ['conflicted', 'clean'] as const) {
      expect(readFileSync(join(services[name], 'src', 'main.ts'), 'utf8'), name).to.equal(ownMain[name]);
      expect(readFileSync(join(services[name], 'README.md'), 'utf8'), name).to.match(new RegExp(`^# ${name}\n`));
    }
  });

  it("adds the template's new dependency to package.json and the lockfile, keeping the service's own", () => {
    const pkg = readPackage(join(services.conflicted, 'package.json'));
    expect(pkg.name).to.equal('conflicted');
    expect(pkg.dependencies).to.include({ [added.name]: added.version }).and.to.have.property('debug');
    // The service's own script kept; the template's scripts as this repository defines them.
    const templateScripts = readPackage(join(repositoryRoot, 'package.json')).scripts;
    expect(pkg.scripts).to.include({ seed: 'node seed.ts', 'update-core': templateScripts['update-core'] });
    const lock = readLock(join(services.conflicted, 'package-lock.json'));
    const project = lock.packages?.[''] as { dependencies?: Record<string, string> } | undefined;
    expect(project?.dependencies).to.include({ [added.name]: added.version }).and.to.have.property('debug');
    expect(lock.packages?.[`node_modules/${added.name}`]?.version).to.equal(added.version);
  });

  it('records the new commit in template.json, conflicts or not', () => {
    for (const name of ['conflicted', 'clean'] as const) {
      expect(readTemplateRecord(services[name]), name).to.include({ commit: commitB, dirty: false });
    }
    expect(commitB).not.to.equal(commitA);
  });

  it('merges without conflict and exits 0 when the edits do not overlap, from a file:// URL', () => {
    expect(cleanRun.code, cleanRun.output).to.equal(0);
    expect(cleanRun.output).not.to.include('conflict');
    expect(readFileSync(join(services.clean, 'src', 'core', 'preload.ts'), 'utf8')).to.include(" * commit B's version of this line\n").and.not.include('<<<<<<<');
    const pkg = readPackage(join(services.clean, 'package.json'));
    expect(pkg.dependencies).to.include({ [added.name]: added.version }).and.to.have.property('debug');
  });

  it('refuses to run again, changing nothing, while the conflict markers of the last update remain', async () => {
    const preload = readFileSync(join(services.conflicted, 'src', 'core', 'preload.ts'), 'utf8');
    const again = await updateCore(services.conflicted, template);
    expect(again.code, again.output).to.equal(2);
    expect(readFileSync(join(services.conflicted, 'src', 'core', 'preload.ts'), 'utf8')).to.equal(preload);
    expect(again.output).to.include('update-core: resolve the conflict markers of the last update first: src/core/preload.ts');
  });

  it('runs the session lookup: npm run trace -- --help', async () => {
    const trace = await run(['npm', 'run', '--silent', 'trace', '--', '--help'], services.clean);
    expect(trace.code, trace.output).to.equal(0);
    expect(trace.output).to.match(/^Usage: session-traces <sessionId>/);
  });
});
