import { lstatSync, readdirSync, readlinkSync, statSync } from 'node:fs';

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
 * @throws {TargetError} when `dir` is a non-empty directory, not a directory, a symbolic link
 * to nothing, or unreadable.
 */
export function checkTarget(dir: string): TargetState {
  let isDirectory: boolean;
  try {
    isDirectory = statSync(dir).isDirectory();
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code !== 'ENOENT') throw new TargetError(`cannot inspect ${dir}: ${(error as Error).message}`, { cause: error });
    // A symbolic link to nothing is something the user made: refused, never written through nor removed.
    const link = danglingLink(dir);
    if (link !== undefined) throw new TargetError(`${dir} is a symbolic link to ${link}, which does not exist; give a new or empty directory`);
    return 'missing';
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

/** Where `dir` points when it is a symbolic link (to something missing, as the caller found); `undefined` when it is not one. */
function danglingLink(dir: string): string | undefined {
  try {
    return lstatSync(dir).isSymbolicLink() ? readlinkSync(dir) : undefined;
  } catch {
    // Nothing there at all (or not even its folder): a target to create.
    return undefined;
  }
}
