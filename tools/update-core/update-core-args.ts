import { parseArgs } from 'node:util';

/** What update-core was asked for, validated. */
export interface UpdateCoreOptions {
  /** The newer template: a local checkout (as given) or a git URL. */
  readonly source: string;
  /** `--ref`: the template's commit, tag or branch to update to; default its HEAD. */
  readonly ref: string;
  /** `--base`: the commit the service was made from, in place of template.json's. */
  readonly base: string | undefined;
  readonly help: boolean;
}

/** The command line was wrong; the message says how. Exit code 2. */
export class UpdateCoreUsageError extends Error {
  constructor(message: string, options?: ErrorOptions) {
    super(message, options);
    this.name = 'UpdateCoreUsageError';
  }
}

/** The text of `--help`. */
export const UPDATE_CORE_USAGE = `Usage: npm run update-core -- <template> [--ref <commit|tag|branch>] [--base <commit>]

Brings this service's core up to a newer version of the template it was made from:
<template> is a checkout of the template (a folder) or its git URL. Three-way merge against
the template commit recorded in template.json:
  - src/core, test/core, the other copied files (Dockerfile, eslint.service.js, tools/…) and
    tsconfig.json: the template's changes merged into this service's files with git merge-file;
    this service's own edits are kept; conflicting lines are left between <<<<<<< and >>>>>>>;
    files the template added are added, files it deleted are deleted unless changed here;
  - package.json: the template's changes of engines, scripts and dependencies, entry by entry;
    this service's own entries and edits are kept;
  - package-lock.json: the template's locked versions brought in, then npm install
    --package-lock-only --prefer-offline (run npm install afterwards to install them);
  - template.json: the new commit.
The service's own code (src/ and test/ outside the core, README.md, docker-compose.yml, …) is
not touched. Commit first: git diff then shows what the update did.

Options:
  --ref <ref>     the template's commit, tag or branch to update to (default: its HEAD)
  --base <commit> the template commit this service's core comes from, when template.json
                  has none (a service made before the record existed, or from a copy)
  -h, --help      this text

Exit codes: 0 updated (or already up to date), 1 updated with conflicts to resolve (listed),
2 usage error or refused (nothing changed), 3 failed (said how; nothing changed, or what did is said).`;

/**
 * Parses and validates the command line (with `node:util` parseArgs).
 * @throws {UpdateCoreUsageError} for anything wrong.
 */
export function parseUpdateCoreArgs(argv: readonly string[]): UpdateCoreOptions {
  let parsed;
  try {
    parsed = parseArgs({
      args: [...argv],
      allowPositionals: true,
      strict: true,
      options: {
        ref: { type: 'string' },
        base: { type: 'string' },
        help: { type: 'boolean', short: 'h', default: false },
      },
    });
  } catch (error) {
    throw new UpdateCoreUsageError(error instanceof Error ? error.message : String(error), { cause: error });
  }
  const { values, positionals } = parsed;
  const options = { ref: values.ref ?? 'HEAD', base: values.base, help: values.help };
  if (values.help) return { source: positionals[0] ?? '', ...options };
  const [source, ...more] = positionals;
  if (source === undefined || source.trim() === '') throw new UpdateCoreUsageError('give the template: npm run update-core -- <template checkout or git URL>');
  if (more.length > 0) throw new UpdateCoreUsageError(`give one template, got ${positionals.length}: ${positionals.map((p) => JSON.stringify(p)).join(' ')}`);
  for (const [name, value] of [['--ref', values.ref], ['--base', values.base]] as const) {
    // A ref starting with "-" would reach git as an option.
    if (value !== undefined && !/^[\w][\w./^~@{}-]*$/.test(value)) throw new UpdateCoreUsageError(`${name} ${JSON.stringify(value)} is not a commit, tag or branch name`);
  }
  return { source, ...options };
}
