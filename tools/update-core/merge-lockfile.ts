/** A package-lock.json (v2 or v3) as far as the merge reads it. */
export interface Lockfile {
  readonly packages?: Readonly<Record<string, LockedPackage>>;
  readonly [field: string]: unknown;
}

/** One entry of `packages`: where a package is installed and what it is. */
export interface LockedPackage {
  readonly version?: string;
  readonly resolved?: string;
  readonly integrity?: string;
  readonly [field: string]: unknown;
}

/**
 * The service's lockfile with the template's locked versions brought in, for npm to reconcile
 * with the merged package.json (`npm install --package-lock-only` then drops what nothing
 * needs and resolves what is missing):
 * - an entry the service locks as the base template did takes the template's newer entry, or
 *   goes when the template dropped it;
 * - an entry the service locks otherwise (its own choice) is kept;
 * - an entry the service lacks is taken from the template when it has one, so a dependency
 *   the template added comes with the versions the template tested, not the newest ones.
 * Entries are compared by what they install (version, resolved, integrity), not by npm's
 * dev and optional flags, which depend on the rest of each project.
 */
export function mergeLockfile(base: Lockfile, theirs: Lockfile, ours: Lockfile): Lockfile {
  const [b, t, o] = [base.packages ?? {}, theirs.packages ?? {}, ours.packages ?? {}];
  const packages: Record<string, LockedPackage> = {};
  for (const path of new Set([...Object.keys(o), ...Object.keys(t)])) {
    const [was, now, mine] = [b[path], t[path], o[path]];
    // "": the project itself, which npm rewrites from package.json.
    if (path === '' || (mine !== undefined && !(was !== undefined && sameInstall(mine, was)))) {
      if (mine !== undefined) packages[path] = mine;
      continue;
    }
    // Missing here, or locked as the base template locked it: the template's entry, if any.
    if (now !== undefined) packages[path] = now;
  }
  return { ...ours, packages };
}

/**
 * The packages whose locked version differs between `before` and `after`, one line each:
 * `node_modules/uuid: none -> 9.0.1`; the project's own entry left out.
 */
export function lockedVersionChanges(before: Lockfile, after: Lockfile): string[] {
  const [b, a] = [before.packages ?? {}, after.packages ?? {}];
  return [...new Set([...Object.keys(b), ...Object.keys(a)])]
    .filter((path) => path !== '' && b[path]?.version !== a[path]?.version)
    .sort()
    .map((path) => `${path}: ${b[path]?.version ?? 'none'} -> ${a[path]?.version ?? 'none'}`);
}

function sameInstall(a: LockedPackage, b: LockedPackage): boolean {
  return a.version === b.version && a.resolved === b.resolved && a.integrity === b.integrity;
}
