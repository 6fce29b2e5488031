import { chmodSync, existsSync, mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join, resolve } from 'node:path';
import { filesWithConflictMarkers, mergeCoreFiles, type CoreFileResult } from './merge-core-files.ts';
import { lockedVersionChanges, mergeLockfile, type Lockfile } from './merge-lockfile.ts';
import { mergePackageJson, type PackageJson } from './merge-package-json.ts';
import { oneLine, runTool, ToolError } from './run-tool.ts';
import { cloneTemplate, isGitUrl, planAt, resolveCommit, shownSource, type TemplatePlan } from './template-plans.ts';
import { formatTemplateRecord, readTemplateRecord, TEMPLATE_RECORD_FILE, TemplateRecordError, type TemplateRecord } from './template-record.ts';
import { parseUpdateCoreArgs, UPDATE_CORE_USAGE, UpdateCoreUsageError } from './update-core-args.ts';

/** Exit codes of `update-core`. */
export const UPDATE_CORE_EXIT = { DONE: 0, CONFLICTS: 1, USAGE: 2, FAILED: 3 } as const;

/** Where the command works and writes. */
export interface UpdateCoreIo {
  readonly stdout: { write(text: string): unknown };
  readonly stderr: { write(text: string): unknown };
  /** The service's folder (the package root `npm run` runs in). */
  readonly serviceDir: string;
  /** Where a relative template folder is resolved: where the user typed the command. */
  readonly cwd: string;
  /** The environment git and npm run with (PATH, the npm cache). */
  readonly env: Readonly<Record<string, string | undefined>>;
}

/** The npm arguments that bring the merged lockfile in line with the merged package.json. */
export const LOCK_UPDATE_ARGS: readonly string[] = [
  'install',
  '--package-lock-only',
  '--ignore-scripts',
  '--no-audit',
  '--no-fund',
  // The template's entries are already in the lockfile; what else npm needs, it takes from
  // its cache when it has it.
  '--prefer-offline',
  '--loglevel=error',
];

/** A step failed; the message says which and what was left changed. Exit 3. */
class UpdateFailed extends Error {}

/**
 * `update-core <template> [--ref <ref>] [--base <commit>]` in the service at `io.serviceDir`:
 * merges the newer template's core into it (see {@link UPDATE_CORE_USAGE}) and prints what it
 * did, one line a file. Conflicts are marked in the files, listed, and the record still moves
 * to the new commit: the marked files already hold the template's side, and a second run
 * against the old base would merge the same changes twice.
 * @returns the exit code ({@link UPDATE_CORE_EXIT}).
 */
