import { createServer, type Server } from 'node:http';
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { context, SpanKind, SpanStatusCode, trace, type Span, type Tracer } from '@opentelemetry/api';
import { closeServer } from '../../core/support/close-server.ts';
import { freePorts } from '../../core/support/ports.ts';
import { collectorMetricsAt, type MetricSample } from './collector-metrics.ts';
import { builtBinary, startJaeger, startProgram, waitUntilAnswering, type Jaeger, type StartedProgram } from './observability-stack.ts';
import { decodeOtlpMetrics } from './otlp-metrics-decoding.ts';

/** What {@link startGatewayTier} starts beside the defaults. */
export interface GatewayTierOptions {
  /** The gateways' names (GATEWAY_NAME, put on every resource as `collector.gateway`); default two. */
  readonly gateways?: readonly string[];
  /** Variables every gateway gets on top of its ports and Jaeger's endpoint (SESSION_SAMPLE_THRESHOLD, TAIL_SAMPLING_DECISION_WAIT...). */
  readonly gatewayEnv?: Readonly<Record<string, string>>;
  /**
   * Variables the agent gets on top of its ports and GATEWAY_ENDPOINTS. By default its logs
   * (VICTORIALOGS_URL) and RED metrics (VICTORIAMETRICS_URL) go to port 9, where nothing
   * answers: only traces are checked.
   */
  readonly agentEnv?: Readonly<Record<string, string>>;
  /** Configuration files merged over otel-agent.yaml (maps merge, lists are replaced), e.g. a test that turns retries off. */
  readonly agentConfigs?: readonly string[];
  /** Configuration files merged over otel-gateway.yaml. */
  readonly gatewayConfigs?: readonly string[];
}

/** One gateway collector (otel-gateway.yaml) on its own loopback ports, kept across restarts. */
export interface Gateway {
  readonly name: string;
  /** Its OTLP gRPC `host:port`, as the agent's GATEWAY_ENDPOINTS lists it (and `otelcol_loadbalancer_*`'s `endpoint` label). */
  readonly otlpEndpoint: string;
  /** Its Prometheus endpoint (`/metrics`) of its current process. */
  readonly metricsUrl: string;
  /** Its output, over every process it has had, for failure messages. */
  output(): string;
  /** Every sample its current process's Prometheus endpoint answers now (counters start at 0 in each process). */
  metrics(): Promise<MetricSample[]>;
  /**
   * Stops its process with `signal` and resolves once it has exited, with the metrics the
   * process pushed as it shut down: its final counts, after its receiver stopped and
   * tail_sampling decided its pending traces. A process killed (SIGKILL) pushes nothing:
   * then `undefined`.
   */
  stop(signal?: 'SIGTERM' | 'SIGKILL'): Promise<MetricSample[] | undefined>;
  /** Starts a new process on the same ports (the agent keeps sending to the same endpoint), resolved once its health check answers. */
  start(): Promise<void>;
}

/** The agent collector (otel-agent.yaml), a gateway tier behind it and Jaeger behind them. */
export interface GatewayTier {
  readonly jaeger: Jaeger;
  readonly gateways: readonly Gateway[];
  readonly agent: StartedProgram;
  /** The agent's OTLP/HTTP traces URL, `http://127.0.0.1:<port>/v1/traces`, for the services' SDK exporters. */
  readonly agentTracesUrl: string;
  /** Every sample the agent's Prometheus endpoint answers now. */
  agentMetrics(): Promise<MetricSample[]>;
  /** Stops the agent, then every gateway still running (SIGTERM), then Jaeger, and removes Jaeger's data and the temporary configs. */
  stop(): Promise<void>;
}

/**
 * Receives the OTLP/protobuf metrics the gateways push (a `periodic` reader added by a
 * configuration merged over otel-gateway.yaml), keeping the last push of each path: a
 * collector pushes once more as it shuts down, after its pipelines stopped, so that push
 * holds a process's final counts, which its Prometheus endpoint cannot give (a read before the
 * stop misses what arrives after it, and the endpoint is gone once the process has exited).
 */
interface PushedMetrics {
  readonly url: (path: string) => string;
  last(path: string): MetricSample[] | undefined;
  close(): Promise<void>;
}

