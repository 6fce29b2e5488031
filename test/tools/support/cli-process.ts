import { spawn, type ChildProcess } from 'node:child_process';
import { once } from 'node:events';
import { fileURLToPath } from 'node:url';
import { npmScriptCommand } from '../../core/support/service-process.ts';

const projectRoot = fileURLToPath(new URL('../../../', import.meta.url));

/** What a finished command printed and returned. */
export interface CommandResult {
  readonly code: number | null;
  readonly stdout: string;
  readonly stderr: string;
}

/** A running `session-traces` (for `--follow`). */
export interface RunningCommand {
  readonly child: ChildProcess;
  stdout(): string;
  stderr(): string;
  /** Resolves when the command has exited and all of its output has been read. */
  readonly exited: Promise<CommandResult>;
}

/** Starts `npm run trace -- <args>` with `env` (PATH is kept) and pipes its output. */
export function startTraceCommand(args: string[], env: Record<string, string>): RunningCommand {
  const [executable, ...prefix] = npmScriptCommand('trace');
  return startCommand(executable!, [...prefix, ...args], env);
}

/** Starts `executable` with `args` from the project's folder, with `env` (PATH is kept), and pipes its output. */
export function startCommand(executable: string, args: readonly string[], env: Record<string, string>): RunningCommand {
  const child = spawn(executable, args, {
    cwd: projectRoot,
    env: { PATH: process.env['PATH'] ?? '', ...env },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  let stdout = '';
  let stderr = '';
  child.stdout.on('data', (chunk: Buffer) => (stdout += chunk.toString('utf8')));
  child.stderr.on('data', (chunk: Buffer) => (stderr += chunk.toString('utf8')));
  // 'close', not 'exit': 'exit' can come before the pipes are drained, cutting the output short.
  const exited = once(child, 'close').then(([code]) => ({ code: code as number | null, stdout, stderr }));
  return { child, stdout: () => stdout, stderr: () => stderr, exited };
}

/**
 * Runs `npm run trace -- <args>` to completion. Kills it and rejects, with what it printed,
 * when it has not exited within `timeoutMs` (default 60 s).
 */
export async function runTraceCommand(args: string[], env: Record<string, string>, timeoutMs = 60_000): Promise<CommandResult> {
  const command = startTraceCommand(args, env);
  let timer: NodeJS.Timeout | undefined;
  const timedOut = new Promise<never>((_resolve, reject) => {
    timer = setTimeout(() => {
      command.child.kill('SIGKILL');
      reject(new Error(`session-traces ${args.join(' ')} did not exit within ${timeoutMs} ms:\n${command.stdout()}\n${command.stderr()}`));
    }, timeoutMs);
  });
  try {
    return await Promise.race([command.exited, timedOut]);
  } finally {
    clearTimeout(timer);
  }
}
