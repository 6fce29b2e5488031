/**
 * npm run bench:profile: where a request's time goes. Runs the full service under load with
 * `node --cpu-prof`, once with telemetry on (exporting, as variant 8 of `npm run bench`) and
 * once with `OTEL_SDK_DISABLED=true` (variant 6), and prints each profile's top self-time
 * frames (docs/performance.md). The `.cpuprofile` files stay in the output folder, to open
 * in Chrome DevTools. The variants export to the same light sink as in `npm run bench`
 * (variant 13's to the real collector, which must be built).
 *
 *   npm run bench:profile                    10 s of load per variant, top 15 frames
 *   npm run bench:profile -- --duration 3 --top 10 --output /tmp/profiles
 *   npm run bench:profile -- --variants express,service   (ids of tools/bench/variant-list.ts)
 *   npm run bench:profile -- --variants service,service-log-export   (what log records cost: 8 vs 12)
 */
import { mkdirSync, mkdtempSync, readdirSync, readFileSync } from 'node:fs';
import { parseArgs } from 'node:util';
import { topSelfTimeFrames } from './cpu-profile-summary.ts';
import { load } from './load.ts';
import { builtCollector, root, startCollectorSink, startDiscardSink, startVariant, type Sink } from './processes.ts';
import { benchVariants } from './variant-list.ts';

const { values: args } = parseArgs({
  options: {
    duration: { type: 'string', default: '10' },
    connections: { type: 'string', default: '50' },
    top: { type: 'string', default: '15' },
    variants: { type: 'string', default: 'service-sdk-disabled,service' },
    output: { type: 'string', default: `${root}tools/bench/results` },
  },
});
const PROFILED = args.variants.split(',');

mkdirSync(args.output, { recursive: true });
const lightSink = await startDiscardSink();
const collector = builtCollector();
let collectorSink: Sink | undefined;
const lines: string[] = [];
try {
  collectorSink = collector !== undefined && PROFILED.includes('service-log-export-collector') ? await startCollectorSink(collector, { redMetrics: false }) : undefined;
  const variants = benchVariants({ light: lightSink.endpoint, collector: collectorSink?.endpoint });
  const unknown = PROFILED.filter((id) => !variants.some((variant) => variant.id === id));
  if (unknown.length > 0) process.stderr.write(`bench: not profiled (no such variant, or the collector is not built): ${unknown.join(', ')}\n`);
  for (const variant of variants.filter((candidate) => PROFILED.includes(candidate.id))) {
    const directory = mkdtempSync(`${args.output}/profile-${variant.id}-`);
    const running = await startVariant(variant, ['--cpu-prof', `--cpu-prof-dir=${directory}`]);
    process.stderr.write(`bench: profiling ${variant.label} for ${args.duration} s\n`);
    const sample = await load(running.url, Number(args.duration), Number(args.connections));
    await running.stop();
    // The main thread's profile; the module loader's hook thread writes one too.
    const [file] = readdirSync(directory).filter((name) => name.endsWith('.cpuprofile')).sort();
    if (file === undefined) throw new Error(`${variant.label} wrote no CPU profile into ${directory}`);
    const frames = topSelfTimeFrames(readFileSync(`${directory}/${file}`, 'utf8'), {
      top: Number(args.top),
      windowSeconds: Number(args.duration),
      root,
    });
    lines.push(
      `${variant.label}: ${Math.round(sample.requestsPerSecond)} req/s under the profiler; profile ${directory}/${file}`,
      '',
      '| self time | function (file:line) |',
      '| ---: | --- |',
      ...frames.map((frame) => `| ${frame.percent.toFixed(1)}% | \`${frame.frame}\` |`),
      '',
    );
  }
} finally {
  await lightSink.stop();
  await collectorSink?.stop();
}
process.stdout.write(lines.join('\n'));
