import { spawn, type ChildProcess } from 'node:child_process';
import { once } from 'node:events';
import { readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';

const projectRoot = fileURLToPath(new URL('../../../', import.meta.url));

/** A service running as its own process, started the way production starts one. */
export interface ServiceProcess {
  readonly url: string;
  readonly child: ChildProcess;
  /** stdout lines so far, parsed where they are JSON. */
  logLines(): Record<string, unknown>[];
  /** Everything written to stderr so far. */
  stderr(): string;
  /**
   * Sends `signal` and resolves with the exit code (null when killed by a signal) once the
   * process has exited and all of its output has been read.
   */
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

/**
 * The command line of `npm start` (see {@link npmScriptCommand}): for tests outside the core
 * that mean this repository's own service. The core's tests never use it: in a service made
 * from the template, `npm start` runs that service's routes.
 */
export function startCommand(): string[] {
  return npmScriptCommand('start');
}

/** The core's preload, which every service is started with. */
export const CORE_PRELOAD = './src/core/preload.ts';

/** The core's fixture service: a bare service with the neutral test routes. */
export const TEST_SERVICE = './test/core/support/fixtures/test-service.ts';

/**
 * The command line that starts the fixture service exactly as production starts a service,
 * `node --import <preload> ./test/core/support/fixtures/test-service.ts`, with `node` the Node
 * running the tests (the project's Node 24). `preload` defaults to {@link CORE_PRELOAD}.
 */
export function testServiceCommand(preload: string = CORE_PRELOAD): string[] {
  return [process.execPath, '--import', preload, TEST_SERVICE];
}

/** The core's fixture service with the browser telemetry relay on. */
export const RELAY_TEST_SERVICE = './test/core/support/fixtures/relay-test-service.ts';

/** The command line of the fixture service with the relay on, started as {@link testServiceCommand} starts its service. */
export function relayTestServiceCommand(): string[] {
  return [process.execPath, '--import', CORE_PRELOAD, RELAY_TEST_SERVICE];
}

/** How long a spawned service may take to log `listening`: a cold start on a busy 2-core machine. */
const LISTENING_TIMEOUT_MS = 60_000;

/**
 * Spawns `command` (default: the core's fixture service, {@link testServiceCommand}) in the
 * project root with `env` on top of a minimal environment (PORT=0, HOST=127.0.0.1) and
 * resolves once it logs `listening` (the port it logs is the one it bound: no port is chosen
 * ahead and raced for). Rejects with its output if it exits first or does not listen within
 * 60 s (then it is killed).
 */
export async function startServiceProcess(
  env: Record<string, string>,
  command: readonly string[] = testServiceCommand(),
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
  // 'close', not 'exit': 'exit' can come before the pipes are drained, and a test reading the
  // output after stop() (the shutdown's last lines, a configuration error) would miss its end.
  let closedWith: { code: number | null } | undefined;
  const exited = once(child, 'close').then(([code]) => {
    if (stdoutTail !== '') lines.push(stdoutTail);
    stdoutTail = '';
    closedWith = { code: code as number | null };
    return closedWith.code;
  });

  const parsed = (): Record<string, unknown>[] =>
    lines.map((line) => {
      try {
        return JSON.parse(line) as Record<string, unknown>;
      } catch {
        return { unparsed: line };
      }
    });
  const output = (): string => `${lines.join('\n')}\n${stderr}`;
  let port: number | undefined;
  try {
    await waitFor(
      'the service to log "listening"',
      () => {
        const listening = parsed().find((line) => line['message'] === 'listening');
        if (listening !== undefined) port = Number(listening['port']);
        else if (closedWith !== undefined) throw new Error(`service exited with ${String(closedWith.code)} before listening:\n${output()}`);
        return port !== undefined;
      },
      LISTENING_TIMEOUT_MS,
      () => `its output so far:\n${output()}`,
    );
  } catch (error) {
    child.kill('SIGKILL');
    throw error;
  }
  return {
    url: `http://127.0.0.1:${String(port)}`,
    child,
    logLines: parsed,
    stderr: () => stderr,
    stop: async (signal = 'SIGTERM') => {
      if (child.exitCode === null && child.signalCode === null) child.kill(signal);
      return exited;
    },
  };
}

/**
 * Polls `condition` every 50 ms until it holds or `timeoutMs` passes, then throws naming
 * `what` did not arrive, followed by `progress()` when given (what did arrive, what is missing).
 * An error thrown by `condition` ends the wait at once.
 */
export async function waitFor(
  what: string,
  condition: () => boolean | Promise<boolean>,
  timeoutMs = 10_000,
  progress?: () => string,
): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (!(await condition())) {
    if (Date.now() > deadline) {
      throw new Error(`Timed out after ${timeoutMs} ms waiting for ${what}${progress === undefined ? '' : `; ${progress()}`}`);
    }
    await new Promise((resolve) => setTimeout(resolve, 50));
  }
}
