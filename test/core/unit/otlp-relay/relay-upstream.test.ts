import { expect } from 'chai';
import { ConfigError } from '../../../../src/core/config/index.ts';
import { relayUpstreams } from '../../../../src/core/otlp-relay/relay-upstream.ts';

/** The variables these tests set; each is restored afterwards. */
const VARIABLES = [
  'OTEL_EXPORTER_OTLP_ENDPOINT',
  'OTEL_EXPORTER_OTLP_TRACES_ENDPOINT',
  'OTEL_EXPORTER_OTLP_LOGS_ENDPOINT',
  'OTEL_EXPORTER_OTLP_PROTOCOL',
  'OTEL_EXPORTER_OTLP_LOGS_PROTOCOL',
  'OTEL_EXPORTER_OTLP_HEADERS',
  'OTEL_EXPORTER_OTLP_TRACES_HEADERS',
] as const;

function urls(override?: string): { traces: string; logs: string } {
  const upstreams = relayUpstreams(override === undefined ? undefined : new URL(override));
  return { traces: upstreams.traces.url.href, logs: upstreams.logs.url.href };
}

function problemsOf(read: () => unknown): readonly string[] {
  try {
    read();
  } catch (error) {
    if (error instanceof ConfigError) return error.problems;
    throw error;
  }
  throw new Error('no ConfigError');
}

describe('relayUpstreams', () => {
  const saved = Object.fromEntries(VARIABLES.map((name) => [name, process.env[name]]));

  beforeEach(() => {
    for (const name of VARIABLES) Reflect.deleteProperty(process.env, name);
  });

  afterEach(() => {
    for (const name of VARIABLES) {
      if (saved[name] === undefined) Reflect.deleteProperty(process.env, name);
      else process.env[name] = saved[name];
    }
  });

  it("posts to the exporters' default collector when no endpoint variable is set", () => {
    expect(urls()).to.deep.equal({ traces: 'http://localhost:4318/v1/traces', logs: 'http://localhost:4318/v1/logs' });
  });

  it('appends each signal path to OTEL_EXPORTER_OTLP_ENDPOINT, with or without its trailing slash', () => {
    process.env['OTEL_EXPORTER_OTLP_ENDPOINT'] = 'http://collector:4318';
    expect(urls()).to.deep.equal({ traces: 'http://collector:4318/v1/traces', logs: 'http://collector:4318/v1/logs' });
    process.env['OTEL_EXPORTER_OTLP_ENDPOINT'] = 'https://gateway.example/otlp/';
    expect(urls()).to.deep.equal({ traces: 'https://gateway.example/otlp/v1/traces', logs: 'https://gateway.example/otlp/v1/logs' });
  });

  it("uses a signal's own endpoint variable as it is, over the common one", () => {
    process.env['OTEL_EXPORTER_OTLP_ENDPOINT'] = 'http://collector:4318';
    process.env['OTEL_EXPORTER_OTLP_LOGS_ENDPOINT'] = 'http://logs-collector:9000/ingest';
    expect(urls()).to.deep.equal({ traces: 'http://collector:4318/v1/traces', logs: 'http://logs-collector:9000/ingest' });
  });

  it('posts to BROWSER_TELEMETRY_OTLP_ENDPOINT plus each signal path when it is set, whatever the exporters use', () => {
    process.env['OTEL_EXPORTER_OTLP_TRACES_ENDPOINT'] = 'http://collector:4318/v1/traces';
    expect(urls('http://collector-http:4318')).to.deep.equal({ traces: 'http://collector-http:4318/v1/traces', logs: 'http://collector-http:4318/v1/logs' });
    expect(urls('http://collector-http:4318/base/')).to.deep.equal({
      traces: 'http://collector-http:4318/base/v1/traces',
      logs: 'http://collector-http:4318/base/v1/logs',
    });
  });

  it('refuses to start, naming BROWSER_TELEMETRY_OTLP_ENDPOINT, when a signal is exported over gRPC without it', () => {
    process.env['OTEL_EXPORTER_OTLP_LOGS_PROTOCOL'] = 'grpc';
    const problems = problemsOf(() => urls());
    expect(problems).to.have.length(1);
    expect(problems[0]).to.include('BROWSER_TELEMETRY_OTLP_ENDPOINT').and.include('logs over gRPC');
    process.env['OTEL_EXPORTER_OTLP_PROTOCOL'] = 'GRPC';
    expect(problemsOf(() => urls())).to.have.length(2);
    expect(urls('http://collector:4318').traces).to.equal('http://collector:4318/v1/traces');
  });

  it('refuses to start, naming the variable, when an endpoint is not an http(s) URL, and hides a password', () => {
    process.env['OTEL_EXPORTER_OTLP_TRACES_ENDPOINT'] = 'collector:4318';
    process.env['OTEL_EXPORTER_OTLP_ENDPOINT'] = 'http://user:s3cret@collector:4318';
    const problems = problemsOf(() => urls());
    expect(problems).to.have.length(2);
    expect(problems[0]).to.include('OTEL_EXPORTER_OTLP_TRACES_ENDPOINT').and.include('"collector:4318"');
    expect(problems[1]).to.include('OTEL_EXPORTER_OTLP_ENDPOINT').and.include('***');
    expect(problems.join('\n')).not.to.include('s3cret');
    process.env['OTEL_EXPORTER_OTLP_TRACES_ENDPOINT'] = 'not a url';
    expect(problemsOf(() => urls())[0]).to.include('"not a url"');
  });

  it("sends the exporters' headers, the signal's own over the common ones", () => {
    process.env['OTEL_EXPORTER_OTLP_HEADERS'] = 'x-api-key=common,x-tenant=t1';
    process.env['OTEL_EXPORTER_OTLP_TRACES_HEADERS'] = 'x-api-key=traces%20key';
    const upstreams = relayUpstreams(undefined);
    expect(upstreams.traces.headers).to.deep.equal({ 'x-api-key': 'traces key', 'x-tenant': 't1' });
    expect(upstreams.logs.headers).to.deep.equal({ 'x-api-key': 'common', 'x-tenant': 't1' });
  });
});
