import { diag, DiagLogLevel } from '@opentelemetry/api';
import { expect } from 'chai';
import {
  batchingFromEnv,
  DEFAULT_MAX_QUEUE_SIZE,
  exporterNamesFromEnv,
  otlpHttpEndpointFromEnv,
  otlpProtocolFromEnv,
} from '../../../../../src/core/telemetry/sdk/exporters-from-env.ts';

/** The variables these tests set; each is restored afterwards. */
const VARIABLES = [
  'OTEL_LOGS_EXPORTER',
  'OTEL_TRACES_EXPORTER',
  'OTEL_EXPORTER_OTLP_PROTOCOL',
  'OTEL_EXPORTER_OTLP_LOGS_PROTOCOL',
  'OTEL_BLRP_MAX_QUEUE_SIZE',
  'OTEL_BLRP_SCHEDULE_DELAY',
  'OTEL_BSP_SCHEDULE_DELAY',
  'OTEL_EXPORTER_OTLP_ENDPOINT',
  'OTEL_EXPORTER_OTLP_TRACES_ENDPOINT',
] as const;

describe('exporters-from-env', () => {
  const saved = Object.fromEntries(VARIABLES.map((name) => [name, process.env[name]]));
  let reported: string[];

  beforeEach(() => {
    reported = [];
    for (const name of VARIABLES) Reflect.deleteProperty(process.env, name);
    const collect = (message: string): void => {
      reported.push(message);
    };
    diag.setLogger({ error: collect, warn: collect, info: () => undefined, debug: () => undefined, verbose: () => undefined }, DiagLogLevel.WARN);
  });

  afterEach(() => {
    diag.disable();
    for (const name of VARIABLES) {
      if (saved[name] === undefined) Reflect.deleteProperty(process.env, name);
      else process.env[name] = saved[name];
    }
  });

  it('chooses otlp for a signal whose exporter variable is unset or empty', () => {
    expect(exporterNamesFromEnv('LOGS')).to.deep.equal(['otlp']);
    process.env['OTEL_LOGS_EXPORTER'] = '';
    expect(exporterNamesFromEnv('LOGS')).to.deep.equal(['otlp']);
  });

  it('chooses nothing when the list contains none, whatever else it names', () => {
    process.env['OTEL_LOGS_EXPORTER'] = 'otlp, none';
    expect(exporterNamesFromEnv('LOGS')).to.deep.equal([]);
    expect(exporterNamesFromEnv('TRACES')).to.deep.equal(['otlp']);
  });

  it('keeps each known exporter once and reports an unknown one', () => {
    process.env['OTEL_LOGS_EXPORTER'] = 'console, OTLP,console,zipkin';
    expect(exporterNamesFromEnv('LOGS')).to.deep.equal(['console', 'otlp']);
    expect(reported).to.have.length(1);
    expect(reported[0]).to.include('OTEL_LOGS_EXPORTER').and.include('"zipkin"');
  });

  it("prefers the signal's own protocol variable to the common one, and reports an unknown protocol", () => {
    expect(otlpProtocolFromEnv('LOGS')).to.equal('http/protobuf');
    process.env['OTEL_EXPORTER_OTLP_PROTOCOL'] = 'grpc';
    expect(otlpProtocolFromEnv('LOGS')).to.equal('grpc');
    process.env['OTEL_EXPORTER_OTLP_LOGS_PROTOCOL'] = 'HTTP/JSON';
    expect(otlpProtocolFromEnv('LOGS')).to.equal('http/json');
    expect(otlpProtocolFromEnv('TRACES')).to.equal('grpc');
    process.env['OTEL_EXPORTER_OTLP_LOGS_PROTOCOL'] = 'carrier-pigeon';
    expect(otlpProtocolFromEnv('LOGS')).to.equal('http/protobuf');
    expect(reported.join('\n')).to.include('"carrier-pigeon"');
  });

  it("resolves a signal's OTLP/HTTP endpoint as the specification says, naming the variable it came from", () => {
    expect(otlpHttpEndpointFromEnv('TRACES')).to.deep.equal({ url: 'http://localhost:4318/v1/traces', source: 'default' });
    process.env['OTEL_EXPORTER_OTLP_ENDPOINT'] = ' http://collector:4318 ';
    expect(otlpHttpEndpointFromEnv('LOGS')).to.deep.equal({ url: 'http://collector:4318/v1/logs', source: 'OTEL_EXPORTER_OTLP_ENDPOINT' });
    process.env['OTEL_EXPORTER_OTLP_TRACES_ENDPOINT'] = 'http://traces:4318/custom';
    expect(otlpHttpEndpointFromEnv('TRACES')).to.deep.equal({ url: 'http://traces:4318/custom', source: 'OTEL_EXPORTER_OTLP_TRACES_ENDPOINT' });
    expect(otlpHttpEndpointFromEnv('LOGS').source).to.equal('OTEL_EXPORTER_OTLP_ENDPOINT');
  });

  it("reads each signal's own batching variables over a default queue of 8,192", () => {
    expect(batchingFromEnv('OTEL_BLRP')).to.deep.equal({ maxQueueSize: DEFAULT_MAX_QUEUE_SIZE });
    process.env['OTEL_BLRP_MAX_QUEUE_SIZE'] = '100';
    process.env['OTEL_BLRP_SCHEDULE_DELAY'] = '250';
    process.env['OTEL_BSP_SCHEDULE_DELAY'] = '999';
    expect(batchingFromEnv('OTEL_BLRP')).to.deep.equal({ maxQueueSize: 100, scheduledDelayMillis: 250 });
    expect(batchingFromEnv('OTEL_BSP')).to.deep.equal({ maxQueueSize: DEFAULT_MAX_QUEUE_SIZE, scheduledDelayMillis: 999 });
    expect(reported).to.deep.equal([]);
  });

  it('reports a batching value that is not above zero and keeps the default, except a schedule delay of 0', () => {
    process.env['OTEL_BLRP_MAX_QUEUE_SIZE'] = '-5';
    process.env['OTEL_BLRP_SCHEDULE_DELAY'] = '0';
    expect(batchingFromEnv('OTEL_BLRP')).to.deep.equal({ maxQueueSize: DEFAULT_MAX_QUEUE_SIZE, scheduledDelayMillis: 0 });
    expect(reported).to.have.length(1);
    expect(reported[0]).to.include('OTEL_BLRP_MAX_QUEUE_SIZE=-5');
  });
});
