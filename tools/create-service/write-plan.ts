import { chmodSync, mkdirSync, rmSync, writeFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import type { ServicePlan } from './service-plan.ts';
import type { TargetState } from './target-directory.ts';

/**
 * Writes every file of `plan` under `dir`, creating folders as needed. A file that appeared
 * in the meantime is never overwritten (the write fails instead).
 * @param state what `checkTarget` found at `dir`.
 */
export function writePlan(dir: string, plan: ServicePlan, state: TargetState): void {
  if (state === 'missing') mkdirSync(dir, { recursive: true });
  for (const file of plan.files) {
    const path = join(dir, file.path);
    mkdirSync(dirname(path), { recursive: true });
    writeFileSync(path, file.content, { flag: 'wx', mode: file.mode });
    // The mode given to writeFileSync passes through the umask; executables must stay executable.
    chmodSync(path, file.mode);
  }
}

/**
 * Undoes {@link writePlan} after a failure: removes `dir` when it was created, else the
 * top-level entries of the plan in it (it was empty), so no half-made project is left behind.
 */
export function removePlan(dir: string, plan: ServicePlan, state: TargetState): void {
  if (state === 'missing') {
    rmSync(dir, { recursive: true, force: true });
    return;
  }
  for (const entry of new Set(plan.files.map((file) => file.path.split('/')[0] ?? ''))) {
    if (entry !== '') rmSync(join(dir, entry), { recursive: true, force: true });
  }
}
