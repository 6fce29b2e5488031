import { spawnSync } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import { expect } from 'chai';
import { builtBinary } from '../support/observability-stack.ts';
import { requirePrerequisites } from '../support/require-prerequisites.ts';

const projectRoot = fileURLToPath(new URL('../../../', import.meta.url));

/**
 * Every collector configuration of the project, with the environment it needs to be read: the
 * static resolver of the agent fails validation without a gateway. `validate` builds the
 * pipelines but compiles no OTTL statement: test/stack/e2e/gateway-tier.test.ts and the compose
 * tests start the agent and the gateways for real.
 */
const CONFIGS: Record<string, Record<string, string>> = {
  'otel-collector.yaml': {},
  'otel-agent.yaml': { GATEWAY_ENDPOINTS: '[gateway-1:4317, gateway-2:4317]' },
  'otel-gateway.yaml': {},
  'deploy/kubernetes/overlays/stack/config/otel-agent.yaml': {},
  'deploy/kubernetes/overlays/stack/config/otel-gateway.yaml': {},
};

describe("the collector configurations, checked by the collector's own validate (real collector)", function () {
  before(function () {
    requirePrerequisites(this, 'test:e2e collector-configs', ['stack-programs']);
  });

  for (const [config, env] of Object.entries(CONFIGS)) {
    it(`accepts ${config}`, function () {
      const result = spawnSync(builtBinary('build-collector.sh'), ['validate', `--config=${config}`], {
        cwd: projectRoot,
        encoding: 'utf8',
        env: { ...process.env, ...env },
      });
      expect({ code: result.status, stderr: result.stderr }).to.deep.equal({ code: 0, stderr: '' });
    });
  }
});
