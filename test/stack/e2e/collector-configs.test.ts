import { spawnSync } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import { expect } from 'chai';
import { builtBinary } from '../support/observability-stack.ts';
import { requirePrerequisites } from '../support/require-prerequisites.ts';

const projectRoot = fileURLToPath(new URL('../../../', import.meta.url));

/**
 * The collector configurations the collector built from tools/stack/otelcol-builder.yaml can
 * read. deploy/kubernetes/overlays/stack/config/otel-agent.yaml joins them once the builder
 * manifest has the load_balancing exporter (issue 24, the gateway tier).
 */
const CONFIGS = ['otel-collector.yaml', 'deploy/kubernetes/overlays/stack/config/otel-gateway.yaml'];

describe("the collector configurations, checked by the collector's own validate (real collector)", function () {
  before(function () {
    requirePrerequisites(this, 'test:e2e collector-configs', ['stack-programs']);
  });

  for (const config of CONFIGS) {
    it(`accepts ${config}`, function () {
      const result = spawnSync(builtBinary('build-collector.sh'), ['validate', `--config=${config}`], { cwd: projectRoot, encoding: 'utf8' });
      expect({ code: result.status, stderr: result.stderr }).to.deep.equal({ code: 0, stderr: '' });
    });
  }
});
