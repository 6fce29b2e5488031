import { spawn } from 'node:child_process';
import { once } from 'node:events';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { withoutNpmConfig } from '../update-core/index.ts';

/** How long npm may take to prune the lockfile (it reads no network: well under a second here). */
const PRUNE_TIMEOUT_MS = 120_000;

/** The npm arguments that prune the copied lockfile to the new package.json. */
export const PRUNE_ARGS: readonly string[] = [
  'install',
  '--package-lock-only',
  '--ignore-scripts',
  '--no-audit',
  '--no-fund',
  // Every version is already locked; offline, npm cannot re-resolve one, and fails instead.
  '--offline',
  '--loglevel=error',
];

/** The entries of a package-lock.json (v3) that the check reads. */
interface Lockfile {
  readonly packages: Readonly<Record<string, { readonly version?: string }>>;
}

/**
 * Lets npm prune the lockfile in `dir` (copied from the template repository) to the
 * dependencies of `dir`/package.json, without network, install scripts or node_modules.
 *
 * npm's own configuration variables are left out of its environment: run from `npm run`,
 * they point npm at the template repository (`npm_config_local_prefix`).
 * @throws {Error} with npm's output when it fails or does not finish within 2 minutes.
 */
export async function pruneLockfile(dir: string, env: Readonly<Record<string, string | undefined>>): Promise<void> {
  const child = spawn('npm', PRUNE_ARGS, { cwd: dir, env: withoutNpmConfig(env), stdio: ['ignore', 'pipe', 'pipe'] });
  let output = '';
  child.stdout.on('data', (chunk: Buffer) => (output += chunk.toString('utf8')));
  child.stderr.on('data', (chunk: Buffer) => (output += chunk.toString('utf8')));
  const timer = setTimeout(() => child.kill('SIGKILL'), PRUNE_TIMEOUT_MS);
  try {
    let closed: unknown[];
    try {
      // `once` rejects when the child emits 'error' (npm not found, not executable).
      closed = await once(child, 'close');
    } catch (error) {
      throw new Error(`cannot run npm to prune ${join(dir, 'package-lock.json')}: ${(error as Error).message}`, { cause: error });
    }
    const [code, signal] = closed as [number | null, NodeJS.Signals | null];
    if (code !== 0) {
      const how = signal === null ? `exited with ${String(code)}` : `was killed (${signal}) after ${PRUNE_TIMEOUT_MS} ms`;
      throw new Error(`npm ${PRUNE_ARGS.join(' ')} in ${dir} ${how}: ${output.trim().split('\n').join(' | ')}`);
    }
  } finally {
    clearTimeout(timer);
  }
}

/**
 * The packages whose locked version in `pruned` differs from `original`'s at the same path
 * (or that `original` lacks), as `path: original -> pruned`. Empty when pruning only removed.
 */
export function changedLockedVersions(originalPath: string, prunedPath: string): string[] {
  const original = readLockfile(originalPath).packages;
  const pruned = readLockfile(prunedPath).packages;
  return Object.entries(pruned)
    // "" is the project itself: its name and version are meant to differ.
    .filter(([path, entry]) => path !== '' && original[path]?.version !== entry.version)
    .map(([path, entry]) => `${path}: ${original[path]?.version ?? 'absent'} -> ${entry.version ?? 'none'}`);
}

function readLockfile(path: string): Lockfile {
  return JSON.parse(readFileSync(path, 'utf8')) as Lockfile;
}
