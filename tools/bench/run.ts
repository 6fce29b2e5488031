/**
 * npm run bench: what the session context and the telemetry cost, side by side with the
 * alternatives, as medians and ratios measured in one run (README, "Performance").
 *
 * Every variant is its own process on loopback; autocannon loads one at a time from this
 * process, variants interleaved over several rounds, since these machines are noisy.
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
import { root, SERVICE, startOnFreePorts, startSink, startVariant, type Running } from './processes.ts';
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

const sink = await startSink();
const chosen = benchVariants(sink.endpoint);
const processes = new Map<string, Running>();
for (const variant of chosen) processes.set(variant.id, await startVariant(variant));

await new Promise((resolve) => setTimeout(resolve, 1000));
const idleMiB = residentMiB(processes.get('service')!.pid, 'VmRSS');

process.stderr.write(`bench: warming up ${chosen.length} variants\n`);
for (const variant of chosen) await load(processes.get(variant.id)!.url, 1, connections);

const samples = new Map<string, Sample[]>(chosen.map((variant) => [variant.id, []]));
for (let round = 0; round < rounds; round++) {
  // Rotate the order each round so no variant always runs right after the same neighbour.
  const order = chosen.map((_, i) => chosen[(i + round) % chosen.length]!);
  for (const variant of order) {
    process.stderr.write(`bench: round ${round + 1}/${rounds} ${variant.label}\n`);
    samples.get(variant.id)!.push(await load(processes.get(variant.id)!.url, durationSeconds, connections));
  }
}

const peakMiB = new Map(chosen.map((variant) => [variant.id, residentMiB(processes.get(variant.id)!.pid, 'VmHWM')]));
for (const service of processes.values()) await service.stop();
await sink.stop();

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
    errors: runs.reduce((sum, run) => sum + run.errors, 0),
    peakRssMiB: peakMiB.get(variant.id)!,
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

/** The goals of README "Performance": what each ratio must reach. */
const goals = [
  { goal: 'session middleware (3) keeps >= 97% of bare Express', value: ratio('session-context'), target: 0.97 },
  { goal: 'session middleware (3) beats cls-rtracer (4)', value: ratio('session-context', 'cls-rtracer'), target: 1 },
  { goal: 'session middleware (3) beats express-http-context (5)', value: ratio('session-context', 'express-http-context'), target: 1 },
  { goal: 'full service, SDK disabled (6), keeps >= 75% of bare Express', value: ratio('service-sdk-disabled'), target: 0.75 },
  { goal: 'full service exporting (8) keeps >= 45% of bare Express', value: ratio('service'), target: 0.45 },
  { goal: 'full service exporting (8) keeps >= 60% of bare Express (stretch)', value: ratio('service'), target: 0.6 },
  { goal: 'the session bridge (8 vs 7) costs <= 3%', value: ratio('service', 'service-bridge-off'), target: 0.97 },
  { goal: 'sampling sessions at 0.1 (10) is faster than tracing all (8)', value: ratio('service-session-sampled', 'service'), target: 1 },
].map((goal) => ({ ...goal, met: goal.target === 1 ? goal.value > 1 : goal.value >= goal.target }));

/** Costs measured without a goal: what an option costs the same service. */
const costs = [{ cost: 'exporting log records (12 vs 8, the same service without them)', value: ratio('service-log-export', 'service') }];

const machine = { cores: cpus().length, cpu: cpus()[0]?.model ?? 'unknown', node: process.version };
const report = {
  date: new Date().toISOString(),
  machine,
  settings: { rounds, durationSeconds, connections, smoke: args.smoke },
  sink: sink.kind,
  variants: summary.map((entry) => ({ ...entry, ratioToExpress: ratio(entry.id) })),
  startup: { defaultInstrumentationsMs: median(startupDefault), allInstrumentationsMs: median(startupAll), runs: { startupDefault, startupAll } },
  idleServiceRssMiB: idleMiB,
  goals,
  costs,
};

mkdirSync(args.output, { recursive: true });
const file = `${args.output}/bench-${report.date.replaceAll(':', '-')}.json`;
writeFileSync(file, `${JSON.stringify(report, null, 2)}\n`);

const lines = [
  `Machine: ${machine.cores} cores (${machine.cpu}), Node ${machine.node}; ${rounds} round(s) of ${durationSeconds} s per variant, ${connections} connections.`,
  'req/s, p50, p99: medians over rounds; ratios: medians of the per-round ratios (both measured in the same round).',
  `Telemetry sink of 6 to 12: ${sink.kind}.`,
  '',
  '| variant | req/s | vs bare Express | p50 ms | p99 ms | peak RSS MiB |',
  '| --- | ---: | ---: | ---: | ---: | ---: |',
  ...summary.map((entry) => `| ${entry.label} | ${entry.requestsPerSecond} | ${ratio(entry.id).toFixed(3)} | ${entry.p50Ms} | ${entry.p99Ms} | ${entry.peakRssMiB} |`),
  '',
  `Startup to the first 200 from /healthz: ${report.startup.defaultInstrumentationsMs} ms with the default instrumentations, ${report.startup.allInstrumentationsMs} ms with all of auto-instrumentations-node (median of ${startupRepeats}).`,
  `Idle full service (bridge on): ${idleMiB} MiB resident.`,
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
if (summary.some((entry) => entry.errors > 0)) {
  process.stderr.write(`bench: some requests failed: ${summary.map((entry) => `${entry.id}=${entry.errors}`).join(' ')}\n`);
  process.exitCode = 1;
}
