import { existsSync } from 'node:fs';
import { isAbsolute, join, resolve } from 'node:path';
import { pathToFileURL } from 'node:url';
import { hideCredentials } from './hide-credentials.ts';
import { gitOutput, oneLine, runTool, ToolError } from './run-tool.ts';

/** One file of a project the template would make, as its create-service plans it. */
export interface TemplateFile {
  /** Relative to the project, `/`-separated. */
  readonly path: string;
  readonly content: Buffer;
  readonly mode: number;
  /** `copied` (the core, its tests, shared files), `derived`, `template` (the project's own from then on) or `own`. */
  readonly origin: string;
}

/** The template's files at one commit, by path. */
export type TemplatePlan = ReadonlyMap<string, TemplateFile>;

/** What update-core reads of a template's create-service (tools/create-service/index.ts). */
interface CreateServiceModule {
  planService(serviceName: string): { readonly files: readonly TemplateFile[] };
}

/** Where the template's create-service is, in every commit that can serve as a base. */
const CREATE_SERVICE_ENTRY = 'tools/create-service/index.ts';

/**
 * The service name the plans are made with: the files update-core takes from a plan (the
 * copied core, package.json's dependencies and scripts, tsconfig.json) do not depend on it.
 */
const PLAN_SERVICE_NAME = 'service';

/** Whether `source` is a git URL (`https://…`, `file://…`, `git@host:path`) rather than a folder. */
export function isGitUrl(source: string): boolean {
  return /^[a-z][a-z0-9+.-]*:\/\//i.test(source) || /^[\w.-]+@[\w.-]+:/.test(source);
}

/** `source` as messages show it: a URL's user name and password (a token, say) replaced by `***`. */
export function shownSource(source: string): string {
  return isGitUrl(source) ? hideCredentials(source) : source;
}

/**
 * Clones the template at `source` (a git URL, or a local checkout resolved against `cwd`) into
 * `into`, without a work tree, git run with `env` (default: this process's). A local checkout
 * is cloned too, so that its uncommitted changes and its index are never read or touched: only
 * commits are.
 * @throws {ToolError} when git cannot start, times out or cannot clone it; the message never
 * shows the credentials of a URL (a token), whatever form git echoes it in.
 */
export function cloneTemplate(source: string, cwd: string, into: string, env: Readonly<Record<string, string | undefined>> = process.env): void {
  const from = isGitUrl(source) ? source : resolve(cwd, source);
  const result = runTool('git', ['clone', '--quiet', '--no-checkout', '--', from, into], isAbsolute(cwd) ? cwd : process.cwd(), env);
  if (result.status !== 0) throw new ToolError(hideCredentials(`git clone of ${from} failed: ${oneLine(result.stderr)}`, from));
}

/**
 * The commit `ref` names in the clone at `clone`: a commit id, a tag, a branch of the
 * template (`main`, read as the clone's `origin/main`) or `HEAD` (the template's HEAD).
 * @returns the full commit id, or undefined when the clone has no such commit.
 */
export function resolveCommit(clone: string, ref: string): string | undefined {
  for (const candidate of [ref, `origin/${ref}`]) {
    const result = runTool('git', ['rev-parse', '--verify', '--quiet', `${candidate}^{commit}`], clone);
    if (result.status === 0) return result.stdout.trim();
  }
  return undefined;
}

/**
 * Checks `commit` of the clone out into `dir` and plans a project there with that commit's
 * own create-service, so that each version's copied folders and files and its derivation of
 * package.json are its own.
 * @throws {ToolError} when that commit has no create-service update-core can use (missing,
 * failing to load, or failing to plan).
 */
export async function planAt(clone: string, commit: string, dir: string): Promise<TemplatePlan> {
  gitOutput(clone, ['worktree', 'add', '--quiet', '--detach', dir, commit]);
  const entry = join(dir, CREATE_SERVICE_ENTRY);
  if (!existsSync(entry)) throw new ToolError(`the template at ${commit.slice(0, 12)} has no ${CREATE_SERVICE_ENTRY}: it is not a template update-core can read`);
  let loaded: Partial<CreateServiceModule>;
  try {
    loaded = (await import(pathToFileURL(entry).href)) as Partial<CreateServiceModule>;
  } catch (error) {
    // A syntax this Node cannot strip, a module it imports that is missing, a throw at load.
    throw new ToolError(`cannot load ${CREATE_SERVICE_ENTRY} of the template at ${commit.slice(0, 12)}: ${oneLine(error instanceof Error ? error.message : String(error))}`, { cause: error });
  }
  if (typeof loaded.planService !== 'function') throw new ToolError(`${CREATE_SERVICE_ENTRY} of the template at ${commit.slice(0, 12)} exports no planService`);
  let files;
  try {
    files = loaded.planService(PLAN_SERVICE_NAME).files;
  } catch (error) {
    throw new ToolError(`the create-service of the template at ${commit.slice(0, 12)} cannot plan a project: ${error instanceof Error ? error.message : String(error)}`, { cause: error });
  }
  return new Map(files.map((file) => [file.path, file]));
}
