import { readdirSync, statSync } from 'node:fs';

/** A target the project may be created in: `missing` (created) or an `empty` directory. */
export type TargetState = 'missing' | 'empty';

/** The target cannot take the project; the message says why. */
export class TargetError extends Error {
  constructor(message: string, options?: ErrorOptions) {
    super(message, options);
    this.name = 'TargetError';
  }
}

/**
 * Whether the project can be created at `dir` (an absolute path): it must not exist, or be
 * an empty directory. Nothing is ever written over or next to existing files.
 * @throws {TargetError} when `dir` is a non-empty directory, not a directory, or unreadable.
 */
export function checkTarget(dir: string): TargetState {
  let isDirectory: boolean;
  try {
    isDirectory = statSync(dir).isDirectory();
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === 'ENOENT') return 'missing';
    throw new TargetError(`cannot inspect ${dir}: ${(error as Error).message}`, { cause: error });
  }
  if (!isDirectory) throw new TargetError(`${dir} exists and is not a directory; give a new or empty directory`);
  let entries: string[];
  try {
    entries = readdirSync(dir);
  } catch (error) {
    throw new TargetError(`cannot read ${dir}: ${(error as Error).message}`, { cause: error });
  }
  if (entries.length > 0) {
    throw new TargetError(`${dir} exists and is not empty (${entries.length} entries); give a new or empty directory`);
  }
  return 'empty';
}
