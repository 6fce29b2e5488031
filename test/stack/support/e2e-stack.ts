import { expect } from 'chai';
import { generateOrdersProject } from './orders-service.ts';
import { builtBinary, startCollector, startJaeger, type CollectorTargets, type Jaeger, type RunningProgram } from './observability-stack.ts';
import { startVictoriaLogs, type VictoriaLogs } from './victoria-logs.ts';
import { startVictoriaMetrics, type VictoriaMetrics } from './victoria-metrics.ts';
import { startCommand, startServiceProcess, type ServiceProcess } from '../../core/support/service-process.ts';

/** The whole system of the end-to-end tests, every part a real program on loopback. */
export interface E2eStack {
  readonly jaeger: Jaeger;
  /** The log store; `baseUrl` answers LogsQL. */
  readonly victoriaLogs: VictoriaLogs;
  /** The metrics store the collector writes RED metrics to, and Jaeger's Monitor tab reads. */
  readonly victoriaMetrics: VictoriaMetrics;
  readonly collector: RunningProgram;
  /** The edge service, named `api`, calling `orders` downstream. */
  readonly api: ServiceProcess;
  /** The internal service, named `orders`, trusting its caller's baggage. */
  readonly orders: ServiceProcess;
  /** Kills the services and stops every program; every data directory is removed. */
  stop(): Promise<void>;
}

/**
 * What makes a service export its spans and log records to the local collector (OTLP/HTTP on
 * 4318) every 200 ms instead of the SDK's 5 s and 1 s: tests wait for less.
 */
export const EXPORT_TO_COLLECTOR_ENV: Readonly<Record<string, string>> = {
  OTEL_EXPORTER_OTLP_ENDPOINT: 'http://127.0.0.1:4318',
  OTEL_BSP_SCHEDULE_DELAY: '200',
  OTEL_BLRP_SCHEDULE_DELAY: '200',
};

/** What the services export to: the collector, and the three stores behind it. */
export interface TelemetryBackends {
  readonly jaeger: Jaeger;
  readonly victoriaLogs: VictoriaLogs;
  readonly victoriaMetrics: VictoriaMetrics;
  readonly collector: RunningProgram;
  /** Where the collector sends (to start it again after a test stopped it). */
  readonly targets: CollectorTargets;
}

/**
 * VictoriaMetrics, Jaeger (on Badger, its Monitor tab reading VictoriaMetrics), VictoriaLogs
 * and the collector with the repository's otel-collector.yaml in front of them, each built from
 * the Go module proxy on first use. `victoriaLogsUrl` sends the collector's logs to another log
 * store instead (a cluster's insert node); the single node is started all the same.
 */
export async function startTelemetryBackends(options: { readonly victoriaLogsUrl?: string } = {}): Promise<TelemetryBackends> {
  const victoriaMetrics = await startVictoriaMetrics(builtBinary('build-victoriametrics.sh'));
  const jaeger = await startJaeger(builtBinary('build-jaeger.sh'), { victoriaMetricsUrl: victoriaMetrics.baseUrl });
  const victoriaLogs = await startVictoriaLogs({ binary: builtBinary('build-victorialogs.sh') });
  const targets: CollectorTargets = {
    jaegerOtlpEndpoint: jaeger.otlpGrpcEndpoint,
    victoriaLogsUrl: options.victoriaLogsUrl ?? victoriaLogs.baseUrl,
    victoriaMetricsUrl: victoriaMetrics.baseUrl,
  };
  const collector = await startCollector(builtBinary('build-collector.sh'), targets);
  return { jaeger, victoriaLogs, victoriaMetrics, collector, targets };
}

/**
 * Stops the collector first (what it still holds goes nowhere), then discards the stores:
 * each stopped and its data directory removed. Takes the programs as they are now (a test may
 * have started one again).
 */
export async function discardTelemetryBackends(backends: {
  readonly collector: RunningProgram;
  readonly victoriaLogs: VictoriaLogs;
  readonly jaeger: Jaeger;
  readonly victoriaMetrics: VictoriaMetrics;
}): Promise<void> {
  await backends.collector.stop();
  await backends.victoriaLogs.discard();
  await backends.jaeger.discard();
  await backends.victoriaMetrics.discard();
}

