import { execFileSync, spawn, type ChildProcess } from 'node:child_process';
import { once } from 'node:events';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
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
export function builtBinary(script: 'build-collector.sh' | 'build-jaeger.sh' | 'build-victorialogs.sh' | 'build-victoriametrics.sh'): string {
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

/** Jaeger on Badger, with its query API on a free loopback port and its data in a folder of its own. */
export interface Jaeger extends RunningProgram {
  readonly queryUrl: string;
  readonly otlpGrpcEndpoint: string;
  /** JAEGER_DATA_DIR: Badger's keys and values, kept across {@link Jaeger.start}; removed by {@link Jaeger.discard}. */
  readonly dataDir: string;
  /**
   * Starts it again (stopping it first when it runs), on the same ports and the same data
   * directory, and resolves once it answers: the collector keeps sending to the same endpoint.
   */
  start(): Promise<void>;
  /** Stops it (when running) and removes its data directory. */
  discard(): Promise<void>;
}

/** What Jaeger is given beside its ports and data directory. */
export interface JaegerOptions {
  /** VictoriaMetrics' base URL, which the Monitor tab's metric backend queries (VICTORIAMETRICS_URL). */
  readonly victoriaMetricsUrl: string;
}

/** Attempts at starting Jaeger: its ports are chosen ahead, and another process may take one first. */
const JAEGER_START_ATTEMPTS = 3;

/**
 * Starts the Jaeger built from the Go module proxy with the repository's jaeger.yaml, unchanged
 * (Badger on disk, the Monitor tab reading VictoriaMetrics), on free loopback ports, with its
 * data in a new temporary directory, and resolves once both its health endpoint and its query
 * API (what the tests use) answer. A port taken by another process between choosing and
 * binding makes Jaeger exit with "address already in use": then it is started again on new
 * ports. (jaeger.yaml turns off the tracing of Jaeger's own queries, which would otherwise
 * reach the collector on localhost:4317 as a service `jaeger`.)
 */
export async function startJaeger(binary: string, options: JaegerOptions): Promise<Jaeger> {
  const dataDir = await mkdtemp(join(tmpdir(), 'jaeger-badger-'));
  const envFor = (ports: readonly [number, number, number, number]): Record<string, string> => ({
    JAEGER_LISTEN_HOST: '127.0.0.1',
    JAEGER_QUERY_PORT: String(ports[0]),
    JAEGER_QUERY_GRPC_PORT: String(ports[1]),
    JAEGER_HEALTH_PORT: String(ports[2]),
    JAEGER_OTLP_GRPC_PORT: String(ports[3]),
    JAEGER_DATA_DIR: dataDir,
    JAEGER_UI_CONFIG: 'jaeger-ui.json',
    VICTORIAMETRICS_URL: options.victoriaMetricsUrl,
    JAEGER_LOG_LEVEL: 'warn',
  });
  const launch = async (ports: readonly [number, number, number, number]): Promise<StartedProgram> => {
    const program = startProgram(binary, ['--config', 'jaeger.yaml'], envFor(ports));
    try {
      await waitUntilAnswering([`http://127.0.0.1:${ports[2]}/status`, `http://127.0.0.1:${ports[0]}/api/services`], program, 'Jaeger');
    } catch (error) {
      await program.stop();
      throw error;
    }
    return program;
  };

  let ports: [number, number, number, number] | undefined;
  let current: StartedProgram | undefined;
  for (let attempt = 1; current === undefined; attempt++) {
    const chosen = (await freePorts(4)) as [number, number, number, number];
    try {
      current = await launch(chosen);
      ports = chosen;
    } catch (error) {
      if (attempt < JAEGER_START_ATTEMPTS && error instanceof Error && /address already in use/i.test(error.message)) continue;
      await rm(dataDir, { recursive: true, force: true });
      throw error;
    }
  }
  const fixedPorts = ports as [number, number, number, number];
  let running: StartedProgram = current;
  // The output of the runs before the current one, for failure messages.
  let earlierOutput = '';
  return {
    get child() {
      return running.child;
    },
    output: () => (earlierOutput + running.output()).slice(-20_000),
    stop: () => running.stop(),
    start: async () => {
      await running.stop();
      earlierOutput = `${earlierOutput}${running.output()}\n--- Jaeger started again on the same data ---\n`;
      running = await launch(fixedPorts);
    },
    discard: async () => {
      await running.stop();
      await rm(dataDir, { recursive: true, force: true });
    },
    queryUrl: `http://127.0.0.1:${fixedPorts[0]}`,
    otlpGrpcEndpoint: `127.0.0.1:${fixedPorts[3]}`,
    dataDir,
  };
}

/** Where the collector sends what it receives: the variables otel-collector.yaml reads. */
export interface CollectorTargets {
  /** Jaeger's OTLP gRPC endpoint, `host:port` (JAEGER_OTLP_ENDPOINT). */
  readonly jaegerOtlpEndpoint: string;
  /** VictoriaLogs' base URL, `http://host:port` (VICTORIALOGS_URL). */
  readonly victoriaLogsUrl: string;
  /** VictoriaMetrics' base URL, `http://host:port` (VICTORIAMETRICS_URL), where the RED metrics go. */
  readonly victoriaMetricsUrl: string;
}

/**
 * How often the collector's span_metrics connector sends its counters in the tests
 * (SPAN_METRICS_FLUSH_INTERVAL; otel-collector.yaml's default is 15 s): metrics arrive within
 * seconds. Not 1 s: two flushes can be less than a second apart when the first ran late, and
 * Jaeger's `ratePer` must be a second or more (it cuts `999ms` to `999m`).
 */
export const TEST_SPAN_METRICS_FLUSH_INTERVAL = '2s';

/** More for the collector: configuration files merged over otel-collector.yaml (lists are replaced, not merged), and the variables they read. */
export interface CollectorExtras {
  readonly configs?: readonly string[];
  readonly env?: Readonly<Record<string, string>>;
}

/**
 * Starts the collector built from tools/stack/otelcol-builder.yaml with the repository's own
 * otel-collector.yaml, unchanged; JAEGER_OTLP_ENDPOINT, VICTORIALOGS_URL and VICTORIAMETRICS_URL
 * point it at `targets`, and SPAN_METRICS_FLUSH_INTERVAL is {@link TEST_SPAN_METRICS_FLUSH_INTERVAL}.
 */
export async function startCollector(binary: string, targets: CollectorTargets, extra: CollectorExtras = {}): Promise<RunningProgram> {
  for (const [name, port] of Object.entries(COLLECTOR_PORTS)) {
    if (!(await isPortFree(port))) {
      throw new Error(`Port ${port} (collector ${name}, fixed by otel-collector.yaml) is in use; stop what holds it`);
    }
  }
  const program = startProgram(binary, ['--config', 'otel-collector.yaml', ...(extra.configs ?? []).flatMap((file) => ['--config', file])], {
    ...extra.env,
    JAEGER_OTLP_ENDPOINT: targets.jaegerOtlpEndpoint,
    VICTORIALOGS_URL: targets.victoriaLogsUrl,
    VICTORIAMETRICS_URL: targets.victoriaMetricsUrl,
    SPAN_METRICS_FLUSH_INTERVAL: TEST_SPAN_METRICS_FLUSH_INTERVAL,
  });
  try {
    await waitUntilAnswering([`http://127.0.0.1:${COLLECTOR_PORTS.health}/`], program, 'the collector');
  } catch (error) {
    await program.stop();
    throw error;
  }
  return program;
}
