import { existsSync, readFileSync, realpathSync } from 'node:fs';
import { join } from 'node:path';
import { gitOutput } from './run-tool.ts';

/** The file, at a generated project's root, that records the template it was made from. */
export const TEMPLATE_RECORD_FILE = 'template.json';

/**
 * Which template, at which version and commit, a project's core and core tests come from: the
 * merge base of `npm run update-core`. create-service writes it; update-core rewrites it.
 */
export interface TemplateRecord {
  /** The template repository's package name. */
  readonly template: string;
  /** The template repository's package.json version. */
  readonly version: string;
  /** The commit the files were read at, or null when the template was not a git checkout. */
  readonly commit: string | null;
  /**
   * True when the template's core files had uncommitted changes: those changes are then not
   * in `commit`, and an update treats them as the project's own edits of the core.
   */
  readonly dirty: boolean;
  /** Why `commit` is null (no git, not a checkout). */
  readonly reason?: string;
}

/** The project has no usable record; the message says why and what to do. */
export class TemplateRecordError extends Error {
  constructor(message: string, options?: ErrorOptions) {
    super(message, options);
    this.name = 'TemplateRecordError';
  }
}

/**
 * The record of the template checkout at `root`: its commit (`git rev-parse HEAD`) and whether
 * any of `pathspecs` (the files a project is made from) differ from that commit. Never throws
 * for a folder that is not a git checkout: the record then says so.
 */
export function describeTemplateCheckout(root: string, pkg: { readonly name: string; readonly version: string }, pathspecs: readonly string[]): TemplateRecord {
  const identity = { template: pkg.name, version: pkg.version };
  try {
    // A template copied into a folder of another repository would give that repository's commit.
    const top = gitOutput(root, ['rev-parse', '--show-toplevel']).trim();
    if (realpathSync(top) !== realpathSync(root)) return { ...identity, commit: null, dirty: false, reason: `the template was not a git checkout of its own (it is in ${top})` };
    const commit = gitOutput(root, ['rev-parse', '--verify', 'HEAD^{commit}']).trim();
    const changes = gitOutput(root, ['status', '--porcelain', '--untracked-files=all', '--', ...pathspecs]);
    return { ...identity, commit, dirty: changes.trim() !== '' };
  } catch (error) {
    return { ...identity, commit: null, dirty: false, reason: `the template was not a git checkout (${firstLine(error)})` };
  }
}

/**
 * The record of the project at `dir`.
 * @throws {TemplateRecordError} when the file is missing or malformed.
 */
export function readTemplateRecord(dir: string): TemplateRecord {
  const path = join(dir, TEMPLATE_RECORD_FILE);
  if (!existsSync(path)) {
    throw new TemplateRecordError(
      `${path} is missing: this is not a project made by create-service with a template record; give the template commit it was made from with --base <commit>`,
    );
  }
  let value: unknown;
  try {
    value = JSON.parse(readFileSync(path, 'utf8'));
  } catch (error) {
    throw new TemplateRecordError(`${path} is not JSON: ${firstLine(error)}`, { cause: error });
  }
  const record = value as Partial<Record<keyof TemplateRecord, unknown>> | null;
  const valid =
    typeof record === 'object' &&
    record !== null &&
    typeof record.template === 'string' &&
    typeof record.version === 'string' &&
    (record.commit === null || (typeof record.commit === 'string' && /^[0-9a-f]{40}$/.test(record.commit))) &&
    typeof record.dirty === 'boolean';
  if (!valid) throw new TemplateRecordError(`${path} is not a template record: it needs "template", "version", "commit" (40 hex digits or null) and "dirty"`);
  return value as TemplateRecord;
}

/** The record as the project keeps it: JSON, two spaces, a final newline. */
export function formatTemplateRecord(record: TemplateRecord): string {
  return `${JSON.stringify(record, null, 2)}\n`;
}

function firstLine(error: unknown): string {
  return (error instanceof Error ? error.message : String(error)).split('\n')[0] ?? '';
}
