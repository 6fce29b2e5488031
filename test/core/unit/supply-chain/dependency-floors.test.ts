import { readFileSync } from 'node:fs';
import { defaultTextMapGetter, propagation, ROOT_CONTEXT } from '@opentelemetry/api';
import { W3CBaggagePropagator } from '@opentelemetry/core';
import { expect } from 'chai';

/**
 * npm audit cannot reach its service from these machines, so the versions that fix known
 * advisories are asserted here, against the lockfile that CI installs from.
 */
const FLOORS: Record<string, { version: string; why: string }> = {
  // GHSA-8988-4f7v-96qf: W3C baggage extraction without size limits (memory proportional to
  // the header). Fixed on the 2.x line by 2.10.0; 3.x has the limits.
  '@opentelemetry/core': { version: '2.10.0', why: 'GHSA-8988-4f7v-96qf, unbounded incoming baggage' },
  // Below these, the instrumentations drop baggage set in middleware.
  '@opentelemetry/instrumentation-express': { version: '0.62.0', why: 'baggage set in middleware dropped' },
  '@opentelemetry/instrumentation-router': { version: '0.63.0', why: 'baggage set in middleware dropped (Express 5)' },
};

const lockfile = JSON.parse(readFileSync(new URL('../../../../package-lock.json', import.meta.url), 'utf8')) as {
  packages: Record<string, { version?: string }>;
};

function compare(a: string, b: string): number {
  const [x, y] = [a, b].map((v) => v.split('-')[0]!.split('.').map(Number));
  for (let i = 0; i < 3; i++) if (x![i] !== y![i]) return (x![i] ?? 0) - (y![i] ?? 0);
  return 0;
}

describe('dependency floors in package-lock.json', () => {
  for (const [name, floor] of Object.entries(FLOORS)) {
    it(`pins every copy of ${name} at or above ${floor.version} (${floor.why})`, () => {
      const copies = Object.entries(lockfile.packages).filter(([path]) => path === `node_modules/${name}` || path.endsWith(`/node_modules/${name}`));
      expect(copies.length, `${name} is in the lockfile`).to.be.at.least(1);
      for (const [path, entry] of copies) expect(compare(entry.version ?? '0.0.0', floor.version), `${path}@${entry.version ?? '?'}`).to.be.at.least(0);
    });
  }

  it('installs a W3C baggage propagator that bounds what it extracts', () => {
    const header = Array.from({ length: 500 }, (_, i) => `k${i}=${'v'.repeat(100)}`).join(',');
    const extracted = new W3CBaggagePropagator().extract(ROOT_CONTEXT, { baggage: header }, defaultTextMapGetter);
    const entries = propagation.getBaggage(extracted)?.getAllEntries() ?? [];
    const bytes = entries.reduce((sum, [key, entry]) => sum + key.length + entry.value.length + 2, 0);
    expect(entries.length).to.be.at.most(180);
    expect(bytes).to.be.at.most(8192);
  });
});
