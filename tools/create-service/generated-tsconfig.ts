/** A tsconfig.json as far as the derivation reads it; every other field is kept as it is. */
export interface Tsconfig {
  readonly include?: readonly string[];
  readonly exclude?: readonly string[];
  readonly [field: string]: unknown;
}

/**
 * The new project's tsconfig.json: this repository's, with `include` reduced to the entries
 * whose first path segment the new project has (this repository's `tools`, for one, is not
 * copied) and `exclude` to the entries the new project has (this repository's demo page
 * script, for one, is not copied). Compiler options are kept as they are: the core is
 * checked under the same rules in both.
 * @param paths the new project's file paths.
 * @throws {Error} when no `include` entry is left.
 */
export function deriveTsconfig(root: Tsconfig, paths: readonly string[]): Tsconfig {
  const topLevelNames = new Set(paths.map((path) => path.split('/')[0] ?? ''));
  const normalized = (entry: string): string => entry.replace(/^\.\//, '').replace(/\/+$/, '');
  const hasTopLevel = (entry: string): boolean => topLevelNames.has(normalized(entry).split('/')[0] ?? '');
  const has = (entry: string): boolean => paths.some((path) => path === normalized(entry) || path.startsWith(`${normalized(entry)}/`));
  const { include, exclude, ...rest } = root;
  const kept = (include ?? []).filter(hasTopLevel);
  if (kept.length === 0) throw new Error(`tsconfig.json: none of its include entries (${(include ?? []).join(', ')}) exists in the new project`);
  const excluded = (exclude ?? []).filter(has);
  return { ...rest, include: kept, ...(excluded.length === 0 ? {} : { exclude: excluded }) };
}
