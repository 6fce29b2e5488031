import { execFile } from 'node:child_process';
import { mkdtempSync, readdirSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { promisify } from 'node:util';
import { expect } from 'chai';
import { builtCollector } from '../../../tools/bench/processes.ts';

interface Delivery {
  exported: number;
  droppedQueueFull: number;
  failedExport: number;
}

interface BenchReport {
  variants: {
    id: string;
    requestsPerSecond: number;
    ratioToExpress: number;
    cpuMicrosPerRequest: number;
    peakRssMiB: number;
    errors: number;
    sink: 'light' | 'collector' | 'collector-red-metrics' | null;
    delivery: { spans: Delivery; logRecords: Delivery } | null;
  }[];
  startup: { defaultInstrumentationsMs: number; allInstrumentationsMs: number };
  idleRssMiB: Record<string, number>;
  goals: { goal: string; value: number; met: boolean }[];
  costs: { cost: string; value: number }[];
  sinks: { light: string; collector: string | null; collectorRedMetrics: string | null };
  collectorCpuMicrosPerRequest: { withoutRedMetrics: number | null; withRedMetrics: number | null };
}

describe('npm run bench (smoke: one short round, no timing asserted)', function () {
  this.timeout(180_000);

  it('runs every variant (13 and 14 only with the collector built) and writes the markdown table and the JSON report', async () => {
    const output = mkdtempSync(`${tmpdir()}/bench-smoke-`);
    const { stdout } = await promisify(execFile)(process.execPath, ['tools/bench/run.ts', '--smoke', '--output', output], {
      cwd: new URL('../../../', import.meta.url),
      maxBuffer: 16 * 1024 * 1024,
    });
    expect(stdout).to.include('| variant | req/s | vs bare Express | CPU µs a request |');
    const [file] = readdirSync(output);
    const report = JSON.parse(readFileSync(`${output}/${file!}`, 'utf8')) as BenchReport;
    const withCollector = report.sinks.collector !== null;
    expect(report.sinks.collectorRedMetrics !== null, 'both collector sinks or neither').to.equal(withCollector);
    expect(stdout.split('\n').filter((line) => /^\| \d+\. /.test(line))).to.have.length(withCollector ? 14 : 12);
    if (!withCollector) {
      expect(stdout).to.include('13. as 12, exporting to the real OpenTelemetry Collector: skipped');
      expect(stdout).to.include('14. as 13, the collector also deriving RED metrics: skipped');
    }
    expect(report.variants.map((variant) => variant.id)).to.deep.equal([
      'raw-http', 'express', 'session-context', 'cls-rtracer', 'express-http-context', 'service-sdk-disabled', 'service-bridge-off', 'service', 'service-express-instrumented', 'service-session-sampled', 'express-otel-http', 'service-log-export',
      ...(withCollector ? ['service-log-export-collector', 'service-log-export-collector-red-metrics'] : []),
    ]);
    const variant = (id: string): BenchReport['variants'][number] => report.variants.find((candidate) => candidate.id === id)!;
    // 6 to 12 export to the light sink, 13 to the collector.
    expect(report.variants.filter((candidate) => candidate.sink === 'light')).to.have.length(7);
    if (withCollector) {
      expect(variant('service-log-export-collector').sink).to.equal('collector');
      expect(variant('service-log-export-collector-red-metrics').sink).to.equal('collector-red-metrics');
      // Each collector sink did work for the requests of the variant exporting to it.
      expect(report.collectorCpuMicrosPerRequest.withoutRedMetrics).to.be.greaterThan(0);
      expect(report.collectorCpuMicrosPerRequest.withRedMetrics).to.be.greaterThan(0);
      for (const id of ['service-log-export-collector', 'service-log-export-collector-red-metrics']) {
        expect(variant(id).delivery!.spans.failedExport, id).to.equal(0);
        expect(variant(id).delivery!.spans.exported, id).to.be.greaterThan(0);
      }
    }
    // The light sink answers every export as a collector would: the exporters succeed.
    for (const id of ['service', 'service-log-export']) {
      expect(variant(id).delivery!.spans.exported, id).to.be.greaterThan(0);
      expect(variant(id).delivery!.spans.failedExport, id).to.equal(0);
      expect(variant(id).delivery!.logRecords.failedExport, id).to.equal(0);
    }
    expect(variant('service-log-export').delivery!.logRecords.exported).to.be.greaterThan(0);
    expect(variant('service').delivery!.logRecords.exported).to.equal(0);
    for (const variant of report.variants) {
      expect(variant.requestsPerSecond, variant.id).to.be.greaterThan(0);
      expect(variant.peakRssMiB, variant.id).to.be.greaterThan(0);
      // The process's CPU time over its load, per request answered: a variant that did work.
      expect(variant.cpuMicrosPerRequest, variant.id).to.be.greaterThan(0);
      expect(variant.errors, variant.id).to.equal(0);
    }
    expect(report.variants.find((variant) => variant.id === 'express')!.ratioToExpress).to.equal(1);
    expect(report.startup.defaultInstrumentationsMs).to.be.greaterThan(0);
    expect(report.startup.allInstrumentationsMs).to.be.greaterThan(0);
    expect(report.idleRssMiB['service-log-export']).to.be.greaterThan(0);
    expect(report.idleRssMiB['service']).to.be.greaterThan(0);
    expect(report.goals).to.have.length(6);
    expect(report.costs.map((cost) => cost.value)).to.have.length(withCollector ? 5 : 3).and.satisfy((values: number[]) => values.every((value) => value > 0));
    expect(report.sinks.light).to.be.a('string').and.not.equal('');
  });
});

describe('npm run bench:profile (smoke: one short load per variant)', function () {
  this.timeout(180_000);

  it('profiles the service with the SDK disabled and exporting, and prints each profile\'s top self-time frames', async () => {
    const output = mkdtempSync(`${tmpdir()}/bench-profile-smoke-`);
    const { stdout } = await promisify(execFile)(process.execPath, ['tools/bench/profile.ts', '--duration', '1', '--top', '5', '--output', output], {
      cwd: new URL('../../../', import.meta.url),
      maxBuffer: 16 * 1024 * 1024,
    });
    const headings = stdout.split('\n').filter((line) => /^\d\. full service/.test(line));
    expect(headings.map((line) => line.slice(0, 2))).to.deep.equal(['6.', '8.']);
    const frames = stdout.split('\n').filter((line) => /^\| \d+\.\d% \| `.+` \|$/.test(line));
    expect(frames).to.have.length(10);
    const profiles = readdirSync(output).flatMap((folder) => readdirSync(`${output}/${folder}`)).filter((name) => name.endsWith('.cpuprofile'));
    expect(profiles.length).to.be.at.least(2);
  });
});

interface GatewayBenchReport {
  configDefaultDecisionWait: string;
  runs: {
    decisionWait: string;
    acceptedSpansPerSecond: number;
    exportedSpansPerSecond: number;
    keptShare: number;
    cpuMicrosPerSpan: number;
    peakRssMiB: number;
    measured: { totalAcceptedSpans: number; totalSentSpans: number; sendFailedSpans: number; decidedTraces: number };
  }[];
}

describe('npm run bench:gateway (smoke: one short load of the real gateway collector, no timing asserted)', function () {
  this.timeout(180_000);

  it('runs otel-gateway.yaml on the built collector and reports what it accepted, decided and sent, or says the collector is not built', async () => {
    const output = mkdtempSync(`${tmpdir()}/bench-gateway-smoke-`);
    const run = promisify(execFile)(process.execPath, ['tools/bench/gateway/run.ts', '--smoke', '--output', output, '--log', `${output}/gateway.log`], {
      cwd: new URL('../../../', import.meta.url),
      maxBuffer: 16 * 1024 * 1024,
    });
    if (builtCollector() === undefined) {
      const failure = await run.then(() => undefined, (error: unknown) => error as { stderr: string });
      expect(failure?.stderr).to.include('the collector is not built');
      return;
    }
    const { stdout } = await run;
    expect(stdout).to.include('| decision window | rate asked spans/s | accepted spans/s |');
    const [file] = readdirSync(output).filter((name) => /^bench-gateway-.*\.json$/.test(name));
    const report = JSON.parse(readFileSync(`${output}/${file!}`, 'utf8')) as GatewayBenchReport;
    expect(report.runs).to.have.length(1);
    const [smoke] = report.runs;
    expect(smoke!.decisionWait).to.equal('1s');
    expect(smoke!.acceptedSpansPerSecond).to.be.greaterThan(0);
    expect(smoke!.measured.decidedTraces).to.be.greaterThan(0);
    // The gateway sent on a share of what it accepted (errors and the sessions the ratio keeps), all of it delivered.
    expect(smoke!.measured.totalSentSpans).to.be.greaterThan(0).and.lessThan(smoke!.measured.totalAcceptedSpans);
    expect(smoke!.measured.sendFailedSpans).to.equal(0);
    expect(smoke!.keptShare).to.be.greaterThan(0).and.lessThan(1);
    expect(smoke!.cpuMicrosPerSpan).to.be.greaterThan(0);
    expect(smoke!.peakRssMiB).to.be.greaterThan(0);
    expect(report.configDefaultDecisionWait).to.be.a('string').and.not.equal('');
  });
});