export async function runUpdateCore(argv: readonly string[], io: UpdateCoreIo): Promise<number> {
  const fail = (code: number, message: string): number => {
    io.stderr.write(`update-core: ${message}\n`);
    return code;
  };
  let options;
  try {
    options = parseUpdateCoreArgs(argv);
  } catch (error) {
    if (error instanceof UpdateCoreUsageError) return fail(UPDATE_CORE_EXIT.USAGE, `${error.message} (see --help)`);
    throw error;
  }
  if (options.help) {
    io.stdout.write(`${UPDATE_CORE_USAGE}\n`);
    return UPDATE_CORE_EXIT.DONE;
  }

  let record: TemplateRecord | undefined;
  try {
    record = readTemplateRecord(io.serviceDir);
  } catch (error) {
    if (!(error instanceof TemplateRecordError) || options.base === undefined) {
      return fail(UPDATE_CORE_EXIT.USAGE, error instanceof Error ? error.message : String(error));
    }
  }
  const baseRef = options.base ?? record?.commit;
  if (baseRef === undefined || baseRef === null) {
    return fail(UPDATE_CORE_EXIT.USAGE, `${TEMPLATE_RECORD_FILE} records no commit (${record?.reason ?? 'none given'}); give the template commit this service was made from with --base <commit>`);
  }

  if (!isGitUrl(options.source) && !existsSync(resolve(io.cwd, options.source))) {
    return fail(UPDATE_CORE_EXIT.USAGE, `the template ${resolve(io.cwd, options.source)} does not exist: give a checkout of the template or its git URL`);
  }
  const work = mkdtempSync(join(tmpdir(), 'update-core-'));
  try {
    const clone = join(work, 'template');
    cloneTemplate(options.source, io.cwd, clone, io.env);
    const baseCommit = resolveCommit(clone, baseRef);
    if (baseCommit === undefined) {
      return fail(UPDATE_CORE_EXIT.USAGE, `the template ${shownSource(options.source)} has no commit ${baseRef} (${options.base === undefined ? `recorded in ${TEMPLATE_RECORD_FILE}` : '--base'}): give a checkout or URL that has it`);
    }
    const theirsCommit = resolveCommit(clone, options.ref);
    if (theirsCommit === undefined) return fail(UPDATE_CORE_EXIT.USAGE, `the template ${shownSource(options.source)} has no commit, tag or branch ${options.ref}`);
    const base = await planAt(clone, baseCommit, join(work, 'base'));
    const marked = filesWithConflictMarkers(io.serviceDir, base);
    if (marked.length > 0) return fail(UPDATE_CORE_EXIT.USAGE, `resolve the conflict markers of the last update first: ${marked.join(', ')}`);
    if (theirsCommit === baseCommit) {
      io.stdout.write(`update-core: the core is already the template's ${theirsCommit.slice(0, 12)}; nothing to do.\n`);
      return UPDATE_CORE_EXIT.DONE;
    }
    const theirs = await planAt(clone, theirsCommit, join(work, 'theirs'));
    if (record?.dirty === true && options.base === undefined) {
      io.stdout.write(`update-core: ${TEMPLATE_RECORD_FILE} says the template had uncommitted changes when this service was made; they count as this service's own edits of the core.\n`);
    }

    // The template repository's own package.json names it (the plan's is the project's).
    const theirsPackage = parseJson(readFileSync(join(work, 'theirs', 'package.json'), 'utf8'), "the template's package.json") as PackageJson;
    const theirsRecord: TemplateRecord = {
      template: typeof theirsPackage['name'] === 'string' ? theirsPackage['name'] : 'template',
      version: typeof theirsPackage['version'] === 'string' ? theirsPackage['version'] : '',
      commit: theirsCommit,
      dirty: false,
    };
    const from = record === undefined ? baseCommit.slice(0, 12) : `${record.version} (${baseCommit.slice(0, 12)})`;
    io.stdout.write(`update-core: ${theirsRecord.template} ${from} -> ${theirsRecord.version} (${theirsCommit.slice(0, 12)})\n`);

    const labels = { ours: 'this service', base: `template ${baseCommit.slice(0, 12)}`, theirs: `template ${theirsCommit.slice(0, 12)}` };
    const scratch = join(work, 'scratch');
    mkdirSync(scratch);
    const results = mergeCoreFiles(io.serviceDir, base, theirs, labels, scratch);
    const dependencies = mergeDependencies(io, base, theirs);
    const writes: PendingWrite[] = results.filter((result) => result.content !== undefined).map((result) => ({
      path: result.path,
      deletes: result.content === null,
      write: () => {
        applyResult(io.serviceDir, result);
      },
    }));
    // Rewritten only when the merge changed it, so that its formatting stays the service's.
    if (dependencies.changes.length > 0) writes.push(fileWrite(io.serviceDir, 'package.json', `${JSON.stringify(dependencies.packageJson, null, 2)}\n`));
    writes.push(fileWrite(io.serviceDir, 'package-lock.json', `${JSON.stringify(dependencies.lockfile, null, 2)}\n`));
    // The record moves with the files, last: should npm fail, a second run must not merge them
    // again; should a write fail before it, the service still records the base.
    writes.push(fileWrite(io.serviceDir, TEMPLATE_RECORD_FILE, formatTemplateRecord(theirsRecord)));
    writeInOrder(writes);
    const lockChanges = updateLockfile(io, dependencies.lockBefore);

    const conflicts = [...results.filter((result) => result.outcome === 'conflict').map((result) => `${result.path}: ${result.detail ?? ''}`), ...dependencies.conflicts.map((line) => `package.json ${line}`)];
    io.stdout.write(report(results, dependencies.changes, lockChanges, theirs, base));
    io.stdout.write(`  ${TEMPLATE_RECORD_FILE}: now ${theirsRecord.version} (${theirsCommit.slice(0, 12)})\n`);
    if (conflicts.length === 0) {
      io.stdout.write('Done. Next: npm install && npm test\n');
      return UPDATE_CORE_EXIT.DONE;
    }
    io.stdout.write(`\n${conflicts.length} conflict${conflicts.length === 1 ? '' : 's'} to resolve (the markers name "this service" and the template's commits), then npm install && npm test:\n${conflicts.map((line) => `  ${line}\n`).join('')}`);
    return UPDATE_CORE_EXIT.CONFLICTS;
  } catch (error) {
    if (error instanceof ToolError || error instanceof UpdateFailed) return fail(UPDATE_CORE_EXIT.FAILED, error.message);
    throw error;
  } finally {
    rmSync(work, { recursive: true, force: true });
  }
}

interface MergedDependencies {
  readonly packageJson: Record<string, unknown>;
  readonly lockfile: Lockfile;
  readonly lockBefore: Lockfile;
  readonly changes: readonly string[];
  readonly conflicts: readonly string[];
}

/** package.json and the lockfile of the service, with the template's changes merged in (not written). */
function mergeDependencies(io: UpdateCoreIo, base: TemplatePlan, theirs: TemplatePlan): MergedDependencies {
  const ours = (name: string): string => readFileSync(join(io.serviceDir, name), 'utf8');
  const pkg = mergePackageJson(
    parseJson(fileOf(base, 'package.json'), 'package.json') as PackageJson,
    parseJson(fileOf(theirs, 'package.json'), 'package.json') as PackageJson,
    parseJson(ours('package.json'), "the service's package.json") as PackageJson,
  );
  const lockBefore = parseJson(ours('package-lock.json'), "the service's package-lock.json") as Lockfile;
  const lockfile = mergeLockfile(
    parseJson(fileOf(base, 'package-lock.json'), 'package-lock.json') as Lockfile,
    parseJson(fileOf(theirs, 'package-lock.json'), 'package-lock.json') as Lockfile,
    lockBefore,
  );
  return { packageJson: pkg.merged, lockfile, lockBefore, changes: pkg.changes, conflicts: pkg.conflicts };
}

