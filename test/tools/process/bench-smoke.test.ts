import { execFile } from 'node:child_process';
import { mkdtempSync, readdirSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { promisify } from 'node:util';
import { expect } from 'chai';

interface BenchReport {
  variants: { id: string; requestsPerSecond: number; ratioToExpress: number; peakRssMiB: number; errors: number }[];
  startup: { defaultInstrumentationsMs: number; allInstrumentationsMs: number };
  idleServiceRssMiB: number;
  goals: { goal: string; value: number; met: boolean }[];
  sink: string;
}

describe('npm run bench (smoke: one short round, no timing asserted)', function () {
  this.timeout(180_000);

  it('runs all seven variants and writes the markdown table and the JSON report', async () => {
    const output = mkdtempSync(`${tmpdir()}/bench-smoke-`);
    const { stdout } = await promisify(execFile)(process.execPath, ['tools/bench/run.ts', '--smoke', '--output', output], {
      cwd: new URL('../../../', import.meta.url),
      maxBuffer: 16 * 1024 * 1024,
    });
    expect(stdout).to.include('| variant | req/s | vs bare Express |');
    expect(stdout.split('\n').filter((line) => /^\| \d\. /.test(line))).to.have.length(7);

    const [file] = readdirSync(output);
    const report = JSON.parse(readFileSync(`${output}/${file!}`, 'utf8')) as BenchReport;
    expect(report.variants.map((variant) => variant.id)).to.deep.equal([
      'raw-http', 'express', 'session-context', 'cls-rtracer', 'express-http-context', 'service-bridge-off', 'service',
    ]);
    for (const variant of report.variants) {
      expect(variant.requestsPerSecond, variant.id).to.be.greaterThan(0);
      expect(variant.peakRssMiB, variant.id).to.be.greaterThan(0);
      expect(variant.errors, variant.id).to.equal(0);
    }
    expect(report.variants.find((variant) => variant.id === 'express')!.ratioToExpress).to.equal(1);
    expect(report.startup.defaultInstrumentationsMs).to.be.greaterThan(0);
    expect(report.startup.allInstrumentationsMs).to.be.greaterThan(0);
    expect(report.idleServiceRssMiB).to.be.greaterThan(0);
    expect(report.goals).to.have.length(5);
    expect(report.sink).to.be.a('string').and.not.equal('');
  });
});
