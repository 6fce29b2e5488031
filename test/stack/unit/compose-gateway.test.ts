import { readFileSync } from 'node:fs';
import { expect } from 'chai';
import { parse } from 'yaml';

const readText = (path: string): string => readFileSync(new URL(`../../../${path}`, import.meta.url), 'utf8');

interface ComposeService {
  image?: string;
  volumes?: string[];
  environment?: Record<string, string>;
  depends_on?: Record<string, { condition: string }>;
  [field: string]: unknown;
}

interface ComposeFile {
  services: Record<string, ComposeService>;
  volumes: Record<string, unknown>;
}

describe('docker-compose.gateway.yml, the gateway topology on one host', () => {
  const single = parse(readText('docker-compose.yml')) as ComposeFile;
  const gateway = parse(readText('docker-compose.gateway.yml')) as ComposeFile;
  const GATEWAYS = ['otel-gateway-1', 'otel-gateway-2'];
  const COLLECTORS = new Set(['otel-collector', 'otel-agent', ...GATEWAYS]);
  const SERVICES = ['api', 'orders'];
  const agent = gateway.services['otel-agent']!;
  const collector = single.services['otel-collector']!;
  /** `service` exporting to `endpoint` and depending on `dependency` in place of the collector. */
  const exportingTo = (service: ComposeService, from: string, to: string): ComposeService => {
    const { [from]: condition, ...others } = service.depends_on ?? {};
    return {
      ...service,
      environment: { ...service.environment, OTEL_EXPORTER_OTLP_ENDPOINT: `http://${to}:4318` },
      depends_on: { ...others, [to]: condition! },
    };
  };

  it('runs the services, Jaeger and the stores of docker-compose.yml unchanged, and their volumes', () => {
    const others = (file: ComposeFile): string[] => Object.keys(file.services).filter((name) => !COLLECTORS.has(name) && !SERVICES.includes(name));
    expect(others(gateway)).to.deep.equal(others(single));
    for (const name of others(single)) expect(gateway.services[name], name).to.deep.equal(single.services[name]);
    expect(gateway.volumes).to.deep.equal(single.volumes);
  });

  it('has api and orders export to the agent, all else as in docker-compose.yml', () => {
    for (const name of SERVICES) {
      expect(single.services[name]!.environment!['OTEL_EXPORTER_OTLP_ENDPOINT'], name).to.equal('http://otel-collector:4318');
      expect(gateway.services[name], name).to.deep.equal(exportingTo(single.services[name]!, 'otel-collector', 'otel-agent'));
    }
  });

  it('runs the agent and the gateways with the collector image and mount of docker-compose.yml, and the repository configurations', () => {
    const target = (service: ComposeService): string => service.volumes![0]!.split(':').slice(1).join(':');
    expect(collector.volumes).to.have.length(1);
    expect(agent).to.deep.include({ image: collector.image, volumes: [`./otel-agent.yaml:${target(collector)}`] });
    for (const name of GATEWAYS) {
      expect(gateway.services[name], name).to.deep.include({ image: collector.image, volumes: [`./otel-gateway.yaml:${target(collector)}`] });
    }
  });

  it('gives the agent every gateway and the stores of the single collector, and starts it after them', () => {
    expect(agent.environment).to.deep.equal({
      GATEWAY_ENDPOINTS: `[${GATEWAYS.map((name) => `${name}:4317`).join(', ')}]`,
      VICTORIALOGS_URL: collector.environment!['VICTORIALOGS_URL'],
      VICTORIAMETRICS_URL: collector.environment!['VICTORIAMETRICS_URL'],
    });
    const { jaeger, ...stores } = collector.depends_on!;
    expect(jaeger).to.deep.equal({ condition: 'service_healthy' });
    expect(agent.depends_on).to.deep.equal({ ...Object.fromEntries(GATEWAYS.map((name) => [name, { condition: 'service_started' }])), ...stores });
  });

  it('names each gateway by its service, and sends the traces it keeps to Jaeger as the single collector does', () => {
    for (const name of GATEWAYS) {
      const service = gateway.services[name]!;
      expect(service.environment, name).to.deep.equal({
        GATEWAY_NAME: name,
        SESSION_SAMPLE_THRESHOLD: '${SESSION_SAMPLE_THRESHOLD:-40000000}',
        TAIL_SAMPLING_DECISION_WAIT: '${TAIL_SAMPLING_DECISION_WAIT:-10s}',
        JAEGER_OTLP_ENDPOINT: collector.environment!['JAEGER_OTLP_ENDPOINT'],
      });
      expect(service.depends_on, name).to.deep.equal({ jaeger: { condition: 'service_healthy' } });
    }
  });

  it('sets every variable without a default that the agent and gateway configurations read', () => {
    const unset = (config: string, service: ComposeService): string[] =>
      [...readText(config).matchAll(/\$\{env:([A-Z0-9_]+)\}/g)].map((match) => match[1]!).filter((name) => service.environment?.[name] === undefined);
    expect(unset('otel-agent.yaml', agent)).to.deep.equal([]);
    for (const name of GATEWAYS) expect(unset('otel-gateway.yaml', gateway.services[name]!), name).to.deep.equal([]);
  });
});
