/**
 * npm run bench: what the session context and the telemetry cost, side by side with the
 * alternatives, as medians and ratios measured in one run (docs/performance.md).
 *
 * Every variant is its own process on loopback; autocannon loads one at a time from this
 * process, variants interleaved over several rounds, since these machines are noisy. The
 * exporting variants export to a light sink that discards; variants 13 and 14, the default
 * service exporting to the real OpenTelemetry Collector running the stack's pipelines (14 with
 * the RED metrics connector too), run beside them when the collector is built
 * (`bash tools/stack/build-collector.sh`), and are skipped with a line saying so when it is not.
 *
 *   npm run bench                      7 rounds of 5 s per variant
 *   npm run bench -- --smoke           1 round of 1 s (what CI runs, to keep the script working)
 *   npm run bench -- --rounds 8 --duration 10 --connections 100
 */
import { spawn } from 'node:child_process';
import { mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { cpus } from 'node:os';
import { parseArgs } from 'node:util';
import { residentMiB } from '../../test/core/support/probes.ts';
import { load, type Sample } from './load.ts';
import { builtCollector, cpuSecondsOf, root, SERVICE, startCollectorSink, startDiscardSink, startOnFreePorts, startVariant, type Running, type Sink } from './processes.ts';
import { benchVariants } from './variant-list.ts';

const { values: args } = parseArgs({
  options: {
    rounds: { type: 'string', default: '7' },
    duration: { type: 'string', default: '5' },
    connections: { type: 'string', default: '50' },
    smoke: { type: 'boolean', default: false },
    output: { type: 'string', default: `${root}tools/bench/results` },
  },
});
const rounds = args.smoke ? 1 : Number(args.rounds);
const durationSeconds = args.smoke ? 1 : Number(args.duration);
const connections = Number(args.connections);
const startupRepeats = args.smoke ? 1 : 5;

const median = (values: number[]): number => {
  const sorted = [...values].sort((a, b) => a - b);
  const middle = Math.floor(sorted.length / 2);
  return sorted.length % 2 === 1 ? sorted[middle]! : (sorted[middle - 1]! + sorted[middle]!) / 2;
};

/** Milliseconds from spawn to the first 200 from /healthz. */
async function startupMs(env: Record<string, string>): Promise<number> {
  let started = 0;
  const { child } = await startOnFreePorts(
    'the service (startup time)',
    1,
    ([port]) => {
      started = performance.now();
      return spawn(SERVICE[0]!, SERVICE.slice(1), { cwd: root, env: { PATH: process.env['PATH'] ?? '', PORT: String(port), HOST: '127.0.0.1', ...env }, stdio: 'ignore' });
    },
    ([port]) => `http://127.0.0.1:${port}/healthz`,
    60_000,
  );
  const elapsed = Math.round(performance.now() - started);
  child.kill('SIGKILL');
  if (child.exitCode === null && child.signalCode === null) await new Promise((resolve) => child.once('exit', resolve));
  return elapsed;
}

/** Every instrumentation of @opentelemetry/auto-instrumentations-node, for the "all" startup. */
function allInstrumentations(): string {
  const manifest = JSON.parse(readFileSync(`${root}node_modules/@opentelemetry/auto-instrumentations-node/package.json`, 'utf8')) as { dependencies: Record<string, string> };
  return Object.keys(manifest.dependencies)
    .filter((name) => name.startsWith('@opentelemetry/instrumentation-'))
    .map((name) => name.slice('@opentelemetry/instrumentation-'.length))
    .join(',');
}

/** What a full-service variant's `/readyz` says of its spans and log records. */
interface Delivery {
  readonly exported: number;
  readonly droppedQueueFull: number;
  readonly failedExport: number;
}
type TelemetryDelivery = Readonly<Record<'spans' | 'logRecords', Delivery>>;

/** The delivery counters `/readyz` of the service at `url` reports (docs/routes-and-errors.md). */
async function deliveryOf(url: string): Promise<TelemetryDelivery> {
  const response = await fetch(`${url}/readyz`, { signal: AbortSignal.timeout(10_000) });
  const body = (await response.json()) as { telemetry: TelemetryDelivery };
  return { spans: body.telemetry.spans, logRecords: body.telemetry.logRecords };
}

/** The real collector as the sink of variant 13 (or 14, with `redMetrics`), or why it is skipped. */
async function startCollectorIfBuilt(redMetrics: boolean): Promise<Sink | string> {
  const collector = builtCollector();
  if (collector === undefined) return 'the collector is not built (bash tools/stack/build-collector.sh builds it)';
  try {
    return await startCollectorSink(collector, { redMetrics });
  } catch (error) {
    return `the collector did not start (${error instanceof Error ? error.message : String(error)})`;
  }
}

const lightSink = await startDiscardSink();
const collectorOrWhyNot = await startCollectorIfBuilt(false);
const redMetricsCollectorOrWhyNot = await startCollectorIfBuilt(true);
const collectorSink = typeof collectorOrWhyNot === 'string' ? undefined : collectorOrWhyNot;
const redMetricsCollectorSink = typeof redMetricsCollectorOrWhyNot === 'string' ? undefined : redMetricsCollectorOrWhyNot;
const COLLECTOR_SKIPPED = [
  ...(typeof collectorOrWhyNot === 'string' ? [`13. as 12, exporting to the real OpenTelemetry Collector: skipped, ${collectorOrWhyNot}`] : []),
  ...(typeof redMetricsCollectorOrWhyNot === 'string' ? [`14. as 13, the collector also deriving RED metrics: skipped, ${redMetricsCollectorOrWhyNot}`] : []),
];
for (const line of COLLECTOR_SKIPPED) process.stderr.write(`bench: variant ${line}\n`);
const sinkKinds = { light: lightSink.kind, collector: collectorSink?.kind ?? null, collectorRedMetrics: redMetricsCollectorSink?.kind ?? null };
const chosen = benchVariants({ light: lightSink.endpoint, collector: collectorSink?.endpoint, collectorRedMetrics: redMetricsCollectorSink?.endpoint });
const processes = new Map<string, Running>();
for (const variant of chosen) processes.set(variant.id, await startVariant(variant));

await new Promise((resolve) => setTimeout(resolve, 1000));
/** Resident memory 1 s after start, before any load: the default service (12) and 8, without log records. */
const IDLE_MEASURED = ['service-log-export', 'service'];
const idleRssMiB = Object.fromEntries(IDLE_MEASURED.map((id) => [id, residentMiB(processes.get(id)!.pid, 'VmRSS')]));

process.stderr.write(`bench: warming up ${chosen.length} variants\n`);
/** Requests each variant answered while warming up: its sink's CPU time covers them too. */
const warmUpRequests = new Map<string, number>();
for (const variant of chosen) warmUpRequests.set(variant.id, (await load(processes.get(variant.id)!.url, 1, connections)).requests);

/** A round's load of one variant, with the CPU time its process spent per request answered. */
type MeasuredSample = Sample & { readonly cpuMicrosPerRequest: number };

const samples = new Map<string, MeasuredSample[]>(chosen.map((variant) => [variant.id, []]));
for (let round = 0; round < rounds; round++) {
  // Rotate the order each round so no variant always runs right after the same neighbour.
  const order = chosen.map((_, i) => chosen[(i + round) % chosen.length]!);
  for (const variant of order) {
    process.stderr.write(`bench: round ${round + 1}/${rounds} ${variant.label}\n`);
    const { url, pid } = processes.get(variant.id)!;
    const cpuBefore = cpuSecondsOf(pid);
    const sample = await load(url, durationSeconds, connections);
    // CPU time moves less than throughput on a shared machine, and adds up (docs/performance.md, "A traced request's time").
    const cpuMicrosPerRequest = Math.round(((cpuSecondsOf(pid) - cpuBefore) * 1e6) / (sample.requestsPerSecond * durationSeconds) * 10) / 10;
    samples.get(variant.id)!.push({ ...sample, cpuMicrosPerRequest });
  }
}

const peakMiB = new Map(chosen.map((variant) => [variant.id, residentMiB(processes.get(variant.id)!.pid, 'VmHWM')]));
// What each full service exported by the end of the load, and lost: an exporter that failed,
// or a queue that overflowed, would make a variant look cheaper than it is.
const delivery = new Map<string, TelemetryDelivery>();
for (const variant of chosen.filter((candidate) => candidate.command === SERVICE)) {
  delivery.set(variant.id, await deliveryOf(processes.get(variant.id)!.url));
}
const lightSinkReceived = (await (await fetch(`${lightSink.endpoint}/`)).json()) as { exports: Record<string, number>; bytes: number };
const sinkCpuSeconds = {
  light: lightSink.cpuSeconds(),
  collector: collectorSink?.cpuSeconds() ?? null,
  collectorRedMetrics: redMetricsCollectorSink?.cpuSeconds() ?? null,
};
for (const service of processes.values()) await service.stop();
await lightSink.stop();
await collectorSink?.stop();
await redMetricsCollectorSink?.stop();

process.stderr.write('bench: startup times\n');
const startupDefault: number[] = [];
const startupAll: number[] = [];
for (let i = 0; i < startupRepeats; i++) {
  startupDefault.push(await startupMs({ OTEL_TRACES_EXPORTER: 'none' }));
  startupAll.push(await startupMs({ OTEL_TRACES_EXPORTER: 'none', OTEL_NODE_ENABLED_INSTRUMENTATIONS: allInstrumentations() }));
}

const summary = chosen.map((variant) => {
  const runs = samples.get(variant.id)!;
  return {
    id: variant.id,
    label: variant.label,
    requestsPerSecond: Math.round(median(runs.map((run) => run.requestsPerSecond))),
    p50Ms: median(runs.map((run) => run.p50)),
    p99Ms: median(runs.map((run) => run.p99)),
    cpuMicrosPerRequest: median(runs.map((run) => run.cpuMicrosPerRequest)),
    errors: runs.reduce((sum, run) => sum + run.errors, 0),
    peakRssMiB: peakMiB.get(variant.id)!,
    sink: variant.sink ?? null,
    delivery: delivery.get(variant.id) ?? null,
    samples: runs,
  };
});
/**
 * Throughput of `id` relative to `base`: the median over rounds of the two measured in the same
 * round, so that the machine drifting between rounds cancels out.
 */
const ratio = (id: string, base = 'express'): number => {
  const baseRuns = samples.get(base)!;
  const perRound = samples.get(id)!.map((run, round) => run.requestsPerSecond / baseRuns[round]!.requestsPerSecond);
  return Math.round(median(perRound) * 1000) / 1000;
};

/** The goals of docs/performance.md: what each ratio must reach. */
const goals = [
  { goal: 'session middleware (3) keeps >= 97% of bare Express', value: ratio('session-context'), target: 0.97 },
  { goal: 'session middleware (3) beats cls-rtracer (4)', value: ratio('session-context', 'cls-rtracer'), target: 1 },
  { goal: 'session middleware (3) beats express-http-context (5)', value: ratio('session-context', 'express-http-context'), target: 1 },
  { goal: 'full service, SDK disabled (6), keeps >= 75% of bare Express', value: ratio('service-sdk-disabled'), target: 0.75 },
  { goal: 'default service, spans and log records exported (12), keeps >= 60% of bare Express', value: ratio('service-log-export'), target: 0.6 },
  { goal: 'default service (12) is ahead of the stock reference (11)', value: ratio('service-log-export', 'express-otel-http'), target: 1 },
].map((goal) => ({ ...goal, met: goal.target === 1 ? goal.value > 1 : goal.value >= goal.target }));

/** Costs measured without a goal: what an option costs the same service (throughput kept). */
const costs = [
  { cost: 'exporting log records (12 vs 8, the same service without them)', value: ratio('service-log-export', 'service') },
  { cost: 'the session bridge (8 vs 7)', value: ratio('service', 'service-bridge-off') },
  { cost: 'sampling sessions at 0.1 (10 vs 8)', value: ratio('service-session-sampled', 'service') },
  ...(samples.has('service-log-export-collector')
    ? [{ cost: 'the real collector instead of the light sink (13 vs 12)', value: ratio('service-log-export-collector', 'service-log-export') }]
    : []),
  ...(samples.has('service-log-export-collector') && samples.has('service-log-export-collector-red-metrics')
    ? [{ cost: 'RED metrics derived in the collector (14 vs 13)', value: ratio('service-log-export-collector-red-metrics', 'service-log-export-collector') }]
    : []),
];

/**
 * CPU time a collector sink spent per request of the one variant that exports to it (over the
 * warm-up and every round): what the stack's collector costs a request, and what the RED
 * metrics connector adds to it (14 against 13).
 */
const collectorCpuMicrosPerRequest = (cpuSeconds: number | null, id: string): number | null => {
  const runs = samples.get(id);
  if (cpuSeconds === null || runs === undefined) return null;
  const requests = runs.reduce((sum, run) => sum + run.requests, 0) + (warmUpRequests.get(id) ?? 0);
  return Math.round((cpuSeconds * 1e6 * 10) / requests) / 10;
};
const collectorCost = {
  withoutRedMetrics: collectorCpuMicrosPerRequest(sinkCpuSeconds.collector, 'service-log-export-collector'),
  withRedMetrics: collectorCpuMicrosPerRequest(sinkCpuSeconds.collectorRedMetrics, 'service-log-export-collector-red-metrics'),
};

const machine = { cores: cpus().length, cpu: cpus()[0]?.model ?? 'unknown', node: process.version };
const report = {
  date: new Date().toISOString(),
  machine,
  settings: { rounds, durationSeconds, connections, smoke: args.smoke },
  sinks: sinkKinds,
  lightSinkReceived,
  sinkCpuSeconds,
  collectorCpuMicrosPerRequest: collectorCost,
  variants: summary.map((entry) => ({ ...entry, ratioToExpress: ratio(entry.id) })),
  startup: { defaultInstrumentationsMs: median(startupDefault), allInstrumentationsMs: median(startupAll), runs: { startupDefault, startupAll } },
  idleRssMiB,
  goals,
  costs,
};

mkdirSync(args.output, { recursive: true });
const file = `${args.output}/bench-${report.date.replaceAll(':', '-')}.json`;
writeFileSync(file, `${JSON.stringify(report, null, 2)}\n`);

const lines = [
  `Machine: ${machine.cores} cores (${machine.cpu}), Node ${machine.node}; ${rounds} round(s) of ${durationSeconds} s per variant, ${connections} connections.`,
  'req/s, p50, p99: medians over rounds; ratios: medians of the per-round ratios (both measured in the same round); CPU µs a request: the variant process\'s user and system time (all threads) over a round\'s load, divided by the requests it answered, median over rounds.',
  `Telemetry sinks: "light" (6 to 12) is ${sinkKinds.light}; "collector" (13) is ${sinkKinds.collector ?? 'not run'}; "collector-red-metrics" (14) is ${sinkKinds.collectorRedMetrics ?? 'not run'}.`,
  '',
  '| variant | req/s | vs bare Express | CPU µs a request | p50 ms | p99 ms | peak RSS MiB | sink |',
  '| --- | ---: | ---: | ---: | ---: | ---: | ---: | --- |',
  ...summary.map(
    (entry) =>
      `| ${entry.label} | ${entry.requestsPerSecond} | ${ratio(entry.id).toFixed(3)} | ${entry.cpuMicrosPerRequest} | ${entry.p50Ms} | ${entry.p99Ms} | ${entry.peakRssMiB} | ${entry.sink ?? '-'} |`,
  ),
  ...(COLLECTOR_SKIPPED.length > 0 ? ['', ...COLLECTOR_SKIPPED] : []),
  '',
  'Telemetry of the full services by the end of the load (their /readyz), exported / dropped (queue full) / failed:',
  '',
  '| variant | spans | log records |',
  '| --- | ---: | ---: |',
  ...summary
    .filter((entry) => entry.delivery !== null)
    .map((entry) => `| ${entry.label.split('.')[0]!} | ${describeDelivery(entry.delivery!.spans)} | ${describeDelivery(entry.delivery!.logRecords)} |`),
  '',
  `CPU time the sinks used over the run: light sink ${sinkCpuSeconds.light.toFixed(1)} s (${Object.values(lightSinkReceived.exports).reduce((sum, count) => sum + count, 0)} exports, ${Math.round(lightSinkReceived.bytes / 1048576)} MiB)${sinkCpuSeconds.collector === null ? '' : `, collector ${sinkCpuSeconds.collector.toFixed(1)} s`}${sinkCpuSeconds.collectorRedMetrics === null ? '' : `, collector with RED metrics ${sinkCpuSeconds.collectorRedMetrics.toFixed(1)} s`}; ${rounds * durationSeconds} s of load per variant.`,
  ...(collectorCost.withoutRedMetrics === null || collectorCost.withRedMetrics === null
    ? []
    : [
        `Collector CPU a request (its CPU time over the requests of the one variant exporting to it): ${collectorCost.withoutRedMetrics} µs for the trace and log pipelines (13), ${collectorCost.withRedMetrics} µs with the RED metrics pipelines too (14).`,
      ]),
  `Startup to the first 200 from /healthz: ${report.startup.defaultInstrumentationsMs} ms with the default instrumentations, ${report.startup.allInstrumentationsMs} ms with all of auto-instrumentations-node (median of ${startupRepeats}).`,
  `Idle, 1 s after start: ${idleRssMiB['service-log-export']} MiB resident for the default service (12), ${idleRssMiB['service']} MiB for 8 (no log records).`,
  '',
  '| goal | measured | met |',
  '| --- | ---: | --- |',
  ...goals.map((goal) => `| ${goal.goal} | ${goal.value.toFixed(3)} | ${goal.met ? 'yes' : '**no**'} |`),
  '',
  '| cost | throughput kept |',
  '| --- | ---: |',
  ...costs.map((cost) => `| ${cost.cost} | ${cost.value.toFixed(3)} |`),
];
process.stdout.write(`${lines.join('\n')}\n\nbench: results in ${file}\n`);
const lost = summary.filter(
  (entry) => entry.delivery !== null && [entry.delivery.spans, entry.delivery.logRecords].some((d) => d.droppedQueueFull + d.failedExport > 0),
);
if (lost.length > 0) process.stderr.write(`bench: telemetry lost (dropped or failed) by ${lost.map((entry) => entry.id).join(', ')}: their throughput does not count every export\n`);
if (summary.some((entry) => entry.errors > 0)) {
  process.stderr.write(`bench: some requests failed: ${summary.map((entry) => `${entry.id}=${entry.errors}`).join(' ')}\n`);
  process.exitCode = 1;
}

function describeDelivery(delivery: Delivery): string {
  return `${delivery.exported} / ${delivery.droppedQueueFull} / ${delivery.failedExport}`;
}
