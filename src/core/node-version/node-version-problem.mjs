// Plain JavaScript, not TypeScript: this runs before any .ts file, on whatever Node runs it,
// including versions that cannot run .ts files at all (Node 20 and older).

/** The lowest Node major version the project runs on: it runs .ts files by type stripping. */
export const REQUIRED_NODE_MAJOR = 24;

/**
 * The line a person reads when `version` (like `process.version`, `v20.19.5`) is older than
 * Node {@link REQUIRED_NODE_MAJOR}, or undefined when it is recent enough. It names the
 * running version and its path (`execPath`), says where the project's Node 24 comes from (the
 * `node` devDependency's install script, skipped when install scripts are disabled) and the
 * fixes. A version string that cannot be read counts as too old.
 * @param {string} version
 * @param {string} execPath
 * @returns {string | undefined}
 */
export function nodeVersionProblem(version, execPath) {
  const match = /^v?(\d+)\./.exec(version);
  if (match !== null && Number(match[1]) >= REQUIRED_NODE_MAJOR) return undefined;
  return (
    `This project needs Node ${REQUIRED_NODE_MAJOR} or newer to run its .ts files, but this is Node ${version} (${execPath}). ` +
    `Node ${REQUIRED_NODE_MAJOR} comes from the "node" devDependency, whose install script puts it in node_modules/.bin; ` +
    `it did not run (install scripts disabled, e.g. ignore-scripts=true?). ` +
    `Fix: npm rebuild node --ignore-scripts=false (or npm ci --ignore-scripts=false), or put Node ${REQUIRED_NODE_MAJOR} first on PATH.`
  );
}
