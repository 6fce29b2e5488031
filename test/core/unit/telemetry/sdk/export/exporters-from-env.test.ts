import { diag, DiagLogLevel } from '@opentelemetry/api';
import { expect } from 'chai';
import { ConfigError } from '../../../../../../src/core/config/index.ts';
import {
  batchingFromEnv,
  DEFAULT_MAX_QUEUE_SIZE,
  exporterNamesFromEnv,
  otlpHttpEndpointFromEnv,
  otlpProtocolFromEnv,
} from '../../../../../../src/core/telemetry/sdk/export/exporters-from-env.ts';

/** The variables these tests set; each is restored afterwards. */
const VARIABLES = [
  'OTEL_LOGS_EXPORTER',
  'OTEL_TRACES_EXPORTER',
  'OTEL_EXPORTER_OTLP_PROTOCOL',
  'OTEL_EXPORTER_OTLP_LOGS_PROTOCOL',
  'OTEL_BLRP_MAX_QUEUE_SIZE',
  'OTEL_BLRP_MAX_EXPORT_BATCH_SIZE',
  'OTEL_BLRP_SCHEDULE_DELAY',
  'OTEL_BLRP_EXPORT_TIMEOUT',
  'OTEL_BSP_MAX_QUEUE_SIZE',
  'OTEL_BSP_MAX_EXPORT_BATCH_SIZE',
  'OTEL_BSP_SCHEDULE_DELAY',
  'OTEL_BSP_EXPORT_TIMEOUT',
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

  it('refuses a batching value that is not a whole number in range, naming the variable and the value', () => {
    const refused = (variable: string, value: string): string => {
      process.env[variable] = value;
      try {
        batchingFromEnv(variable.startsWith('OTEL_BSP') ? 'OTEL_BSP' : 'OTEL_BLRP');
        return `${variable}=${value} accepted`;
      } catch (error) {
        return error instanceof ConfigError ? error.problems.join('; ') : String(error);
      } finally {
        Reflect.deleteProperty(process.env, variable);
      }
    };
    // A batch of 0.5 never fills: no log record was ever exported, and no counter moved.
    expect(refused('OTEL_BLRP_MAX_EXPORT_BATCH_SIZE', '0.5')).to.equal('OTEL_BLRP_MAX_EXPORT_BATCH_SIZE must be an integer from 1 to 2147483647, got "0.5"');
    // A queue of 0.5 holds nothing: every span was dropped.
    expect(refused('OTEL_BSP_MAX_QUEUE_SIZE', '0.5')).to.equal('OTEL_BSP_MAX_QUEUE_SIZE must be an integer from 1 to 2147483647, got "0.5"');
    expect(refused('OTEL_BLRP_MAX_QUEUE_SIZE', '-5')).to.equal('OTEL_BLRP_MAX_QUEUE_SIZE must be an integer from 1 to 2147483647, got "-5"');
    expect(refused('OTEL_BSP_MAX_EXPORT_BATCH_SIZE', '0')).to.equal('OTEL_BSP_MAX_EXPORT_BATCH_SIZE must be an integer from 1 to 2147483647, got "0"');
    expect(refused('OTEL_BSP_SCHEDULE_DELAY', 'soon')).to.equal('OTEL_BSP_SCHEDULE_DELAY must be an integer from 0 to 2147483647, got "soon"');
    expect(refused('OTEL_BLRP_EXPORT_TIMEOUT', '1e4')).to.equal('OTEL_BLRP_EXPORT_TIMEOUT must be an integer from 1 to 2147483647, got "1e4"');
    // Beyond Node's longest timer, which would fire after 1 ms.
    expect(refused('OTEL_BSP_EXPORT_TIMEOUT', '2147483648')).to.equal('OTEL_BSP_EXPORT_TIMEOUT must be an integer from 1 to 2147483647, got "2147483648"');
  });

  it('takes an empty batching value as unset and a schedule delay of 0 as given', () => {
    process.env['OTEL_BLRP_MAX_QUEUE_SIZE'] = '';
    process.env['OTEL_BLRP_MAX_EXPORT_BATCH_SIZE'] = ' ';
    process.env['OTEL_BLRP_SCHEDULE_DELAY'] = '0';
    process.env['OTEL_BLRP_EXPORT_TIMEOUT'] = '2147483647';
    expect(batchingFromEnv('OTEL_BLRP')).to.deep.equal({ maxQueueSize: DEFAULT_MAX_QUEUE_SIZE, scheduledDelayMillis: 0, exportTimeoutMillis: 2_147_483_647 });
    expect(reported).to.deep.equal([]);
  });
});
