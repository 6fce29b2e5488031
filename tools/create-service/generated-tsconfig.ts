/** A tsconfig.json as far as the derivation reads it; every other field is kept as it is. */
export interface Tsconfig {
  readonly include?: readonly string[];
  readonly exclude?: readonly string[];
  readonly [field: string]: unknown;
}

/**
 * The new project's tsconfig.json: this repository's, with `include` and `exclude` reduced to
 * the entries whose first path segment the new project has (this repository's `tools`, for
 * one, is not copied). Compiler options are kept as they are: the core is checked under the
 * same rules in both.
 * @param topLevelNames the first path segments of the new project's files.
 * @throws {Error} when no `include` entry is left.
 */
export function deriveTsconfig(root: Tsconfig, topLevelNames: ReadonlySet<string>): Tsconfig {
  const present = (entry: string): boolean => topLevelNames.has(entry.replace(/^\.\//, '').split('/')[0] ?? '');
  const { include, exclude, ...rest } = root;
  const kept = (include ?? []).filter(present);
  if (kept.length === 0) throw new Error(`tsconfig.json: none of its include entries (${(include ?? []).join(', ')}) exists in the new project`);
  const excluded = (exclude ?? []).filter(present);
  return { ...rest, include: kept, ...(excluded.length === 0 ? {} : { exclude: excluded }) };
}