/**
 * The telemetry backends ({@link startTelemetryBackends}), then `orders` and `api` started as
 * `npm start` starts them, exporting spans and log records to the collector every 200 ms, with
 * `serviceEnv` (for example a sampler) on top for both. `startBackends` starts other backends
 * (a test's own); `stop()` discards the ones it returns.
 */
export async function startE2eStack(
  serviceEnv: Readonly<Record<string, string>> = {},
  startBackends: () => Promise<TelemetryBackends> = startTelemetryBackends,
): Promise<E2eStack> {
  const { jaeger, victoriaLogs, victoriaMetrics, collector } = await startBackends();
  const exportEnv = { ...EXPORT_TO_COLLECTOR_ENV, ...serviceEnv };
  // orders is its own service, generated from the template as docker compose builds it.
  const ordersProject = await generateOrdersProject();
  const orders = await startServiceProcess({ ...exportEnv, OTEL_SERVICE_NAME: 'orders', TRUST_INCOMING_BAGGAGE: 'true' }, ordersProject.command);
  const api = await startApi(orders, exportEnv);
  return {
    jaeger,
    victoriaLogs,
    victoriaMetrics,
    collector,
    api,
    orders,
    stop: async () => {
      await api.stop('SIGKILL');
      await orders.stop('SIGKILL');
      ordersProject.remove();
      await discardTelemetryBackends({ collector, victoriaLogs, jaeger, victoriaMetrics });
    },
  };
}

/**
 * Starts `api` (the demo, as `npm start` starts it) calling `orders` downstream and sending it
 * user.id, with `env` (the export settings, {@link EXPORT_TO_COLLECTOR_ENV}, and any other).
 */
export function startApi(orders: ServiceProcess, env: Readonly<Record<string, string>>): Promise<ServiceProcess> {
  return startServiceProcess({ ...env, OTEL_SERVICE_NAME: 'api', DOWNSTREAM_URL: `${orders.url}/api/orders`, PROPAGATE_USER_ID: 'true' }, startCommand());
}

/** The requests one session made, by trace id (from the x-trace-id response headers). */
export interface DrivenSession {
  /** The session every request ran in: with a login, the one the login started. */
  readonly sessionId: string;
  /** With a login: the session it was sent in, which the login replaced. */
  readonly replacedSessionId: string | undefined;
  readonly userId: string | undefined;
  /** The trace of each request, the login's first. */
  readonly traceIds: string[];
  readonly downstreamTraceId: string;
}

/**
 * One session against `api`, as a client keeps one: a login when `userId` is given (sent in
 * `sessionId`; it answers the new session it starts, which the client adopts), then an
 * (authenticated) read and a downstream call in the session it is in.
 */
export async function driveSession(api: ServiceProcess, sessionId: string, userId?: string): Promise<DrivenSession> {
  const headers: Record<string, string> = { 'x-session-id': sessionId };
  const responses: Response[] = [];
  if (userId !== undefined) {
    const login = await fetch(`${api.url}/api/login`, {
      method: 'POST',
      headers: { ...headers, 'content-type': 'application/json' },
      body: JSON.stringify({ userId }),
    });
    expect(login.status).to.equal(200);
    const started = login.headers.get('x-session-id');
    expect(started, 'the session the login started').to.match(/^[0-9a-f-]{36}$/).and.not.to.equal(sessionId);
    headers['x-session-id'] = started!;
    headers['authorization'] = `Bearer ${((await login.json()) as { token: string }).token}`;
    responses.push(login);
  }
  const current = headers['x-session-id']!;
  responses.push(await fetch(`${api.url}/api/session`, { headers }));
  const downstream = await fetch(`${api.url}/api/downstream`, { headers });
  expect(((await downstream.json()) as { downstream: { sessionId: string } }).downstream.sessionId).to.equal(current);
  responses.push(downstream);
  const traceIds = responses.map((response) => response.headers.get('x-trace-id')!);
  return { sessionId: current, replacedSessionId: userId === undefined ? undefined : sessionId, userId, traceIds, downstreamTraceId: traceIds.at(-1)! };
}
