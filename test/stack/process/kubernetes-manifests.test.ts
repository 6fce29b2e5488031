import { execFileSync, spawnSync } from 'node:child_process';
import { cpSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { expect } from 'chai';
import { parse, parseAllDocuments } from 'yaml';
import { requirePrerequisites, skippedForPrerequisites } from '../support/require-prerequisites.ts';

const projectRoot = fileURLToPath(new URL('../../../', import.meta.url));

/** What deploy-check printed and how it exited. */
interface CheckResult {
  readonly code: number | null;
  readonly lines: string[];
  readonly stderr: string;
}

/** Runs the checker `binary` on the kustomization folder `dir`. */
function deployCheck(binary: string, dir: string): CheckResult {
  const result = spawnSync(binary, [dir], { encoding: 'utf8' });
  return { code: result.status, lines: result.stdout.split('\n').filter((line) => line !== ''), stderr: result.stderr };
}

/** A built object, as far as these tests read it. */
interface BuiltObject {
  readonly kind: string;
  readonly metadata: { readonly name: string; readonly namespace?: string };
  readonly [field: string]: unknown;
}

/** The objects `deploy-check --print` builds from the kustomization folder `dir`. */
function builtObjects(binary: string, dir: string): BuiltObject[] {
  const output = execFileSync(binary, ['--print', dir], { encoding: 'utf8' });
  return parseAllDocuments(output).map((document) => document.toJS() as BuiltObject);
}

/** The one built object of `kind` whose name starts with `name`. */
function find(objects: BuiltObject[], kind: string, name: string): BuiltObject {
  const found = objects.filter((object) => object.kind === kind && object.metadata.name.startsWith(name));
  expect(found.map((object) => `${object.kind} ${object.metadata.name}`), `${kind} ${name}`).to.have.length(1);
  return found[0] as BuiltObject;
}

/** A value inside `object` at `path` (each step a key or an index), undefined where there is none. */
function at(object: unknown, ...path: (string | number)[]): unknown {
  let value: unknown = object;
  for (const step of path) {
    if (value === null || typeof value !== 'object') return undefined;
    value = (value as Record<string | number, unknown>)[step];
  }
  return value;
}

describe('the Kubernetes manifests, built with kustomize and decoded into the Kubernetes API types', function () {
  let binary = '';
  let copies = '';

  before(function () {
    // The first build downloads kustomize's and Kubernetes' modules.
    this.timeout(600_000);
    requirePrerequisites(this, 'test:process kubernetes-manifests', ['deploy-check']);
    binary = execFileSync('bash', ['tools/stack/build-deploy-check.sh'], { cwd: projectRoot, encoding: 'utf8', stdio: ['ignore', 'pipe', 'inherit'] }).trim();
    copies = mkdtempSync(join(tmpdir(), 'kubernetes-manifests-'));
  });

  after(function () {
    if (skippedForPrerequisites(this)) return;
    rmSync(copies, { recursive: true, force: true });
  });

  /** A copy of deploy/kubernetes in its own folder, with base/`file` changed by `change`. */
  function copyWith(name: string, file: string, change: (text: string) => string): string {
    const root = join(copies, name);
    cpSync(join(projectRoot, 'deploy/kubernetes'), root, { recursive: true });
    const path = join(root, 'base', file);
    const before = readFileSync(path, 'utf8');
    const after = change(before);
    expect(after, 'the change applies').to.not.equal(before);
    writeFileSync(path, after);
    return join(root, 'overlays/stack');
  }

  it('finds no problem in the stack overlay', function () {
    const result = deployCheck(binary, join(projectRoot, 'deploy/kubernetes/overlays/stack'));
    expect({ code: result.code, lines: result.lines, stderr: result.stderr }).to.deep.equal({ code: 0, lines: [], stderr: '' });
  });

  it('creates the namespace every other object is in, so `kubectl apply -k` needs no namespace made first', function () {
    const objects = builtObjects(binary, join(projectRoot, 'deploy/kubernetes/overlays/stack'));
    const namespaces = objects.filter((object) => object.kind === 'Namespace').map((object) => object.metadata.name);
    const used = [...new Set(objects.filter((object) => object.kind !== 'Namespace').map((object) => object.metadata.namespace))];
    expect(used).to.have.length(1);
    expect(namespaces).to.deep.equal(used);
  });

  it('finds no problem in the base alone', function () {
    const result = deployCheck(binary, join(projectRoot, 'deploy/kubernetes/base'));
    expect({ code: result.code, lines: result.lines, stderr: result.stderr }).to.deep.equal({ code: 0, lines: [], stderr: '' });
  });

  it('lets the agents find the gateways: the k8s resolver names the headless Service, whose EndpointSlices their ServiceAccount may list and watch', function () {
    const objects = builtObjects(binary, join(projectRoot, 'deploy/kubernetes/overlays/stack'));
    const gateways = find(objects, 'Service', 'otel-gateway');
    expect(at(gateways, 'spec', 'clusterIP')).to.equal('None');
    const agentConfig = parse(at(find(objects, 'ConfigMap', 'otel-agent-config'), 'data', 'config.yaml') as string) as { exporters: Record<string, unknown> };
    const balancers = Object.keys(agentConfig.exporters).filter((id) => id.split('/')[0] === 'load_balancing');
    expect(balancers).to.have.length.above(0);
    for (const id of balancers) {
      const resolver = at(agentConfig, 'exporters', id, 'resolver', 'k8s');
      expect(resolver, id).to.deep.equal({ service: `otel-gateway.${gateways.metadata.namespace ?? ''}`, ports: [at(gateways, 'spec', 'ports', 0, 'port')] });
    }
    const agent = find(objects, 'DaemonSet', 'otel-agent');
    const account = at(agent, 'spec', 'template', 'spec', 'serviceAccountName');
    const binding = find(objects, 'RoleBinding', 'otel-agent');
    expect(at(binding, 'subjects')).to.deep.equal([{ kind: 'ServiceAccount', name: account, namespace: agent.metadata.namespace }]);
    const role = find(objects, 'Role', at(binding, 'roleRef', 'name') as string);
    expect(at(role, 'rules')).to.deep.include({ apiGroups: ['discovery.k8s.io'], resources: ['endpointslices'], verbs: ['get', 'list', 'watch'] });
  });

  /** The one container of `workload` with its env by name, and the configuration of the ConfigMap it mounts. */
  function collector(objects: BuiltObject[], kind: string, name: string): { env: Map<string, unknown>; config: string } {
    const workload = find(objects, kind, name);
    const containers = at(workload, 'spec', 'template', 'spec', 'containers') as unknown[];
    expect(containers, `${kind} ${name}: containers`).to.have.length(1);
    const env = new Map(((at(containers[0], 'env') ?? []) as { name: string }[]).map((variable) => [variable.name, variable]));
    const configMap = at(workload, 'spec', 'template', 'spec', 'volumes', 0, 'configMap', 'name') as string;
    return { env, config: at(find(objects, 'ConfigMap', configMap), 'data', 'config.yaml') as string };
  }

  it("sets every variable the collectors' configurations read but their own listening addresses, the stores and Jaeger named by their Services", function () {
    const objects = builtObjects(binary, join(projectRoot, 'deploy/kubernetes/overlays/stack'));
    // Defaults that are right in a pod: the collector's own listening addresses and metrics
    // endpoint (0.0.0.0, the standard ports), and the span_metrics flush interval.
    const DEFAULT_IS_RIGHT = /^((AGENT|GATEWAY)_(OTLP_GRPC_ENDPOINT|OTLP_HTTP_ENDPOINT|HEALTH_ENDPOINT|METRICS_HOST|METRICS_PORT)|SPAN_METRICS_FLUSH_INTERVAL)$/;
    const servicePort = (name: string, port: string): string => {
      const ports = at(find(objects, 'Service', name), 'spec', 'ports') as { name: string; port: number }[];
      return `${name}:${ports.find((entry) => entry.name === port)?.port ?? 'none'}`;
    };
    const wanted: Record<string, Record<string, unknown>> = {
      'DaemonSet otel-agent': {
        VICTORIALOGS_URL: { name: 'VICTORIALOGS_URL', value: `http://${servicePort('vlinsert', 'http')}` },
        VICTORIAMETRICS_URL: { name: 'VICTORIAMETRICS_URL', value: `http://${servicePort('victoriametrics', 'http')}` },
      },
      'Deployment otel-gateway': {
        GATEWAY_NAME: { name: 'GATEWAY_NAME', valueFrom: { fieldRef: { fieldPath: 'metadata.name' } } },
        JAEGER_OTLP_ENDPOINT: { name: 'JAEGER_OTLP_ENDPOINT', value: servicePort('jaeger', 'otlp-grpc') },
      },
    };
    for (const [workload, variables] of Object.entries(wanted)) {
      const [kind, name] = workload.split(' ') as [string, string];
      const { env, config } = collector(objects, kind, name);
      const read = [...new Set([...config.matchAll(/\$\{env:([A-Z0-9_]+)/g)].map((match) => match[1]!))];
      expect(read.filter((variable) => !DEFAULT_IS_RIGHT.test(variable) && !env.has(variable)), `${workload}: variables read but not set`).to.deep.equal([]);
      for (const [variable, entry] of Object.entries(variables)) expect(env.get(variable), `${workload}: ${variable}`).to.deep.equal(entry);
    }
  });

  it('gives the api service its probes, requests and a PodDisruptionBudget over its pods', function () {
    const objects = builtObjects(binary, join(projectRoot, 'deploy/kubernetes/overlays/stack'));
    const api = find(objects, 'Deployment', 'api');
    const container = at(api, 'spec', 'template', 'spec', 'containers', 0);
    expect([at(container, 'readinessProbe', 'httpGet', 'path'), at(container, 'livenessProbe', 'httpGet', 'path')]).to.deep.equal(['/readyz', '/healthz']);
    expect(at(container, 'resources', 'requests')).to.have.keys('cpu', 'memory');
    expect(at(find(objects, 'PodDisruptionBudget', 'api'), 'spec', 'selector', 'matchLabels')).to.deep.equal(at(api, 'spec', 'selector', 'matchLabels'));
  });

  it('fails on a field the Deployment type does not have, in one line naming the object and the field', function () {
    const overlay = copyWith('unknown-field', 'api.yaml', (text) =>
      text.replace('      terminationGracePeriodSeconds: 15\n', '      terminationGracePeriodSeconds: 15\n      terminationGraceSeconds: 15\n'),
    );
    const result = deployCheck(binary, overlay);
    expect(result.code).to.equal(1);
    expect(result.lines).to.have.length(1);
    expect(result.lines[0]).to.match(/^Deployment session-stack\/api: .*unknown field "terminationGraceSeconds"/);
  });

  it('fails on a kind it has no type for, in one line naming it', function () {
    const overlay = copyWith('unknown-kind', 'victoriametrics.yaml', (text) => `${text}---\napiVersion: example.com/v1\nkind: Widget\nmetadata:\n  name: widget\n`);
    const result = deployCheck(binary, overlay);
    expect(result.code).to.equal(1);
    expect(result.lines).to.deep.equal(['Widget session-stack/widget: unknown apiVersion/kind "example.com/v1 Widget"']);
  });
});
