import { chmodSync, lstatSync, mkdirSync, rmSync, writeFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import type { ServicePlan } from './service-plan.ts';
import type { TargetState } from './target-directory.ts';

/**
 * What {@link writePlan} created, recorded as it goes (so also when it fails part-way), for
 * {@link removePlan} to remove exactly that and nothing else.
 */
export interface WriteRecord {
  /** The topmost folder created: the target, or its first missing parent; `undefined` when none was. */
  createdRoot: string | undefined;
  /** Every folder (the first of each `mkdir`) and file created, in order. */
  readonly created: string[];
}

/** An empty {@link WriteRecord}, for one {@link writePlan}. */
export function newWriteRecord(): WriteRecord {
  return { createdRoot: undefined, created: [] };
}

/**
 * Writes every file of `plan` under `dir`, creating folders (the target's missing parents
 * too) as needed, and records in `record` what it created. A file that appeared in the
 * meantime is never overwritten (the write fails instead).
 * @param state what `checkTarget` found at `dir`.
 */
export function writePlan(dir: string, plan: ServicePlan, state: TargetState, record: WriteRecord): void {
  // Recorded before mkdirSync runs: it can fail after making some of the folders (a name
  // too long at the last level, say), and removing the first removes every one it made.
  if (state === 'missing') {
    record.createdRoot = firstMissingFolder(dir);
    mkdirSync(dir, { recursive: true });
  }
  for (const file of plan.files) {
    const path = join(dir, file.path);
    const first = firstMissingFolder(dirname(path));
    if (first !== undefined) record.created.push(first);
    mkdirSync(dirname(path), { recursive: true });
    writeFileSync(path, file.content, { flag: 'wx', mode: file.mode });
    record.created.push(path);
    // The mode given to writeFileSync passes through the umask; executables must stay executable.
    chmodSync(path, file.mode);
  }
}

/**
 * Undoes {@link writePlan} after a failure, whether it finished or not: removes the topmost
 * folder it created (with every parent of the target it made), else what it created in the
 * target that existed. Nothing that was there before is touched.
 */
export function removePlan(record: WriteRecord): void {
  if (record.createdRoot !== undefined) {
    rmSync(record.createdRoot, { recursive: true, force: true });
    return;
  }
  for (const path of record.created.toReversed()) rmSync(path, { recursive: true, force: true });
}

/** The outermost folder of `dir` and its parents that does not exist yet; `undefined` when `dir` exists. */
function firstMissingFolder(dir: string): string | undefined {
  let missing: string | undefined;
  for (let folder = dir; !exists(folder); folder = dirname(folder)) {
    missing = folder;
    if (dirname(folder) === folder) break;
  }
  return missing;
}

function exists(path: string): boolean {
  try {
    lstatSync(path);
    return true;
  } catch {
    return false;
  }
}