/**
 * Lets npm reconcile the merged lockfile with the merged package.json.
 * @returns the locked versions that changed.
 * @throws {UpdateFailed} when npm fails: the service's lockfile is put back as it was.
 */
function updateLockfile(io: UpdateCoreIo, before: Lockfile): string[] {
  const lockPath = join(io.serviceDir, 'package-lock.json');
  const result = runTool('npm', LOCK_UPDATE_ARGS, io.serviceDir, io.env);
  if (result.status !== 0) {
    writeFileSync(lockPath, `${JSON.stringify(before, null, 2)}\n`);
    throw new UpdateFailed(
      `npm ${LOCK_UPDATE_ARGS.join(' ')} failed: ${oneLine(result.stderr || result.stdout)}. The core files, package.json and ${TEMPLATE_RECORD_FILE} are updated; package-lock.json is as it was: run npm install once npm can reach the registry`,
    );
  }
  return lockedVersionChanges(before, parseJson(readFileSync(lockPath, 'utf8'), 'package-lock.json') as Lockfile);
}

/** One change to the service's files, made by `write`. */
interface PendingWrite {
  /** Relative to the service, `/`-separated. */
  readonly path: string;
  /** Whether `write` deletes the file rather than writing it. */
  readonly deletes: boolean;
  readonly write: () => void;
}

function fileWrite(dir: string, path: string, content: string): PendingWrite {
  return {
    path,
    deletes: false,
    write: () => {
      writeFileSync(join(dir, path), content);
    },
  };
}

/**
 * Makes `writes` in order, the record last.
 * @throws {UpdateFailed} when one fails (EACCES, ENOSPC, a folder where a file goes): the
 * message names it and its error, and lists the files already changed, since they stay so.
 */
function writeInOrder(writes: readonly PendingWrite[]): void {
  const done: string[] = [];
  for (const { path, deletes, write } of writes) {
    try {
      write();
    } catch (error) {
      const cause = oneLine(error instanceof Error ? error.message : String(error));
      const record =
        path === TEMPLATE_RECORD_FILE
          ? `${TEMPLATE_RECORD_FILE} may be incomplete: restore it from git`
          : `${TEMPLATE_RECORD_FILE} was not moved to the new commit`;
      const already = done.length === 0 ? 'Nothing before it was changed.' : `Already changed (${done.length}; restore them from git, e.g. git checkout -- <path>, and run again once the cause is fixed):`;
      throw new UpdateFailed(`cannot ${deletes ? 'delete' : 'write'} ${path} (${cause}); ${record}. ${already}${done.map((line) => `\n  ${line}`).join('')}`);
    }
    done.push(deletes ? `${path} (deleted)` : path);
  }
}

function applyResult(dir: string, result: CoreFileResult): void {
  const path = join(dir, result.path);
  if (result.content === null) {
    rmSync(path, { force: true });
    return;
  }
  if (result.content === undefined) return;
  mkdirSync(dirname(path), { recursive: true });
  writeFileSync(path, result.content);
  if (result.mode !== undefined) chmodSync(path, result.mode);
}

/** What changed, one line a file, then the template files of the project's own that changed (not applied). */
function report(results: readonly CoreFileResult[], changes: readonly string[], lockChanges: readonly string[], theirs: TemplatePlan, base: TemplatePlan): string {
  const lines = results.filter((result) => result.outcome !== 'conflict').map((result) => `  ${result.outcome.padEnd(8)} ${result.path}`);
  lines.push(...changes.map((change) => `  package.json ${change}`));
  lines.push(`  package-lock.json: ${lockChanges.length === 0 ? 'no locked version changed' : `${lockChanges.length} locked version${lockChanges.length === 1 ? '' : 's'} changed`}`);
  lines.push(...lockChanges.map((change) => `    ${change}`));
  // The project's own files from the template (README.md, docker-compose.yml, …) belong to the
  // service since it was made: named, so that their author can look, never written.
  const own = [...theirs.values()].filter((file) => file.origin === 'template' && base.get(file.path)?.content.equals(file.content) === false).map((file) => file.path);
  if (own.length > 0) lines.push(`  not applied: the template also changed its example of ${own.join(', ')} (this service's own files; compare by hand)`);
  return `${lines.join('\n')}\n`;
}

function fileOf(plan: TemplatePlan, path: string): string {
  const file = plan.get(path);
  if (file === undefined) throw new UpdateFailed(`the template's create-service plans no ${path}`);
  return file.content.toString('utf8');
}

function parseJson(text: string, what: string): unknown {
  try {
    return JSON.parse(text);
  } catch (error) {
    throw new UpdateFailed(`${what} is not JSON: ${error instanceof Error ? error.message : String(error)}`);
  }
}
