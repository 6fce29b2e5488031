/**
 * npm run bench:gateway: how many spans a second one gateway collector takes on this machine
 * (docs/performance.md, "One gateway collector's capacity").
 *
 * The real collector (tools/stack/build-collector.sh) runs the repository's otel-gateway.yaml
 * as it is, its exporter pointed at an OTLP/gRPC sink that discards; this process sends it
 * OTLP/gRPC trace exports encoded ahead (sessions of 3 requests of 3 spans, random session
 * ids, a share of sessions with a failing request), `--concurrency` exports in flight. Spans
 * are counted by the gateway's own metrics (accepted, refused, sent, traces decided and let go
 * undecided); its CPU time and peak RSS come from /proc.
 *
 * By default, for each decision window (the one the tests use, 2s, and the file's default: the
 * gateway holds every span for the window), a ramp: steps from --ramp spans/s up by
 * --ramp-factor until one where the gateway does not keep up (something refused, a trace let go
 * undecided, an export failed, or less than 95% of the asked rate accepted); the last clean
 * step is the sustainable rate at that window.
 *
 *   npm run bench:gateway                          the ramp (--ramp auto: a probe at 4000 spans/s, then
 *                                                 from 60% of the rate at which num_traces fills),
 *                                                 20 s a step or the window plus 5 s, windows 2s and the file's default
 *   npm run bench:gateway -- --ramp 16000          the ramp from 16000 spans/s
 *   npm run bench:gateway -- --smoke               2 s as fast as accepted, window 1s (what CI runs, to keep the script working)
 *   npm run bench:gateway -- --fast --windows 2s,10s@24000
 *                                                 one run per window, as fast as the gateway
 *                                                 answers (or at the rate after @)
 */
import { mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { cpus, tmpdir, totalmem } from 'node:os';
import { parseArgs } from 'node:util';
import { residentMiB } from '../../../test/core/support/probes.ts';
import { waitFor } from '../../../test/core/support/service-process.ts';
import { builtCollector, root } from '../processes.ts';
import { defaultDecisionWait, durationSeconds, numTraces, readGatewayConfig, startGateway, startGrpcDiscardSink } from './gateway-process.ts';
import { gatewayFigures, gatewayTable, heldEntriesCeiling, keptUp, type GatewayFigures, type GatewayMeasurement } from './gateway-report.ts';
import { OtlpGrpcLoad } from './otlp-grpc-load.ts';
import { encodeBatch, type EncodedBatch } from './otlp-span-batches.ts';
import { gatewaySpanCounts, type GatewaySpanCounts } from './prometheus-text.ts';

const { values: args } = parseArgs({
  options: {
    duration: { type: 'string', default: '20' },
    warmup: { type: 'string', default: '3' },
    windows: { type: 'string' },
    log: { type: 'string', default: `${tmpdir()}/bench-gateway.log` },
    concurrency: { type: 'string', default: '4' },
    sessions: { type: 'string', default: '32' },
    'error-share': { type: 'string', default: '0.05' },
    ramp: { type: 'string', default: 'auto' },
    fast: { type: 'boolean', default: false },
    'ramp-factor': { type: 'string', default: '1.25' },
    'ramp-steps': { type: 'string', default: '10' },
    smoke: { type: 'boolean', default: false },
    output: { type: 'string', default: `${root}tools/bench/results` },
  },
});

const configText = readGatewayConfig();
const fileDefault = defaultDecisionWait(configText) ?? '10s';
const heldTraces = numTraces(configText);
/** What to run: `window` (ramped, or as fast as accepted with --fast) or `window@spansPerSecond` (with --fast). */
const runSpecs = args.smoke ? ['1s'] : (args.windows?.split(',') ?? [...new Set(['2s', fileDefault])]);
/** The first step of `--ramp auto`: low enough for the windows and num_traces this file is likely to hold. */
const PROBE_SPANS_PER_SECOND = 4000;
/** Seconds of load a run measures, at least the window plus 5 s (see measure). */
const loadSeconds = args.smoke ? 2 : Number(args.duration);
const warmupSeconds = args.smoke ? 0.5 : Number(args.warmup);
const concurrency = Number(args.concurrency);
const shape = { sessions: Number(args.sessions), errorShare: Number(args['error-share']) };

const collector = builtCollector();
if (collector === undefined) {
  process.stderr.write('bench:gateway: the collector is not built (bash tools/stack/build-collector.sh builds it)\n');
  process.exit(1);
}

// 64 different batches (each copy sent gets new ids: otlp-span-batches.ts).
const batches: EncodedBatch[] = Array.from({ length: 64 }, () => encodeBatch(shape));
const spansPerBatch = batches[0]?.spans ?? 0;
/** The share of sessions with a failing request, as encoded (whole sessions of a batch). */
const errorSessionShare = (batches[0]?.errorSessions ?? 0) / shape.sessions;
/**
 * The share of spans the gateway should send on: the sessions the ratio keeps (the file's
 * default SESSION_SAMPLE_THRESHOLD over 2^32), and in the others the failing request's trace
 * (one of a session's three) when it decides per trace, or the failing session whole when it
 * decides per session. Undefined when the file has no such default.
 */
const threshold = /\$\{env:SESSION_SAMPLE_THRESHOLD:-([0-9a-f]{8})\}/.exec(configText)?.[1];
const ratio = threshold === undefined ? undefined : Number.parseInt(threshold, 16) / 2 ** 32;
const roundTo3 = (value: number): number => Math.round(value * 1000) / 1000;
const expectedKeptShare =
  ratio === undefined ? undefined : { perTrace: roundTo3(ratio + ((1 - ratio) * errorSessionShare) / 3), perSession: roundTo3(ratio + (1 - ratio) * errorSessionShare) };

async function metricsText(metricsUrl: string): Promise<string> {
  const response = await fetch(metricsUrl, { signal: AbortSignal.timeout(10_000) });
  return response.text();
}
const countsOf = async (metricsUrl: string): Promise<GatewaySpanCounts> => gatewaySpanCounts(await metricsText(metricsUrl));

const cpuOfThisProcess = (): number => {
  const usage = process.cpuUsage();
  return (usage.user + usage.system) / 1e6;
};

/** One gateway, one decision window: warm-up, measured load, then the drain of every decision. */
async function measure(spec: string): Promise<{ measured: GatewayMeasurement; figures: GatewayFigures; failures: Record<string, number> }> {
  const [decisionWait = spec, rate] = spec.split('@');
  const targetSpansPerSecond = rate === undefined ? null : Number(rate);
  const sink = await startGrpcDiscardSink();
  const gateway = await startGateway(collector ?? '', sink.endpoint, decisionWait, args.log);
  const load = new OtlpGrpcLoad(gateway.endpoint, batches);
  try {
    const cpuAtReady = gateway.cpuSeconds();
    const sinkCpuAtReady = sink.cpuSeconds();
    const loadCpuAtReady = cpuOfThisProcess();
    process.stderr.write(`bench:gateway: window ${decisionWait}: warming up ${warmupSeconds} s\n`);
    const warmup = await load.send(warmupSeconds, concurrency, targetSpansPerSecond ?? undefined);
    const before = await countsOf(gateway.metricsUrl);
    const cpuBefore = gateway.cpuSeconds();
    // num_traces fills only after a window of load: a shorter load would look clean at any rate.
    const seconds = args.smoke ? loadSeconds : Math.max(loadSeconds, durationSeconds(decisionWait) + 5);
    process.stderr.write(`bench:gateway: window ${decisionWait}: ${seconds} s of load, ${concurrency} exports of ${spansPerBatch} spans in flight\n`);
    const started = performance.now();
    const sent = await load.send(seconds, concurrency, targetSpansPerSecond ?? undefined);
    const elapsed = (performance.now() - started) / 1000;
    const after = await countsOf(gateway.metricsUrl);
    const cpuUnderLoad = gateway.cpuSeconds() - cpuBefore;
    const loadCpu = cpuOfThisProcess() - loadCpuAtReady;
    // The drain: every trace accepted is decided once its window has passed after its first
    // span, then batched and sent; wait until the gateway has sent or dropped every one, which
    // shows as the sent count no longer moving after a window and a batch timeout have passed.
    process.stderr.write(`bench:gateway: window ${decisionWait}: draining\n`);
    const settleMs = (durationSeconds(decisionWait) + 2) * 1000;
    let last = after.sent;
    let lastChange = performance.now();
    await waitFor(`the gateway to send every kept span (window ${decisionWait})`, async () => {
      const now = await countsOf(gateway.metricsUrl);
      if (now.sent !== last) {
        last = now.sent;
        lastChange = performance.now();
      }
      return performance.now() - lastChange > settleMs;
    }, settleMs * 4 + 60_000);
    const drainedText = await metricsText(gateway.metricsUrl);
    writeFileSync(`${args.output}/bench-gateway-metrics-${spec}.txt`, drainedText);
    const drained = gatewaySpanCounts(drainedText);
    const measured: GatewayMeasurement = {
      decisionWait,
      seconds: elapsed,
      acceptedSpans: after.accepted - before.accepted,
      refusedSpans: after.refused - before.refused,
      totalAcceptedSpans: drained.accepted,
      totalSentSpans: drained.sent,
      sendFailedSpans: drained.sendFailed,
      decidedTraces: drained.decidedTraces,
      droppedTooEarly: drained.droppedTooEarly,
      newEntries: drained.newEntries,
      targetSpansPerSecond,
      sessions: warmup.sessions + sent.sessions,
      errorSessions: Math.round(((warmup.sessions + sent.sessions) * (batches[0]?.errorSessions ?? 0)) / shape.sessions),
      gatewayCpuSeconds: gateway.cpuSeconds() - cpuAtReady,
      gatewayCpuSecondsUnderLoad: cpuUnderLoad,
      peakRssMiB: residentMiB(gateway.pid, 'VmHWM'),
      loadGeneratorCpuSeconds: loadCpu,
      sinkCpuSeconds: sink.cpuSeconds() - sinkCpuAtReady,
    };
    const failures: Record<string, number> = { ...warmup.failures };
    for (const [name, count] of Object.entries(sent.failures)) failures[name] = (failures[name] ?? 0) + count;
    return { measured, figures: gatewayFigures(measured), failures };
  } finally {
    load.close();
    await gateway.stop();
    await sink.stop();
  }
}

mkdirSync(args.output, { recursive: true });
const runs = [];
/** For each window ramped, the highest asked rate it kept up with (keptUp), or null when it kept up with none. */
interface Sustainable {
  readonly spansPerSecond: number;
  readonly cpuMicrosPerSpan: number;
  readonly peakRssMiB: number;
  readonly rampEndedKeepingUp: boolean;
}
const sustainable: Record<string, Sustainable | null> = {};
if (args.fast || args.smoke) {
  for (const spec of runSpecs) runs.push(await measure(spec));
} else {
  const factor = Number(args['ramp-factor']);
  for (const window of runSpecs.map((spec) => spec.split('@')[0] ?? spec).filter((spec, i, specs) => specs.indexOf(spec) === i)) {
    let best: Sustainable | undefined;
    let rate = args.ramp === 'auto' ? PROBE_SPANS_PER_SECOND : Number(args.ramp);
    for (let step = 0; step < Number(args['ramp-steps']); step++) {
      const run = await measure(`${window}@${Math.round(rate)}`);
      runs.push(run);
      const kept = keptUp(run.measured);
      if (!kept && best !== undefined) best = { spansPerSecond: best.spansPerSecond, cpuMicrosPerSpan: best.cpuMicrosPerSpan, peakRssMiB: best.peakRssMiB, rampEndedKeepingUp: false };
      const ceiling = heldTraces === undefined ? undefined : heldEntriesCeiling(run.measured, heldTraces, durationSeconds(window));
      // With --ramp auto, the first step is a probe at a low rate: it measures the spans an entry
      // of tail_sampling takes, hence the rate at which num_traces fills within the window; the
      // ramp goes on from 60% of that (or down to it, when the probe did not keep up).
      if (step === 0 && args.ramp === 'auto' && ceiling !== undefined) {
        process.stderr.write(`bench:gateway: window ${window}: num_traces fills at about ${ceiling} spans/s (${Math.round(run.measured.totalAcceptedSpans / Math.max(run.measured.newEntries, 1))} spans an entry)\n`);
        if (!keptUp(run.measured)) {
          rate = 0.6 * ceiling;
          continue;
        }
        rate = Math.max(rate * factor, 0.6 * ceiling);
      } else rate *= factor;
      if (!keptUp(run.measured)) break;
      // Kept up so far; still true after the last step means the ramp ended first: "at least".
      best = { spansPerSecond: run.figures.acceptedSpansPerSecond, cpuMicrosPerSpan: run.figures.cpuMicrosPerSpan, peakRssMiB: run.figures.peakRssMiB, rampEndedKeepingUp: true };
    }
    sustainable[window] = best ?? null;
  }
}

/** The memory the memory limiter's percentages are of: the cgroup's limit when there is one. */
function memoryLimitMiB(): number {
  try {
    const limit = readFileSync('/sys/fs/cgroup/memory.max', 'utf8').trim();
    if (limit !== 'max') return Math.round(Number(limit) / 1048576);
  } catch {
    // No cgroup v2 limit readable: the host's memory.
  }
  return Math.round(totalmem() / 1048576);
}

const machine = { cores: cpus().length, cpu: cpus()[0]?.model ?? 'unknown', node: process.version, memoryMiB: memoryLimitMiB(), loadAverage: readFileSync('/proc/loadavg', 'utf8').trim() };
const report = {
  date: new Date().toISOString(),
  machine,
  collector,
  config: 'otel-gateway.yaml',
  configDefaultDecisionWait: fileDefault,
  numTraces: heldTraces ?? null,
  settings: { seconds: loadSeconds, warmupSeconds, concurrency, spansPerExport: spansPerBatch, ...shape, errorSessionShare, smoke: args.smoke, fast: args.fast, ramp: args.fast || args.smoke ? null : { from: Number(args.ramp), factor: Number(args['ramp-factor']), steps: Number(args['ramp-steps']) } },
  sessionRatio: ratio ?? null,
  expectedKeptShare: expectedKeptShare ?? null,
  runs: runs.map((run) => ({ ...run.figures, keptUp: keptUp(run.measured), measured: run.measured, failures: run.failures })),
  sustainable,
};
mkdirSync(args.output, { recursive: true });
const file = `${args.output}/bench-gateway-${report.date.replaceAll(':', '-')}.json`;
writeFileSync(file, `${JSON.stringify(report, null, 2)}\n`);

const lines = [
  `Machine: ${machine.cores} cores (${machine.cpu}), ${machine.memoryMiB} MiB, load average at the end ${machine.loadAverage}; Node ${machine.node}.`,
  `Gateway: ${collector} running otel-gateway.yaml (decision window default ${fileDefault}, num_traces ${heldTraces ?? 'unset'}), exporting OTLP/gRPC to a sink that discards (tools/bench/gateway/otlp-grpc-discard-sink.ts).`,
  `Load: ${loadSeconds} s per run${args.smoke ? '' : ' (at least the window plus 5 s)'} after ${warmupSeconds} s of warm-up, OTLP/gRPC exports of ${spansPerBatch} spans (${shape.sessions} sessions of 3 requests x 3 spans, ${Math.round(errorSessionShare * 1000) / 10}% of sessions with a failing request), ${concurrency} in flight, ${args.fast || args.smoke ? 'as fast as the gateway answers (or at the rate asked)' : `at rates ${args.ramp === 'auto' ? `from a probe at ${PROBE_SPANS_PER_SECOND} spans/s, then 60% of the rate at which num_traces fills,` : `from ${args.ramp} spans/s`} up by x${args['ramp-factor']} until the gateway does not keep up`}. Kept share expected: ${expectedKeptShare === undefined ? 'unknown' : `${expectedKeptShare.perTrace} deciding per trace, ${expectedKeptShare.perSession} per session`} (session ratio ${ratio ?? 'unknown'} from the file's SESSION_SAMPLE_THRESHOLD, plus the failing traces, or the failing sessions whole, of the others).`,
  'Spans counted by the gateway (otelcol_receiver_accepted_spans, _refused_spans, otelcol_exporter_sent_spans); CPU µs a span: the gateway\'s user and system time from ready to the end of the drain over every span it accepted; cores busy: its CPU time over the measured load\'s seconds.',
  '',
  ...gatewayTable(runs.map((run) => run.figures)),
  '',
  ...runs.map((run) => `Window ${run.measured.decisionWait}${run.measured.targetSpansPerSecond === null ? '' : ` at ${run.measured.targetSpansPerSecond} spans/s`}: traces decided ${run.measured.decidedTraces}; sink CPU µs a span ${run.figures.sinkCpuMicrosPerSpan}; export failures ${run.measured.sendFailedSpans}; refused exports by status ${JSON.stringify(run.failures)}.`),
  ...Object.entries(sustainable).map(([window, best]) =>
    best === null
      ? `Window ${window}: the gateway kept up with no step of the ramp.`
      : `Window ${window}: sustainable ${best.rampEndedKeepingUp ? 'at least ' : ''}${best.spansPerSecond} spans/s${best.rampEndedKeepingUp ? ' (the ramp ended still keeping up: start it higher with --ramp)' : ''} (the highest step with nothing refused, no trace let go undecided, >= 95% of the asked rate accepted), ${best.cpuMicrosPerSpan} CPU µs a span, peak RSS ${best.peakRssMiB} MiB.`),
  '',
  `Full report: ${file}; the gateway's log: ${args.log}`,
];
process.stdout.write(`${lines.join('\n')}\n`);
