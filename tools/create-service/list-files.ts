import { lstatSync, readdirSync, statSync } from 'node:fs';
import { join, relative, sep } from 'node:path';

/** A file found under a folder. */
export interface ListedFile {
  /** Relative to the folder listed, `/`-separated. */
  readonly path: string;
  readonly absolutePath: string;
  /** 0o755 when any execute bit is set, else 0o644. */
  readonly mode: number;
}

/**
 * Every regular file under `root`, at any depth, sorted by path.
 * @throws {Error} naming the entry when `root` holds anything but files and folders (a
 *   symbolic link, a socket): silently leaving it out could break the copy.
 */
export function listFiles(root: string): ListedFile[] {
  const files: ListedFile[] = [];
  for (const entry of readdirSync(root, { recursive: true, withFileTypes: true })) {
    const absolutePath = join(entry.parentPath, entry.name);
    if (entry.isDirectory()) continue;
    if (!entry.isFile()) throw new Error(`${absolutePath} is neither a file nor a folder; the copy takes files and folders only`);
    files.push({
      path: relative(root, absolutePath).split(sep).join('/'),
      absolutePath,
      mode: (statSync(absolutePath).mode & 0o111) === 0 ? 0o644 : 0o755,
    });
  }
  return files.sort((a, b) => (a.path < b.path ? -1 : a.path > b.path ? 1 : 0));
}

/**
 * The file at `path` under `root`, described as {@link listFiles} describes files.
 * @throws {Error} naming the path when it is missing or not a regular file.
 */
export function describeFile(root: string, path: string): ListedFile {
  const absolutePath = join(root, path);
  let stats;
  try {
    stats = lstatSync(absolutePath);
  } catch (error) {
    throw new Error(`${absolutePath} is missing`, { cause: error });
  }
  if (!stats.isFile()) throw new Error(`${absolutePath} is not a regular file`);
  return { path, absolutePath, mode: (stats.mode & 0o111) === 0 ? 0o644 : 0o755 };
}
