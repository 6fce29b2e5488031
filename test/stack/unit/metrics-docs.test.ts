import { readFileSync } from 'node:fs';
import { expect } from 'chai';
import { RED_METRICS_QUERIES } from '../support/red-metrics-queries.ts';
import { VICTORIAMETRICS_FLAGS } from '../support/victoria-metrics.ts';

/** The PromQL code blocks of a markdown `page`, each as written. */
const promqlBlocksOf = (page: string): (string | undefined)[] => [...page.matchAll(/```promql\n([\s\S]*?)\n```/g)].map((match) => match[1]);

describe('README.md, the stack section', () => {
  const readme = readFileSync(new URL('../../../README.md', import.meta.url), 'utf8');

  it('shows the rate, error ratio and p99 queries the end-to-end test runs, verbatim', () => {
    expect(promqlBlocksOf(readme)).to.deep.equal([RED_METRICS_QUERIES.requestRate, RED_METRICS_QUERIES.errorRatio, RED_METRICS_QUERIES.p99]);
  });
});

describe('docs/metrics.md', () => {
  const page = readFileSync(new URL('../../../docs/metrics.md', import.meta.url), 'utf8');
  const promqlBlocks = promqlBlocksOf(page);

  it('shows exactly the queries the end-to-end test runs against VictoriaMetrics, verbatim', () => {
    expect(promqlBlocks).to.deep.equal(Object.values(RED_METRICS_QUERIES));
  });

  it('names the flags VictoriaMetrics runs with in the tests, and its UI', () => {
    expect(page).to.include(`\`${VICTORIAMETRICS_FLAGS.join(' ')}\``);
    expect(page).to.include('http://localhost:8428/vmui');
  });
});
