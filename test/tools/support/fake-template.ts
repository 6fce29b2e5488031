import { spawnSync } from 'node:child_process';
import { mkdirSync, readdirSync, rmSync, writeFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { formatTemplateRecord, TEMPLATE_RECORD_FILE } from '../../../tools/update-core/index.ts';

/**
 * The create-service of a fake template: it plans each file under the template's `core/` as
 * the copied core file `src/core/<path>`, and a fixed package.json and lockfile. Plain
 * JavaScript, so that the Node running the tests loads it as the template's own.
 */
const FAKE_CREATE_SERVICE = `
import { readdirSync, readFileSync, statSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
const root = fileURLToPath(new URL('../../', import.meta.url));
export function planService() {
  const core = join(root, 'core');
  const files = readdirSync(core, { recursive: true })
    .filter((path) => statSync(join(core, path)).isFile())
    .map((path) => ({ path: 'src/core/' + path.split('\\\\').join('/'), content: readFileSync(join(core, path)), mode: 0o644, origin: 'copied' }));
  files.push({ path: 'package.json', content: Buffer.from(${JSON.stringify(JSON.stringify({ name: 'service', version: '0.1.0', dependencies: {} }))}), mode: 0o644, origin: 'derived' });
  files.push({ path: 'package-lock.json', content: Buffer.from(${JSON.stringify(JSON.stringify({ name: 'service', lockfileVersion: 3, packages: { '': { name: 'service' } } }))}), mode: 0o644, origin: 'derived' });
  return { files };
}
`;

/** Runs git in `cwd` with a fixed identity; throws with git's output when it fails. */
export function git(cwd: string, args: readonly string[]): string {
  const result = spawnSync('git', ['-c', 'user.name=update-core test', '-c', 'user.email=test@example.invalid', '-c', 'commit.gpgsign=false', ...args], { cwd, encoding: 'utf8' });
  if (result.status !== 0) throw new Error(`git ${args.join(' ')} failed in ${cwd}: ${result.stderr}`);
  return result.stdout;
}

/** Writes `files` (paths relative to `dir`) into `dir`, making their folders. */
export function writeFiles(dir: string, files: Readonly<Record<string, string>>): void {
  for (const [path, content] of Object.entries(files)) {
    mkdirSync(dirname(join(dir, path)), { recursive: true });
    writeFileSync(join(dir, path), content);
  }
}

/**
 * Commits, in the fake template repository at `dir` (made on the first call), its core as
 * `core` (paths under `core/`, the files of the last commit removed) and `createService` as its
 * tools/create-service/index.ts (the fake one by default).
 * @returns the commit's id.
 */
export function commitFakeTemplate(dir: string, core: Readonly<Record<string, string>>, createService = FAKE_CREATE_SERVICE): string {
  if (readdirSync(dir).length === 0) git(dir, ['init', '--quiet', '--initial-branch=main']);
  rmSync(join(dir, 'core'), { recursive: true, force: true });
  writeFiles(dir, {
    'package.json': `${JSON.stringify({ name: 'fake-template', version: '1.0.0', type: 'module' })}\n`,
    'tools/create-service/index.ts': createService,
    ...Object.fromEntries(Object.entries(core).map(([path, content]) => [`core/${path}`, content])),
  });
  git(dir, ['add', '--all']);
  git(dir, ['commit', '--quiet', '--allow-empty', '--message', 'fake template']);
  return git(dir, ['rev-parse', 'HEAD']).trim();
}

/** Makes at `dir` the service the fake template's `commit` with `core` makes: its core files, package.json, lockfile and record. */
export function makeFakeService(dir: string, commit: string, core: Readonly<Record<string, string>>): void {
  writeFiles(dir, {
    'package.json': JSON.stringify({ name: 'service', version: '0.1.0', dependencies: {} }),
    'package-lock.json': JSON.stringify({ name: 'service', lockfileVersion: 3, packages: { '': { name: 'service' } } }),
    [TEMPLATE_RECORD_FILE]: formatTemplateRecord({ template: 'fake-template', version: '1.0.0', commit, dirty: false }),
    ...Object.fromEntries(Object.entries(core).map(([path, content]) => [`src/core/${path}`, content])),
  });
}
