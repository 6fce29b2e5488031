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
import { execFileSync, spawn, type ChildProcess } from 'node:child_process';
import { mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { cpus } from 'node:os';
import { fileURLToPath } from 'node:url';
import { parseArgs } from 'node:util';
import autocannon from 'autocannon';
import { freePorts } from '../../test/core/support/ports.ts';
import { answersOk, residentMiB } from '../../test/core/support/probes.ts';
import { waitFor } from '../../test/core/support/service-process.ts';

const root = fileURLToPath(new URL('../../', import.meta.url));
const node = process.execPath;
const SERVICE = [node, '--import', './src/core/preload.ts', './src/main.ts'];

interface Variant {
  readonly id: string;
  readonly label: string;
  readonly command: string[];
  readonly env: Record<string, string>;
}

/** A running variant. Its stdout (the service's JSON log) goes to /dev/null, as in production. */
interface Running {
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
async function startOnFreePorts(
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

async function startVariant(variant: Variant): Promise<Running> {
  const { child, ports } = await startOnFreePorts(
    variant.label,
    1,
    ([port]) =>
      spawn(variant.command[0]!, variant.command.slice(1), {
        cwd: root,
        env: { PATH: process.env['PATH'] ?? '', PORT: String(port), HOST: '127.0.0.1', ...variant.env },
        stdio: ['ignore', 'ignore', 'inherit'],
      }),
    ([port]) => `http://127.0.0.1:${port}/api/session`,
    30_000,
  );
  const url = `http://127.0.0.1:${ports[0]!}`;
  return {
    url,
    pid: child.pid!,
    stop: async () => {
      child.kill('SIGTERM');
      if (child.exitCode === null) await new Promise((resolve) => child.once('exit', resolve));
    },
  };
}

interface Sample {
  readonly requestsPerSecond: number;
  readonly p50: number;
  readonly p99: number;
  readonly errors: number;
}

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

/** The telemetry sink of variants 6 and 7: the real collector when built, else a discarding endpoint. */
async function startSink(): Promise<{ endpoint: string; kind: string; stop: () => Promise<unknown> }> {
  let collector: string | undefined;
  try {
    collector = execFileSync('bash', ['tools/stack/build-collector.sh', '--if-built'], { cwd: root }).toString('utf8').trim();
  } catch {
    collector = undefined;
  }
  if (collector !== undefined) {
    const binary = collector;
    const { child, ports } = await startOnFreePorts(
      'the collector sink',
      2,
      ([httpPort, healthPort]) =>
        spawn(binary, ['--config', 'tools/bench/collector-sink.yaml'], {
          cwd: root,
          env: { BENCH_OTLP_HTTP_PORT: String(httpPort), BENCH_HEALTH_PORT: String(healthPort) },
          stdio: 'ignore',
        }),
      ([, healthPort]) => `http://127.0.0.1:${healthPort}/`,
      30_000,
    );
    const [httpPort] = ports;
    return {
      endpoint: `http://127.0.0.1:${httpPort!}`,
      kind: 'the real OpenTelemetry Collector (built from tools/stack/otelcol-builder.yaml), OTLP/HTTP in, debug exporter out',
      stop: async () => {
        child.kill('SIGTERM');
        await new Promise((resolve) => child.once('exit', resolve));
      },
    };
  }
  const { child, ports } = await startOnFreePorts(
    'the discarding sink',
    1,
    ([port]) => spawn(node, ['tools/bench/otlp-discard-sink.ts'], { cwd: root, env: { PORT: String(port) }, stdio: 'ignore' }),
    ([port]) => `http://127.0.0.1:${port}/`,
    30_000,
  );
  return {
    endpoint: `http://127.0.0.1:${ports[0]!}`,
    kind: 'a local HTTP endpoint that accepts OTLP and discards it (collector not built)',
    stop: async () => {
      child.kill('SIGTERM');
      await new Promise((resolve) => child.once('exit', resolve));
    },
  };
}

function variants(sinkEndpoint: string): Variant[] {
  const full = { OTEL_EXPORTER_OTLP_ENDPOINT: sinkEndpoint, OTEL_SERVICE_NAME: 'bench', LOG_LEVEL: 'info' };
  return [
    { id: 'raw-http', label: '1. raw node:http (ceiling)', command: [node, 'tools/bench/variants/raw-http.ts'], env: {} },
    { id: 'express', label: '2. bare Express 5', command: [node, 'tools/bench/variants/express-bare.ts'], env: {} },
    { id: 'session-context', label: '3. Express + session middleware, no telemetry', command: [node, 'tools/bench/variants/express-session-context.ts'], env: {} },
    { id: 'cls-rtracer', label: '4. Express + cls-rtracer', command: [node, 'tools/bench/variants/express-cls-rtracer.ts'], env: {} },
    { id: 'express-http-context', label: '5. Express + express-http-context', command: [node, 'tools/bench/variants/express-http-context.ts'], env: {} },
    { id: 'service-bridge-off', label: '6. full service + OTel SDK, bridge off', command: SERVICE, env: { ...full, SESSION_TELEMETRY_BRIDGE: 'false' } },
    { id: 'service', label: '7. full service + OTel SDK, bridge on', command: SERVICE, env: full },
  ];
}

async function load(url: string, seconds: number): Promise<Sample> {
  const result = await autocannon({
    url: `${url}/api/session`,
    connections,
    duration: seconds,
    headers: { 'x-session-id': 'bench-session-000001' },
  });
  return {
    requestsPerSecond: result.requests.average,
    p50: result.latency.p50,
    p99: result.latency.p99,
    errors: result.errors + result.non2xx,
  };
}

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
const chosen = variants(sink.endpoint);
const processes = new Map<string, Running>();
for (const variant of chosen) processes.set(variant.id, await startVariant(variant));

await new Promise((resolve) => setTimeout(resolve, 1000));
const idleMiB = residentMiB(processes.get('service')!.pid, 'VmRSS');

process.stderr.write(`bench: warming up ${chosen.length} variants\n`);
for (const variant of chosen) await load(processes.get(variant.id)!.url, 1);

const samples = new Map<string, Sample[]>(chosen.map((variant) => [variant.id, []]));
for (let round = 0; round < rounds; round++) {
  // Rotate the order each round so no variant always runs right after the same neighbour.
  const order = chosen.map((_, i) => chosen[(i + round) % chosen.length]!);
  for (const variant of order) {
    process.stderr.write(`bench: round ${round + 1}/${rounds} ${variant.label}\n`);
    samples.get(variant.id)!.push(await load(processes.get(variant.id)!.url, durationSeconds));
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

const goals = [
  { goal: 'session middleware (3) keeps >= 97% of bare Express', value: ratio('session-context'), met: ratio('session-context') >= 0.97 },
  { goal: 'session middleware (3) beats cls-rtracer (4)', value: ratio('session-context', 'cls-rtracer'), met: ratio('session-context', 'cls-rtracer') > 1 },
  { goal: 'session middleware (3) beats express-http-context (5)', value: ratio('session-context', 'express-http-context'), met: ratio('session-context', 'express-http-context') > 1 },
  { goal: 'full service (7) keeps >= 60% of bare Express', value: ratio('service'), met: ratio('service') >= 0.6 },
  { goal: 'the bridge (7 vs 6) costs <= 3%', value: ratio('service', 'service-bridge-off'), met: ratio('service', 'service-bridge-off') >= 0.97 },
];

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
};

mkdirSync(args.output, { recursive: true });
const file = `${args.output}/bench-${report.date.replaceAll(':', '-')}.json`;
writeFileSync(file, `${JSON.stringify(report, null, 2)}\n`);

const lines = [
  `Machine: ${machine.cores} cores (${machine.cpu}), Node ${machine.node}; ${rounds} round(s) of ${durationSeconds} s per variant, ${connections} connections.`,
  'req/s, p50, p99: medians over rounds; ratios: medians of the per-round ratios (both measured in the same round).',
  `Telemetry sink of 6 and 7: ${sink.kind}.`,
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
];
process.stdout.write(`${lines.join('\n')}\n\nbench: results in ${file}\n`);
if (summary.some((entry) => entry.errors > 0)) {
  process.stderr.write(`bench: some requests failed: ${summary.map((entry) => `${entry.id}=${entry.errors}`).join(' ')}\n`);
  process.exitCode = 1;
}
