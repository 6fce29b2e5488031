import { spawn } from 'node:child_process';
import { once } from 'node:events';

/** How a command ended and everything it printed. */
export interface CommandOutcome {
  /** The exit code, or null when a signal ended it. */
  readonly code: number | null;
  readonly signal: NodeJS.Signals | null;
  /** stdout and stderr, interleaved as they arrived. */
  readonly output: string;
}

/** Where and how long a command runs. */
export interface RunOptions {
  readonly cwd: string;
  readonly env: Readonly<Record<string, string>>;
  /** Past this, the command and everything it started are killed and the run rejects. */
  readonly timeoutMs: number;
}

/**
 * Runs `command` to its end (its pipes drained) and resolves with its outcome, whatever the
 * exit code. It runs in a process group of its own, so that on timeout the whole tree (npm,
 * mocha, the services a test suite started) is killed; the rejection names the command and
 * ends with the last lines it printed.
 */
export async function runCommand(command: readonly string[], options: RunOptions): Promise<CommandOutcome> {
  const [executable, ...args] = command;
  if (executable === undefined) throw new Error('runCommand: empty command');
  const child = spawn(executable, args, { cwd: options.cwd, env: options.env, stdio: ['ignore', 'pipe', 'pipe'], detached: true });
  let output = '';
  child.stdout.on('data', (chunk: Buffer) => (output += chunk.toString('utf8')));
  child.stderr.on('data', (chunk: Buffer) => (output += chunk.toString('utf8')));
  // An object: TypeScript does not see the timer's write to a plain variable.
  const deadline = { passed: false };
  const timer = setTimeout(() => {
    deadline.passed = true;
    if (child.pid !== undefined) process.kill(-child.pid, 'SIGKILL');
  }, options.timeoutMs);
  try {
    const [code, signal] = (await once(child, 'close')) as [number | null, NodeJS.Signals | null];
    if (deadline.passed) throw new Error(`${command.join(' ')} did not finish within ${options.timeoutMs} ms; its last lines:\n${lastLines(output, 60)}`);
    return { code, signal, output };
  } finally {
    clearTimeout(timer);
  }
}

/** The last `count` lines of `text`. */
export function lastLines(text: string, count: number): string {
  return text.trimEnd().split('\n').slice(-count).join('\n');
}

/**
 * This process's environment as a fresh machine would have it: without the variables
 * `npm run` adds (`npm_config_local_prefix` would point npm at this repository) and without
 * this repository's node_modules/.bin on PATH (its Node 24 and tools), so a command finds the
 * system's node and npm, as CI on a new machine does.
 */
export function freshMachineEnv(extra: Readonly<Record<string, string>> = {}): Record<string, string> {
  const env: Record<string, string> = {};
  for (const [name, value] of Object.entries(process.env)) {
    if (value !== undefined && !/^npm_/i.test(name) && !['INIT_CWD', 'NODE', 'NODE_OPTIONS'].includes(name)) env[name] = value;
  }
  env['PATH'] = (process.env['PATH'] ?? '')
    .split(':')
    .filter((entry) => !/[\\/]node_modules[\\/]\.bin$/.test(entry) && !/node-gyp-bin$/.test(entry))
    .join(':');
  return { ...env, ...extra };
}
