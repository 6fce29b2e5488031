import { execFileSync, spawn, type ChildProcess } from 'node:child_process';
import { once } from 'node:events';
import { fileURLToPath } from 'node:url';
import { freePorts, isPortFree } from '../../core/support/ports.ts';
import { answersOk } from '../../core/support/probes.ts';
import { waitFor } from '../../core/support/service-process.ts';

const projectRoot = fileURLToPath(new URL('../../../', import.meta.url));

/** The ports otel-collector.yaml binds (receivers, health check, internal metrics). */
export const COLLECTOR_PORTS = { otlpGrpc: 4317, otlpHttp: 4318, health: 13133, metrics: 8888 } as const;

/** A real program started by a test, with its output kept for failure messages. */
export interface RunningProgram {
  readonly child: ChildProcess;
  output(): string;
  stop(): Promise<void>;
}

/**
 * Path of a binary built by one of the tools/stack/build-*.sh scripts (Go module proxy, cached
 * outside the clone). The first run builds; progress goes to this process's stderr.
 */
export function builtBinary(script: 'build-collector.sh' | 'build-jaeger.sh' | 'build-victorialogs.sh'): string {
  return execFileSync('bash', [`tools/stack/${script}`], { cwd: projectRoot, stdio: ['ignore', 'pipe', 'inherit'] })
    .toString('utf8')
    .trim();
}

/** A started program and whether it has exited (its output all read). */
export interface StartedProgram extends RunningProgram {
  exited(): boolean;
}

/**
 * Spawns `binary` in the project root with `env` on top of PATH only, keeping the last 20,000
 * characters of its output for failure messages.
 */
export function startProgram(binary: string, args: string[], env: Record<string, string>): StartedProgram {
  const child = spawn(binary, args, { cwd: projectRoot, env: { PATH: process.env['PATH'] ?? '', ...env }, stdio: ['ignore', 'pipe', 'pipe'] });
  let output = '';
  const keep = (chunk: Buffer): void => {
    output = (output + chunk.toString('utf8')).slice(-20_000);
  };
  child.stdout.on('data', keep);
  child.stderr.on('data', keep);
  // 'close' comes after the pipes are drained: a program that failed has said why by then.
  let hasExited = false;
  const closed = once(child, 'close').then(() => {
    hasExited = true;
  });
  return {
    child,
    output: () => output,
    exited: () => hasExited,
    stop: async () => {
      if (child.exitCode === null && child.signalCode === null) child.kill('SIGTERM');
      await closed;
    },
  };
}

/** Waits until every one of `urls` answers 2xx; fails at once, with its output, if `program` exits. */
export async function waitUntilAnswering(urls: readonly string[], program: StartedProgram, what: string): Promise<void> {
  await waitFor(
    `${what} to answer 2xx at ${urls.join(' and ')}`,
    async () => {
      if (program.exited()) throw new Error(`${what} exited before answering at ${urls.join(' and ')}:\n${program.output()}`);
      for (const url of urls) if (!(await answersOk(url))) return false;
      return true;
    },
    30_000,
    () => `its output so far:\n${program.output().slice(-4000)}`,
  );
}

/** Jaeger (memory storage) with its query API on a free loopback port. */
export interface Jaeger extends RunningProgram {
  readonly queryUrl: string;
  readonly otlpGrpcEndpoint: string;
}

/** Attempts at starting Jaeger: its ports are chosen ahead, and another process may take one first. */
const JAEGER_START_ATTEMPTS = 3;

/**
 * Starts the Jaeger built from the Go module proxy with test/stack/e2e/jaeger.yaml, on free ports,
 * and resolves once both its health endpoint and its query API (what the tests use) answer.
 * A port taken by another process between choosing and binding makes Jaeger exit with
 * "address already in use": then it is started again on new ports.
 */
export async function startJaeger(binary: string): Promise<Jaeger> {
  for (let attempt = 1; ; attempt++) {
    const [query, queryGrpc, health, otlpGrpc] = (await freePorts(4)) as [number, number, number, number];
    const env = {
      JAEGER_QUERY_PORT: String(query),
      JAEGER_QUERY_GRPC_PORT: String(queryGrpc),
      JAEGER_HEALTH_PORT: String(health),
      JAEGER_OTLP_GRPC_PORT: String(otlpGrpc),
    };
    const program = startProgram(binary, ['--config', 'test/stack/e2e/jaeger.yaml'], env);
    const queryUrl = `http://127.0.0.1:${query}`;
    try {
      await waitUntilAnswering([`http://127.0.0.1:${health}/status`, `${queryUrl}/api/services`], program, 'Jaeger');
    } catch (error) {
      await program.stop();
      if (attempt < JAEGER_START_ATTEMPTS && /address already in use/i.test(program.output())) continue;
      throw error;
    }
    return { ...program, queryUrl, otlpGrpcEndpoint: `127.0.0.1:${otlpGrpc}` };
  }
}

/** Where the collector sends what it receives: the variables otel-collector.yaml reads. */
export interface CollectorTargets {
  /** Jaeger's OTLP gRPC endpoint, `host:port` (JAEGER_OTLP_ENDPOINT). */
  readonly jaegerOtlpEndpoint: string;
  /** VictoriaLogs' base URL, `http://host:port` (VICTORIALOGS_URL). */
  readonly victoriaLogsUrl: string;
}

/**
 * Starts the collector built from tools/stack/otelcol-builder.yaml with the repository's own
 * otel-collector.yaml, unchanged; only JAEGER_OTLP_ENDPOINT and VICTORIALOGS_URL point it at
 * `targets`.
 */
export async function startCollector(binary: string, targets: CollectorTargets): Promise<RunningProgram> {
  for (const [name, port] of Object.entries(COLLECTOR_PORTS)) {
    if (!(await isPortFree(port))) {
      throw new Error(`Port ${port} (collector ${name}, fixed by otel-collector.yaml) is in use; stop what holds it`);
    }
  }
  const program = startProgram(binary, ['--config', 'otel-collector.yaml'], {
    JAEGER_OTLP_ENDPOINT: targets.jaegerOtlpEndpoint,
    VICTORIALOGS_URL: targets.victoriaLogsUrl,
  });
  try {
    await waitUntilAnswering([`http://127.0.0.1:${COLLECTOR_PORTS.health}/`], program, 'the collector');
  } catch (error) {
    await program.stop();
    throw error;
  }
  return program;
}
