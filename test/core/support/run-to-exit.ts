import { spawn } from 'node:child_process';
import { once } from 'node:events';
import { fileURLToPath } from 'node:url';

const projectRoot = fileURLToPath(new URL('../../../', import.meta.url));

/** What a process that ran to its end wrote, and how it ended. */
export interface FinishedProcess {
  readonly code: number | null;
  readonly stdout: string;
  readonly stderr: string;
}

/**
 * Runs `command` in the project root (or `cwd`) with exactly `env`, and resolves once it has
 * exited and its output is read. Killed after `timeoutMs` (then the result says so in stderr).
 */
export async function runToExit(command: readonly string[], env: Record<string, string>, options: { cwd?: string; timeoutMs?: number } = {}): Promise<FinishedProcess> {
  const [executable, ...args] = command;
  const child = spawn(executable!, args, { cwd: options.cwd ?? projectRoot, env, stdio: ['ignore', 'pipe', 'pipe'] });
  let stdout = '';
  let stderr = '';
  child.stdout.on('data', (chunk: Buffer) => (stdout += chunk.toString('utf8')));
  child.stderr.on('data', (chunk: Buffer) => (stderr += chunk.toString('utf8')));
  const timer = setTimeout(() => {
    stderr += `\n[killed after ${options.timeoutMs ?? 60_000} ms]`;
    child.kill('SIGKILL');
  }, options.timeoutMs ?? 60_000);
  const [code] = (await once(child, 'close')) as [number | null];
  clearTimeout(timer);
  return { code, stdout, stderr };
}
