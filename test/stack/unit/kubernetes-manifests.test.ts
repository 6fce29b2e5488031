import { readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { expect } from 'chai';
import { parse } from 'yaml';

const projectRoot = fileURLToPath(new URL('../../../', import.meta.url));

/** The text of the project file `path`. */
function read(path: string): string {
  return readFileSync(`${projectRoot}${path}`, 'utf8');
}

/** A collector configuration, as far as these tests read it. */
interface CollectorConfig {
  readonly exporters: Record<string, { resolver?: unknown }>;
}

/** `config` without the resolvers of its load_balancing exporters, and those resolvers by exporter. */
function withoutResolvers(config: CollectorConfig): { rest: CollectorConfig; resolvers: Record<string, unknown> } {
  const resolvers: Record<string, unknown> = {};
  const exporters: Record<string, { resolver?: unknown }> = {};
  for (const [id, exporter] of Object.entries(config.exporters)) {
    if (id.split('/')[0] === 'load_balancing') {
      const { resolver, ...rest } = exporter;
      resolvers[id] = resolver;
      exporters[id] = rest;
    } else {
      exporters[id] = exporter;
    }
  }
  return { rest: { ...config, exporters }, resolvers };
}

describe('the Kubernetes overlay of the stack', () => {
  // kustomize reads no file outside the kustomization's folder: these configurations are copied.
  for (const file of ['jaeger.yaml', 'jaeger-ui.json', 'otel-gateway.yaml']) {
    it(`holds the repository's ${file}, unchanged`, () => {
      expect(read(`deploy/kubernetes/overlays/stack/config/${file}`)).to.equal(read(file));
    });
  }

  describe("the agent's configuration", () => {
    const repository = withoutResolvers(parse(read('otel-agent.yaml')) as CollectorConfig);
    const overlay = withoutResolvers(parse(read('deploy/kubernetes/overlays/stack/config/otel-agent.yaml')) as CollectorConfig);
    const namespace = (parse(read('deploy/kubernetes/overlays/stack/kustomization.yaml')) as { namespace: string }).namespace;

    it("is the repository's otel-agent.yaml but for the load_balancing exporters' resolvers", () => {
      expect(overlay.rest).to.deep.equal(repository.rest);
    });

    it("finds the gateways with the k8s resolver, on the headless Service otel-gateway of the overlay's namespace, in every load_balancing exporter", () => {
      expect(Object.keys(repository.resolvers)).to.have.length.above(0);
      expect(Object.keys(overlay.resolvers)).to.deep.equal(Object.keys(repository.resolvers));
      for (const resolver of Object.values(overlay.resolvers)) {
        expect(resolver).to.deep.equal({ k8s: { service: `otel-gateway.${namespace}`, ports: [4317] } });
      }
    });
  });
});
