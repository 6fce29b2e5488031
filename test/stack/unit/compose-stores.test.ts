import { readFileSync } from 'node:fs';
import { expect } from 'chai';
import { parse } from 'yaml';
import { VICTORIAMETRICS_FLAGS } from '../support/victoria-metrics.ts';

const readText = (path: string): string => readFileSync(new URL(`../../../${path}`, import.meta.url), 'utf8');

interface SourceService {
  image?: string;
  build?: unknown;
  command?: string[];
  volumes?: string[];
  ports?: string[];
  environment?: Record<string, string>;
}

/** The default of `${env:NAME:-default}` in `value`. */
function defaultOf(value: string, name: string): string {
  const match = new RegExp(`\\$\\{env:${name}:-([^}]*)\\}`).exec(value);
  if (match === null) throw new Error(`No default for ${name} in ${value}`);
  return match[1]!;
}

/** The `source:target[:mode]` volume entry of `service` whose source is `source`, split. */
function volumeFrom(service: SourceService, source: string): { target: string; mode: string | undefined } {
  const entry = (service.volumes ?? []).find((volume) => volume.split(':')[0] === source);
  if (entry === undefined) throw new Error(`No volume from ${source} in ${JSON.stringify(service.volumes)}`);
  const [, target, mode] = entry.split(':');
  return { target: target!, mode };
}

describe('docker-compose.yml and the files its stores read', () => {
  const compose = parse(readText('docker-compose.yml')) as { services: Record<string, SourceService>; volumes: Record<string, unknown> };
  const services = compose.services;
  const jaeger = services['jaeger']!;
  const jaegerConfig = parse(readText('jaeger.yaml')) as {
    extensions: {
      jaeger_query: { ui: { config_file: string } };
      jaeger_storage: {
        backends: Record<string, { badger?: { ephemeral: boolean; directories: { keys: string; values: string } } }>;
        metric_backends: Record<string, { prometheus: { endpoint: string } }>;
      };
    };
  };

  it('has a stand-in, listed and built by tools/stack/compose/build-stand-in-images.sh, for every image it pulls', () => {
    const script = readText('tools/stack/compose/build-stand-in-images.sh');
    const pulled = Object.values(services)
      .filter((service) => service.build === undefined)
      .map((service) => service.image!);
    expect(pulled).to.include('victoriametrics/victoria-metrics:v1.151.0');
    for (const image of pulled) {
      const escaped = image.replace(/[.*+?^${}()|[\]\\/]/g, '\\$&');
      expect(script, `${image} in the script's list`).to.match(new RegExp(`^#\\s+${escaped}\\s+FROM`, 'm'));
      expect(script, `${image} built`).to.match(new RegExp(`^build_image ${escaped} `, 'm'));
    }
  });

  it('starts Jaeger on the mounted jaeger.yaml, whose default finds the mounted jaeger-ui.json', () => {
    expect(jaeger.command).to.deep.equal(['--config', volumeFrom(jaeger, './jaeger.yaml').target]);
    expect(volumeFrom(jaeger, './jaeger.yaml').mode).to.equal('ro');
    expect(defaultOf(jaegerConfig.extensions.jaeger_query.ui.config_file, 'JAEGER_UI_CONFIG')).to.equal(volumeFrom(jaeger, './jaeger-ui.json').target);
    // The defaults apply: compose sets none of the variables jaeger.yaml reads.
    expect(jaeger.environment).to.equal(undefined);
  });

  it("keeps Badger's files, where jaeger.yaml puts them by default, in a named volume", () => {
    const badger = Object.values(jaegerConfig.extensions.jaeger_storage.backends)[0]!.badger!;
    expect(badger.ephemeral).to.equal(false);
    const volume = volumeFrom(jaeger, 'jaeger-data');
    expect(compose.volumes).to.have.property('jaeger-data');
    for (const directory of [badger.directories.keys, badger.directories.values]) {
      expect(defaultOf(directory, 'JAEGER_DATA_DIR'), directory).to.satisfy((path: string) => path.startsWith(`${volume.target}/`));
    }
  });

  it('gives the collector and Jaeger the address compose gives the metrics store, the one their configs default to', () => {
    const address = 'http://victoriametrics:8428';
    expect(services['victoriametrics']!.ports).to.deep.equal(['127.0.0.1:8428:8428']);
    expect(services['otel-collector']!.environment!['VICTORIAMETRICS_URL']).to.equal(address);
    const metricBackends = Object.values(jaegerConfig.extensions.jaeger_storage.metric_backends);
    expect(metricBackends.map((backend) => defaultOf(backend.prometheus.endpoint, 'VICTORIAMETRICS_URL'))).to.deep.equal([address]);
    expect(defaultOf(readText('otel-collector.yaml'), 'VICTORIAMETRICS_URL')).to.equal(address);
  });

  it('runs VictoriaMetrics with the flags of the end-to-end tests, its data in its named volume', () => {
    const store = services['victoriametrics']!;
    const { target } = volumeFrom(store, 'victoriametrics-data');
    expect(compose.volumes).to.have.property('victoriametrics-data');
    expect(store.command).to.deep.equal([`-storageDataPath=${target}`, ...VICTORIAMETRICS_FLAGS]);
  });
});
