/**
 * The processes of `npm run bench:gateway`: the real collector running the repository's
 * otel-gateway.yaml as it is (read at run time, so it measures whatever the file says), its
 * endpoints moved to free loopback ports through the file's own environment variables, and its
 * exporter pointed at the OTLP/gRPC discard sink (otlp-grpc-discard-sink.ts) in place of Jaeger.
 */
import { spawn, type ChildProcess } from 'node:child_process';
import { closeSync, openSync, readFileSync } from 'node:fs';
import { parse } from 'yaml';
import { cpuSecondsOf, root, startOnFreePorts } from '../processes.ts';

const node = process.execPath;

/** A running program of the gateway benchmark. */
export interface BenchProcess {
  readonly pid: number;
  cpuSeconds(): number;
  stop(): Promise<void>;
}

async function stop(child: ChildProcess): Promise<void> {
  child.kill('SIGTERM');
  if (child.exitCode === null && child.signalCode === null) await new Promise((resolve) => child.once('exit', resolve));
}

/** The discard sink: `endpoint` is `127.0.0.1:port` of its gRPC server, `statusUrl` its counters. */
export async function startGrpcDiscardSink(): Promise<BenchProcess & { endpoint: string; statusUrl: string }> {
  const { child, ports } = await startOnFreePorts(
    'the OTLP/gRPC discard sink',
    2,
    ([grpcPort, httpPort]) =>
      spawn(node, ['tools/bench/gateway/otlp-grpc-discard-sink.ts'], {
        cwd: root,
        env: { GRPC_PORT: String(grpcPort), HTTP_PORT: String(httpPort) },
        stdio: ['ignore', 'ignore', 'inherit'],
      }),
    ([, httpPort]) => `http://127.0.0.1:${httpPort}/`,
    30_000,
  );
  const pid = child.pid ?? 0;
  return {
    pid,
    endpoint: `127.0.0.1:${ports[0] ?? 0}`,
    statusUrl: `http://127.0.0.1:${ports[1] ?? 0}/`,
    cpuSeconds: () => cpuSecondsOf(pid),
    stop: () => stop(child),
  };
}

/** The gateway's configuration file, at the repository root. */
export const GATEWAY_CONFIG = 'otel-gateway.yaml';

/**
 * The decision window otel-gateway.yaml uses when TAIL_SAMPLING_DECISION_WAIT is not set (the
 * default of `${env:TAIL_SAMPLING_DECISION_WAIT:-…}`), or undefined when the file has none.
 */
export function defaultDecisionWait(configText: string): string | undefined {
  return /\$\{env:TAIL_SAMPLING_DECISION_WAIT:-([^}]+)\}/.exec(configText)?.[1]?.trim();
}

/** `num_traces` of the gateway's tail_sampling processor (how many traces it holds at most), if set. */
export function numTraces(configText: string): number | undefined {
  const config = parse(configText) as { processors?: Record<string, { num_traces?: number } | null> };
  const tailSampling = Object.entries(config.processors ?? {}).find(([id]) => id === 'tail_sampling' || id.startsWith('tail_sampling/'));
  return tailSampling?.[1]?.num_traces;
}

/** Reads otel-gateway.yaml. */
export function readGatewayConfig(): string {
  return readFileSync(`${root}${GATEWAY_CONFIG}`, 'utf8');
}

/** Seconds of a collector duration such as `2s`, `500ms`, `1m30s`. */
export function durationSeconds(duration: string): number {
  const units: Record<string, number> = { h: 3600, m: 60, s: 1, ms: 0.001 };
  const parts = [...duration.matchAll(/(\d+(?:\.\d+)?)(ms|h|m|s)/g)];
  if (parts.length === 0 || parts.map((part) => part[0]).join('') !== duration) throw new Error(`not a duration: ${duration}`);
  return parts.reduce((sum, part) => sum + Number(part[1]) * (units[part[2] ?? 's'] ?? 1), 0);
}

/** The gateway: OTLP/gRPC in at `endpoint`, its metrics at `metricsUrl`, its log appended to `logFile`. */
export async function startGateway(collector: string, sinkEndpoint: string, decisionWait: string, logFile: string): Promise<BenchProcess & { endpoint: string; metricsUrl: string }> {
  const log = openSync(logFile, 'a');
  const { child, ports } = await startOnFreePorts(
    'the gateway collector',
    3,
    ([grpcPort, healthPort, metricsPort]) =>
      spawn(collector, ['--config', GATEWAY_CONFIG], {
        cwd: root,
        env: {
          GATEWAY_NAME: 'bench-gateway',
          GATEWAY_OTLP_GRPC_ENDPOINT: `127.0.0.1:${grpcPort}`,
          GATEWAY_HEALTH_ENDPOINT: `127.0.0.1:${healthPort}`,
          GATEWAY_METRICS_HOST: '127.0.0.1',
          GATEWAY_METRICS_PORT: String(metricsPort),
          JAEGER_OTLP_ENDPOINT: sinkEndpoint,
          TAIL_SAMPLING_DECISION_WAIT: decisionWait,
        },
        stdio: ['ignore', 'ignore', log],
      }),
    ([, healthPort]) => `http://127.0.0.1:${healthPort}/`,
    30_000,
  ).finally(() => {
    closeSync(log);
  });
  const pid = child.pid ?? 0;
  return {
    pid,
    endpoint: `127.0.0.1:${ports[0] ?? 0}`,
    metricsUrl: `http://127.0.0.1:${ports[2] ?? 0}/metrics`,
    cpuSeconds: () => cpuSecondsOf(pid),
    stop: () => stop(child),
  };
}
