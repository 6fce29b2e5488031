import { readFileSync } from 'node:fs';
import { expect } from 'chai';
import { RED_METRICS_QUERIES } from '../support/red-metrics-queries.ts';
import { VICTORIAMETRICS_FLAGS } from '../support/victoria-metrics.ts';

describe('docs/metrics.md', () => {
  const page = readFileSync(new URL('../../../docs/metrics.md', import.meta.url), 'utf8');
  /** The page's PromQL code blocks, each as written. */
  const promqlBlocks = [...page.matchAll(/```promql\n([\s\S]*?)\n```/g)].map((match) => match[1]);

  it('shows exactly the queries the end-to-end test runs against VictoriaMetrics, verbatim', () => {
    expect(promqlBlocks).to.deep.equal(Object.values(RED_METRICS_QUERIES));
  });

  it('names the flags VictoriaMetrics runs with in the tests, and its UI', () => {
    expect(page).to.include(`\`${VICTORIAMETRICS_FLAGS.join(' ')}\``);
    expect(page).to.include('http://localhost:8428/vmui');
  });
});