async function receivePushedMetrics(): Promise<PushedMetrics> {
  const last = new Map<string, MetricSample[]>();
  const server: Server = createServer((request, response) => {
    const chunks: Buffer[] = [];
    request.on('data', (chunk: Buffer) => chunks.push(chunk));
    request.on('end', () => {
      try {
        last.set(request.url ?? '', decodeOtlpMetrics(Buffer.concat(chunks)));
        response.writeHead(200, { 'content-type': 'application/x-protobuf' }).end();
      } catch (error) {
        response.writeHead(400).end(String(error));
      }
    });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const address = server.address();
  if (address === null || typeof address === 'string') throw new Error('the metrics receiver has no port');
  return {
    url: (path) => `http://127.0.0.1:${address.port}${path}`,
    last: (path) => last.get(path),
    close: () => closeServer(server),
  };
}

/** The configuration merged over otel-gateway.yaml that pushes the gateway's own metrics to `endpoint` (and keeps its Prometheus endpoint). */
function pushMetricsConfig(endpoint: string): string {
  // Lists are replaced when configurations merge: the Prometheus reader of otel-gateway.yaml is repeated.
  return `service:
  telemetry:
    metrics:
      readers:
        - pull:
            exporter:
              prometheus:
                host: \${env:GATEWAY_METRICS_HOST}
                port: \${env:GATEWAY_METRICS_PORT}
        # An hour: in practice it pushes only as it shuts down.
        - periodic:
            interval: 3600000
            exporter:
              otlp:
                protocol: http/protobuf
                endpoint: ${endpoint}
`;
}

/**
 * Starts the gateway tier of docs/past-one-machine.md on free loopback ports, each program
 * with the repository's own configuration: Jaeger (jaeger.yaml, Badger in a temporary
 * directory; the Monitor tab's metrics backend is not used, nothing answers on port 9), the
 * gateways (otel-gateway.yaml, each with GATEWAY_NAME, its ports and JAEGER_OTLP_ENDPOINT, plus
 * `options.gatewayEnv`), then the agent (otel-agent.yaml, GATEWAY_ENDPOINTS listing the gateways
 * for its static resolver, plus `options.agentEnv`), each resolved once its health check answers. Every gateway
 * also pushes its own metrics to a receiver in this process, so that {@link Gateway.stop}
 * gives a stopped process's final counts. Stop it with {@link GatewayTier.stop}.
 */
export async function startGatewayTier(options: GatewayTierOptions = {}): Promise<GatewayTier> {
  const collector = builtBinary('build-collector.sh');
  const names = options.gateways ?? ['gateway-1', 'gateway-2'];
  const jaeger = await startJaeger(builtBinary('build-jaeger.sh'), { victoriaMetricsUrl: 'http://127.0.0.1:9' });
  const configDir = await mkdtemp(join(tmpdir(), 'gateway-tier-'));
  const pushed = await receivePushedMetrics();
  const ports = await freePorts(3 * names.length + 4);
  const gateways: (Gateway & { running(): boolean })[] = [];
  try {
    for (const [i, name] of names.entries()) {
      const [grpc, health, metrics] = ports.slice(3 * i, 3 * i + 3) as [number, number, number];
      gateways.push(await startGateway(collector, name, { grpc, health, metrics }, jaeger.otlpGrpcEndpoint, options, configDir, pushed));
    }
  } catch (error) {
    for (const gateway of gateways) await gateway.stop();
    await Promise.all([jaeger.discard(), pushed.close(), rm(configDir, { recursive: true, force: true })]);
    throw error;
  }
  const [grpc, http, health, metrics] = ports.slice(3 * names.length) as [number, number, number, number];
  const agent = startProgram(collector, ['--config', 'otel-agent.yaml', ...(options.agentConfigs ?? []).flatMap((file) => ['--config', file])], {
    AGENT_OTLP_GRPC_ENDPOINT: `127.0.0.1:${grpc}`,
    AGENT_OTLP_HTTP_ENDPOINT: `127.0.0.1:${http}`,
    AGENT_HEALTH_ENDPOINT: `127.0.0.1:${health}`,
    AGENT_METRICS_HOST: '127.0.0.1',
    AGENT_METRICS_PORT: String(metrics),
    VICTORIALOGS_URL: 'http://127.0.0.1:9',
    VICTORIAMETRICS_URL: 'http://127.0.0.1:9',
    ...options.agentEnv,
    GATEWAY_ENDPOINTS: `[${gateways.map((gateway) => gateway.otlpEndpoint).join(', ')}]`,
  });
  const stop = async (): Promise<void> => {
    await agent.stop();
    for (const gateway of gateways) if (gateway.running()) await gateway.stop();
    await Promise.all([jaeger.discard(), pushed.close(), rm(configDir, { recursive: true, force: true })]);
  };
  try {
    await waitUntilAnswering([`http://127.0.0.1:${health}/`], agent, 'the agent');
  } catch (error) {
    await stop();
    throw error;
  }
  return {
    jaeger,
    gateways,
    agent,
    agentTracesUrl: `http://127.0.0.1:${http}/v1/traces`,
    agentMetrics: () => collectorMetricsAt(`http://127.0.0.1:${metrics}/metrics`),
    stop,
  };
}

async function startGateway(
  collector: string,
  name: string,
  ports: { readonly grpc: number; readonly health: number; readonly metrics: number },
  jaegerOtlpEndpoint: string,
  options: GatewayTierOptions,
  configDir: string,
  pushed: PushedMetrics,
): Promise<Gateway & { running(): boolean }> {
  let life = 0;
  let program: StartedProgram | undefined;
  let earlierOutput = '';
  const pushPath = (): string => `/${name}/${life}/v1/metrics`;
  const launch = async (): Promise<void> => {
    life++;
    const pushConfig = join(configDir, `${name}-${life}-push-metrics.yaml`);
    await writeFile(pushConfig, pushMetricsConfig(pushed.url(pushPath())));
    const configs = ['otel-gateway.yaml', ...(options.gatewayConfigs ?? []), pushConfig];
    const started = startProgram(collector, configs.flatMap((file) => ['--config', file]), {
      ...options.gatewayEnv,
      GATEWAY_NAME: name,
      GATEWAY_OTLP_GRPC_ENDPOINT: `127.0.0.1:${ports.grpc}`,
      GATEWAY_HEALTH_ENDPOINT: `127.0.0.1:${ports.health}`,
      GATEWAY_METRICS_HOST: '127.0.0.1',
      GATEWAY_METRICS_PORT: String(ports.metrics),
      JAEGER_OTLP_ENDPOINT: jaegerOtlpEndpoint,
    });
    program = started;
    try {
      await waitUntilAnswering([`http://127.0.0.1:${ports.health}/`], started, name);
    } catch (error) {
      await started.stop();
      program = undefined;
      throw error;
    }
  };
  await launch();
  const metricsUrl = `http://127.0.0.1:${ports.metrics}/metrics`;
  return {
    name,
    otlpEndpoint: `127.0.0.1:${ports.grpc}`,
    metricsUrl,
    output: () => (earlierOutput + (program?.output() ?? '')).slice(-20_000),
    metrics: () => collectorMetricsAt(metricsUrl),
    running: () => program !== undefined,
    stop: async (signal = 'SIGTERM') => {
      const current = program;
      if (current === undefined) return undefined;
      if (signal === 'SIGKILL' && !current.exited()) current.child.kill('SIGKILL');
      await current.stop();
      earlierOutput = `${earlierOutput}${current.output()}\n--- ${name} stopped (${signal}) ---\n`;
      program = undefined;
      return signal === 'SIGKILL' ? undefined : pushed.last(pushPath());
    },
    start: async () => {
      if (program !== undefined) throw new Error(`${name} is running: stop it first`);
      await launch();
    },
  };
}

/**
 * One request as the gateway tier sees it: a server span in `api`, its client span, and the
 * `orders` service's server span (failed when `fails`), each with `session.id` when given.
 * Returns the three spans, ended, parents first.
 */
export function endRequestSpans(api: Tracer, orders: Tracer, sessionId: string | undefined, fails: boolean): [Span, Span, Span] {
  const attributes = sessionId === undefined ? {} : { 'session.id': sessionId };
  const server = api.startSpan('GET /checkout', { kind: SpanKind.SERVER, attributes });
  const client = api.startSpan('GET orders', { kind: SpanKind.CLIENT, attributes }, trace.setSpan(context.active(), server));
  const downstream = orders.startSpan('GET /orders', { kind: SpanKind.SERVER, attributes }, trace.setSpan(context.active(), client));
  if (fails) downstream.setStatus({ code: SpanStatusCode.ERROR, message: 'test failure' });
  downstream.end();
  client.end();
  server.end();
  return [server, client, downstream];
}
