import { spawn, type ChildProcess } from 'node:child_process';
import { once } from 'node:events';
import { readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';

const projectRoot = fileURLToPath(new URL('../../', import.meta.url));

/** The service running as its own process, the way `npm start` runs it. */
export interface ServiceProcess {
  readonly url: string;
  readonly child: ChildProcess;
  /** stdout lines so far, parsed where they are JSON. */
  logLines(): Record<string, unknown>[];
  /** Everything written to stderr so far. */
  stderr(): string;
  /** Sends `signal` and resolves with the exit code (null when killed by a signal). */
  stop(signal?: NodeJS.Signals): Promise<number | null>;
}

/**
 * The command line of the npm script `name`, read from package.json, with `node` resolved to
 * the Node running the tests (the project's Node 24). Spawning it directly, rather than
 * through npm, delivers signals to the program itself.
 */
export function npmScriptCommand(name: string): string[] {
  const scripts = (JSON.parse(readFileSync(`${projectRoot}package.json`, 'utf8')) as { scripts: Record<string, string> }).scripts;
  const [command, ...args] = (scripts[name] ?? '').split(' ');
  if (command !== 'node') throw new Error(`npm run ${name} does not start with node: ${scripts[name] ?? ''}`);
  return [process.execPath, ...args];
}

/** The command line of `npm start` (see {@link npmScriptCommand}). */
export function startCommand(): string[] {
  return npmScriptCommand('start');
}

/**
 * Spawns the service with `env` on top of a minimal environment (PORT=0, HOST=127.0.0.1) and
 * resolves once it logs `listening`. Rejects with its output if it exits first.
 */
export async function startServiceProcess(
  env: Record<string, string>,
  command: string[] = startCommand(),
): Promise<ServiceProcess> {
  const [executable, ...args] = command;
  const child = spawn(executable!, args, {
    cwd: projectRoot,
    env: { PATH: process.env['PATH'] ?? '', PORT: '0', HOST: '127.0.0.1', ...env },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  const lines: string[] = [];
  let stdoutTail = '';
  let stderr = '';
  child.stdout.on('data', (chunk: Buffer) => {
    const parts = (stdoutTail + chunk.toString('utf8')).split('\n');
    stdoutTail = parts.pop() ?? '';
    lines.push(...parts);
  });
  child.stderr.on('data', (chunk: Buffer) => (stderr += chunk.toString('utf8')));
  const exited = once(child, 'exit').then(([code]) => code as number | null);

  const parsed = (): Record<string, unknown>[] =>
    lines.map((line) => {
      try {
        return JSON.parse(line) as Record<string, unknown>;
      } catch {
        return { unparsed: line };
      }
    });
  const port = await new Promise<number>((resolve, reject) => {
    const timer = setInterval(() => {
      const listening = parsed().find((line) => line['message'] === 'listening');
      if (listening !== undefined) {
        clearInterval(timer);
        resolve(Number(listening['port']));
      }
    }, 20);
    void exited.then((code) => {
      clearInterval(timer);
      reject(new Error(`service exited with ${String(code)} before listening:\n${lines.join('\n')}\n${stderr}`));
    });
  });
  return {
    url: `http://127.0.0.1:${port}`,
    child,
    logLines: parsed,
    stderr: () => stderr,
    stop: async (signal = 'SIGTERM') => {
      if (child.exitCode === null && child.signalCode === null) child.kill(signal);
      return exited;
    },
  };
}

/** Polls `condition` every 50 ms until it holds or `timeoutMs` passes (then throws `what`). */
export async function waitFor(what: string, condition: () => boolean | Promise<boolean>, timeoutMs = 10_000): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (!(await condition())) {
    if (Date.now() > deadline) throw new Error(`Timed out after ${timeoutMs} ms waiting for ${what}`);
    await new Promise((resolve) => setTimeout(resolve, 50));
  }
}
