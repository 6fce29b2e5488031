import { spawnSync } from 'node:child_process';
import { hideCredentials } from './hide-credentials.ts';

/** How long one git or npm command may take before it is killed. */
const TOOL_TIMEOUT_MS = 300_000;

/** How a command ended and what it printed. */
export interface ToolResult {
  /** The exit code, or null when it was killed or could not start. */
  readonly status: number | null;
  readonly stdout: string;
  readonly stderr: string;
}

/** A git or npm command failed; the message names it and quotes its error output. */
export class ToolError extends Error {
  constructor(message: string, options?: ErrorOptions) {
    super(message, options);
    this.name = 'ToolError';
  }
}

/**
 * Runs `command args` in `cwd` to its end (at most 5 minutes) and returns how it ended,
 * whatever its exit code, with npm's configuration variables left out of its environment.
 * @throws {ToolError} when the command cannot start (not on PATH) or times out. Its message
 * shows the arguments with the credentials of any URL among them hidden; it carries no
 * `cause`, since Node's error holds the arguments as given.
 */
export function runTool(command: string, args: readonly string[], cwd: string, env: Readonly<Record<string, string | undefined>> = process.env): ToolResult {
  const result = spawnSync(command, args, {
    cwd,
    env: withoutNpmConfig(env),
    encoding: 'utf8',
    maxBuffer: 256 * 1024 * 1024,
    timeout: TOOL_TIMEOUT_MS,
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  if (result.error !== undefined) throw new ToolError(hideCredentials(`cannot run ${command} ${args.join(' ')} in ${cwd}: ${result.error.message}`));
  return { status: result.status, stdout: result.stdout, stderr: result.stderr };
}

/**
 * The standard output of `git args` run in `cwd`.
 * @throws {ToolError} with git's error output (URL credentials hidden) when git exits with anything but 0.
 */
export function gitOutput(cwd: string, args: readonly string[]): string {
  const result = runTool('git', args, cwd);
  if (result.status !== 0) throw new ToolError(hideCredentials(`git ${args.join(' ')} failed in ${cwd}: ${oneLine(result.stderr)}`));
  return result.stdout;
}

/** `text` on one line: its lines joined by ` | `, trimmed. */
export function oneLine(text: string): string {
  return text.trim().split('\n').join(' | ');
}

/**
 * `env` without npm's configuration and script variables: run from `npm run`, they point npm
 * at the project that ran the script (`npm_config_local_prefix`), not at the folder given.
 */
export function withoutNpmConfig(env: Readonly<Record<string, string | undefined>>): Record<string, string> {
  const kept: Record<string, string> = {};
  for (const [name, value] of Object.entries(env)) {
    if (value !== undefined && !/^npm_/i.test(name)) kept[name] = value;
  }
  return kept;
}
