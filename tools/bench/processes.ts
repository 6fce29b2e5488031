/**
 * The processes a benchmark runs: each variant on its own free port, and the OTLP sinks the
 * exporting variants export to. Shared by `run.ts` (throughput) and `profile.ts` (CPU profiles).
 */
import { execFileSync, spawn, type ChildProcess } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { fileURLToPath } from 'node:url';
import { collectorSinkConfig, readStackCollectorConfig, type CollectorSinkOptions } from './collector-sink-config.ts';
import { freePorts } from '../../test/core/support/ports.ts';
import { answersOk } from '../../test/core/support/probes.ts';
import { waitFor } from '../../test/core/support/service-process.ts';

/** The repository root, where every variant runs. */
export const root = fileURLToPath(new URL('../../', import.meta.url));
const node = process.execPath;

/** The full service, started as `npm start` starts it. */
export const SERVICE = [node, '--import', './src/core/preload.ts', './src/main.ts'];

/** One benchmarked program: what it is called and how it is started. */
export interface Variant {
  readonly id: string;
  readonly label: string;
  readonly command: readonly string[];
  readonly env: Readonly<Record<string, string>>;
  /** Where it exports its telemetry, when it exports any: the light sink or a real collector. */
  readonly sink?: SinkName;
}

/**
 * The sinks of a benchmark (see {@link startDiscardSink} and {@link startCollectorSink}): the
 * light one, the real collector with the stack's trace and log pipelines, and the same with
 * the RED metrics pipelines too.
 */
export type SinkName = 'light' | 'collector' | 'collector-red-metrics';

/** A running variant. Its stdout (the service's JSON log) goes to /dev/null, as in production. */
export interface Running {
  readonly url: string;
  readonly pid: number;
  stop(): Promise<void>;
}

/** Attempts at starting a program on ports chosen ahead: another process may take one first. */
const START_ATTEMPTS = 3;

/**
 * Spawns `spawnOn(ports)` on `count` free ports and waits until `probe(ports)` answers 2xx.
 * The ports are chosen before the program binds them, so another process may take one first:
 * the program then exits (address in use) and is started again on new ports. An exit on every
 * attempt, or no answer within `timeoutMs`, fails with what did not happen.
 */
export async function startOnFreePorts(
  what: string,
  count: number,
  spawnOn: (ports: number[]) => ChildProcess,
  probe: (ports: number[]) => string,
  timeoutMs: number,
): Promise<{ child: ChildProcess; ports: number[] }> {
  for (let attempt = 1; ; attempt++) {
    const ports = await freePorts(count);
    const child = spawnOn(ports);
    let exitedWith: string | undefined;
    child.once('exit', (code, signal) => (exitedWith = String(code ?? signal)));
    try {
      await waitFor(`${what} to answer at ${probe(ports)}`, async () => {
        if (exitedWith !== undefined) throw new Error(`${what} exited (${exitedWith}) before answering at ${probe(ports)}`);
        return answersOk(probe(ports));
      }, timeoutMs);
      return { child, ports };
    } catch (error) {
      if (exitedWith === undefined) child.kill('SIGKILL');
      if (exitedWith === undefined || attempt >= START_ATTEMPTS) throw error;
      process.stderr.write(`bench: ${what} exited before answering (its port may have been taken); starting it again\n`);
    }
  }
}

/** Stops `child` with SIGTERM and resolves once it has exited. */
async function stopChild(child: ChildProcess): Promise<void> {
  child.kill('SIGTERM');
  if (child.exitCode === null && child.signalCode === null) await new Promise((resolve) => child.once('exit', resolve));
}

/**
 * Starts `variant` on a free loopback port, ready once `GET /api/session` answers.
 * `nodeOptions` go before the command's own arguments (for example `--cpu-prof`).
 */
export async function startVariant(variant: Variant, nodeOptions: readonly string[] = []): Promise<Running> {
  const [program, ...rest] = variant.command;
  const { child, ports } = await startOnFreePorts(
    variant.label,
    1,
    ([port]) =>
      spawn(program!, [...nodeOptions, ...rest], {
        cwd: root,
        env: { PATH: process.env['PATH'] ?? '', PORT: String(port), HOST: '127.0.0.1', ...variant.env },
        stdio: ['ignore', 'ignore', 'inherit'],
      }),
    ([port]) => `http://127.0.0.1:${port}/api/session`,
    30_000,
  );
  return { url: `http://127.0.0.1:${ports[0]!}`, pid: child.pid!, stop: () => stopChild(child) };
}

