/** The fields of package.json whose entries update-core merges one by one. */
export const MERGED_PACKAGE_FIELDS = ['engines', 'scripts', 'dependencies', 'devDependencies', 'optionalDependencies', 'peerDependencies'] as const;

/** A package.json as far as the merge reads it; every other field is the service's own. */
export type PackageJson = Readonly<Record<string, unknown>>;

/** The merged package.json, what the template's changes did to it, and the entries both changed. */
export interface PackageJsonMerge {
  readonly merged: Record<string, unknown>;
  /** `dependencies.uuid: added 9.0.1`, one line a change taken from the template. */
  readonly changes: readonly string[];
  /** One line an entry both sides changed differently; the service's value is kept. */
  readonly conflicts: readonly string[];
}

/**
 * Three-way merges the template's change of its derived package.json (`base` to `theirs`)
 * into the service's (`ours`), entry by entry in {@link MERGED_PACKAGE_FIELDS}: an entry the
 * service left as the base had it takes the template's value (added, changed or removed);
 * one the template did not change keeps the service's; one both changed differently keeps
 * the service's and is reported. Name, version, description and every other field stay the
 * service's. Dependency maps come out sorted by name, as npm writes them.
 */
export function mergePackageJson(base: PackageJson, theirs: PackageJson, ours: PackageJson): PackageJsonMerge {
  const merged: Record<string, unknown> = { ...ours };
  const changes: string[] = [];
  const conflicts: string[] = [];
  for (const field of MERGED_PACKAGE_FIELDS) {
    const [b, t, o] = [entries(base, field), entries(theirs, field), entries(ours, field)];
    const result = new Map(Object.entries(o));
    for (const name of new Set([...Object.keys(b), ...Object.keys(t)])) {
      const [was, now, mine] = [b[name], t[name], o[name]];
      if (now === was || now === mine) continue;
      const where = `${field}.${name}`;
      if (mine !== was) {
        conflicts.push(`${where}: this service has ${shown(mine)}, the template changed ${shown(was)} to ${shown(now)}; this service's kept`);
        continue;
      }
      if (now === undefined) result.delete(name);
      else result.set(name, now);
      changes.push(`${where}: ${was === undefined ? `added ${now}` : now === undefined ? `removed ${was}` : `${was} -> ${now}`}`);
    }
    const kept = [...result];
    if (field !== 'scripts' && field !== 'engines') kept.sort(([a], [z]) => (a < z ? -1 : a > z ? 1 : 0));
    if (kept.length > 0 || field in ours) merged[field] = Object.fromEntries(kept);
  }
  return { merged, changes, conflicts };
}

/** The string entries of `pkg[field]` (an absent or malformed field has none). */
function entries(pkg: PackageJson, field: string): Readonly<Record<string, string>> {
  const value = pkg[field];
  if (typeof value !== 'object' || value === null || Array.isArray(value)) return {};
  return Object.fromEntries(Object.entries(value).filter((entry): entry is [string, string] => typeof entry[1] === 'string'));
}

function shown(value: string | undefined): string {
  return value === undefined ? 'none' : JSON.stringify(value);
}
