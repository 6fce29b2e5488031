import { chmodSync, mkdirSync, rmSync, writeFileSync } from 'node:fs';
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
  // mkdirSync reports the first folder it created: removing it removes every parent it made.
  if (state === 'missing') record.createdRoot = mkdirSync(dir, { recursive: true });
  for (const file of plan.files) {
    const path = join(dir, file.path);
    const first = mkdirSync(dirname(path), { recursive: true });
    if (first !== undefined) record.created.push(first);
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
