import { execFileSync, spawn, type ChildProcess } from 'node:child_process';
import { once } from 'node:events';
import { fileURLToPath } from 'node:url';
import { freePort, isPortFree } from './ports.ts';
import { answersOk } from './probes.ts';
import { waitFor } from './service-process.ts';

const projectRoot = fileURLToPath(new URL('../../', import.meta.url));

/** The ports otel-collector.yaml binds (receivers, health check, internal metrics). */
export const COLLECTOR_PORTS = { otlpGrpc: 4317, otlpHttp: 4318, health: 13133, metrics: 8888 } as const;

/** A real program started by a test, with its output kept for failure messages. */
export interface RunningProgram {
  readonly child: ChildProcess;
  output(): string;
  stop(): Promise<void>;
}

/**
 * Path of a binary built by one of the scripts/build-*.sh scripts (Go module proxy, cached
 * outside the clone). The first run builds; progress goes to this process's stderr.
 */
export function builtBinary(script: 'build-collector.sh' | 'build-jaeger.sh'): string {
  return execFileSync('bash', [`scripts/${script}`], { cwd: projectRoot, stdio: ['ignore', 'pipe', 'inherit'] })
    .toString('utf8')
    .trim();
}

function run(binary: string, args: string[], env: Record<string, string>): RunningProgram {
  const child = spawn(binary, args, { cwd: projectRoot, env: { PATH: process.env['PATH'] ?? '', ...env }, stdio: ['ignore', 'pipe', 'pipe'] });
  let output = '';
  const keep = (chunk: Buffer): void => {
    output = (output + chunk.toString('utf8')).slice(-20_000);
  };
  child.stdout.on('data', keep);
  child.stderr.on('data', keep);
  const exited = once(child, 'exit');
  return {
    child,
    output: () => output,
    stop: async () => {
      if (child.exitCode === null && child.signalCode === null) {
        child.kill('SIGTERM');
        await exited;
      }
    },
  };
}

async function healthy(url: string, program: RunningProgram, what: string): Promise<void> {
  await waitFor(
    `${what} to report healthy at ${url}`,
    async () => {
      if (program.child.exitCode !== null) throw new Error(`${what} exited:\n${program.output()}`);
      return answersOk(url);
    },
    30_000,
  );
}

/** Jaeger (memory storage) with its query API on a free loopback port. */
export interface Jaeger extends RunningProgram {
  readonly queryUrl: string;
  readonly otlpGrpcEndpoint: string;
}

/** Starts the Jaeger built from the Go module proxy with test/e2e/jaeger.yaml. */
export async function startJaeger(binary: string): Promise<Jaeger> {
  const ports = {
    JAEGER_QUERY_PORT: await freePort(),
    JAEGER_QUERY_GRPC_PORT: await freePort(),
    JAEGER_HEALTH_PORT: await freePort(),
    JAEGER_OTLP_GRPC_PORT: await freePort(),
  };
  const env = Object.fromEntries(Object.entries(ports).map(([key, value]) => [key, String(value)]));
  const program = run(binary, ['--config', 'test/e2e/jaeger.yaml'], env);
  await healthy(`http://127.0.0.1:${ports.JAEGER_HEALTH_PORT}/status`, program, 'Jaeger');
  return {
    ...program,
    queryUrl: `http://127.0.0.1:${ports.JAEGER_QUERY_PORT}`,
    otlpGrpcEndpoint: `127.0.0.1:${ports.JAEGER_OTLP_GRPC_PORT}`,
  };
}

/**
 * Starts the collector built from scripts/otelcol-builder.yaml with the repository's own
 * otel-collector.yaml, unchanged; only JAEGER_OTLP_ENDPOINT points it at `jaegerOtlpEndpoint`.
 */
export async function startCollector(binary: string, jaegerOtlpEndpoint: string): Promise<RunningProgram> {
  for (const [name, port] of Object.entries(COLLECTOR_PORTS)) {
    if (!(await isPortFree(port))) {
      throw new Error(`Port ${port} (collector ${name}, fixed by otel-collector.yaml) is in use; stop what holds it`);
    }
  }
  const program = run(binary, ['--config', 'otel-collector.yaml'], { JAEGER_OTLP_ENDPOINT: jaegerOtlpEndpoint });
  await healthy(`http://127.0.0.1:${COLLECTOR_PORTS.health}/`, program, 'the collector');
  return program;
}