/** Where the full service exports its telemetry during a benchmark. */
export interface Sink {
  readonly endpoint: string;
  /** What the sink is, for the report. */
  readonly kind: string;
  /** CPU time the sink has used since it started, in seconds: what it took from the machine. */
  cpuSeconds(): number;
  stop(): Promise<void>;
}

/** User and system CPU time of process `pid` (all its threads) so far, in seconds (/proc, at 100 ticks a second). */
export function cpuSecondsOf(pid: number): number {
  // The fields after the command name, which is in parentheses and may hold spaces.
  const fields = readFileSync(`/proc/${pid}/stat`, 'utf8').split(') ')[1]!.split(' ');
  return (Number(fields[11]) + Number(fields[12])) / 100;
}

/**
 * The light sink every exporting variant but one exports to: a local endpoint
 * (tools/bench/otlp-discard-sink.ts) that answers each OTLP/HTTP export with the empty
 * success response and discards it, so the receiver costs the machine next to nothing.
 */
export async function startDiscardSink(): Promise<Sink> {
  const { child, ports } = await startOnFreePorts(
    'the light sink',
    1,
    ([port]) => spawn(node, ['tools/bench/otlp-discard-sink.ts'], { cwd: root, env: { PORT: String(port) }, stdio: 'ignore' }),
    ([port]) => `http://127.0.0.1:${port}/`,
    30_000,
  );
  return {
    endpoint: `http://127.0.0.1:${ports[0]!}`,
    kind: 'a local endpoint that answers each OTLP/HTTP export 200 with the empty success response and discards it (tools/bench/otlp-discard-sink.ts)',
    cpuSeconds: () => cpuSecondsOf(child.pid!),
    stop: () => stopChild(child),
  };
}

/** The path of the real collector's binary, or undefined when it has not been built. */
export function builtCollector(): string | undefined {
  try {
    const path = execFileSync('bash', ['tools/stack/build-collector.sh', '--if-built'], { cwd: root, stdio: ['ignore', 'pipe', 'ignore'] }).toString('utf8').trim();
    return path === '' ? undefined : path;
  } catch {
    return undefined;
  }
}

/**
 * The real OpenTelemetry Collector (`collector`, from {@link builtCollector}) as a sink, running
 * the stack's otel-collector.yaml with OTLP/HTTP in on a free port and the debug exporter in
 * place of Jaeger, VictoriaLogs and VictoriaMetrics (tools/bench/collector-sink-config.ts);
 * with `redMetrics`, also the span_metrics connector's pipelines.
 */
export async function startCollectorSink(collector: string, options: CollectorSinkOptions): Promise<Sink> {
  const folder = mkdtempSync(`${tmpdir()}/bench-collector-`);
  const config = `${folder}/config.yaml`;
  // JSON is YAML: the collector reads it as it reads otel-collector.yaml.
  writeFileSync(config, JSON.stringify(collectorSinkConfig(readStackCollectorConfig(root), options), null, 2));
  const what = options.redMetrics ? 'the collector sink with RED metrics' : 'the collector sink';
  try {
    const { child, ports } = await startOnFreePorts(
      what,
      2,
      ([httpPort, healthPort]) =>
        spawn(collector, ['--config', config], {
          cwd: root,
          env: { BENCH_OTLP_HTTP_PORT: String(httpPort), BENCH_HEALTH_PORT: String(healthPort) },
          stdio: 'ignore',
        }),
      ([, healthPort]) => `http://127.0.0.1:${healthPort}/`,
      30_000,
    );
    return {
      endpoint: `http://127.0.0.1:${ports[0]!}`,
      kind: `the real OpenTelemetry Collector (built from tools/stack/otelcol-builder.yaml) running otel-collector.yaml's ${options.redMetrics ? 'trace, log and RED metrics' : 'trace and log'} pipelines, OTLP/HTTP in, the debug exporter out`,
      cpuSeconds: () => cpuSecondsOf(child.pid!),
      stop: async () => {
        await stopChild(child);
        rmSync(folder, { recursive: true, force: true });
      },
    };
  } catch (error) {
    rmSync(folder, { recursive: true, force: true });
    throw error;
  }
}
