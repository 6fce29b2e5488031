import { diag, DiagLogLevel } from '@opentelemetry/api';
import { expect } from 'chai';
import { samplerFromEnv } from '../../../../src/core/telemetry/sampler-from-env.ts';

describe('samplerFromEnv', () => {
  const saved = { sampler: process.env['OTEL_TRACES_SAMPLER'], arg: process.env['OTEL_TRACES_SAMPLER_ARG'] };
  let reported: string[];

  beforeEach(() => {
    reported = [];
    const collect = (message: string): void => {
      reported.push(message);
    };
    diag.setLogger({ error: collect, warn: collect, info: () => undefined, debug: () => undefined, verbose: () => undefined }, DiagLogLevel.WARN);
  });

  afterEach(() => {
    diag.disable();
    setEnv(saved.sampler, saved.arg);
  });

  function setEnv(sampler: string | undefined, arg: string | undefined): void {
    if (sampler === undefined) delete process.env['OTEL_TRACES_SAMPLER'];
    else process.env['OTEL_TRACES_SAMPLER'] = sampler;
    if (arg === undefined) delete process.env['OTEL_TRACES_SAMPLER_ARG'];
    else process.env['OTEL_TRACES_SAMPLER_ARG'] = arg;
  }

  function choose(sampler: string | undefined, arg: string | undefined): string | undefined {
    setEnv(sampler, arg);
    return samplerFromEnv()?.toString();
  }

  it('builds a parent-based session sampler at the ratio of OTEL_TRACES_SAMPLER_ARG for parentbased_session_ratio', () => {
    expect(choose('parentbased_session_ratio', '0.25')).to.equal(
      'ParentBased{root=SessionRatioSampler{0.25}, remoteParentSampled=AlwaysOnSampler, remoteParentNotSampled=AlwaysOffSampler, localParentSampled=AlwaysOnSampler, localParentNotSampled=AlwaysOffSampler}',
    );
    expect(choose('parentbased_session_ratio', '0')).to.include('SessionRatioSampler{0}');
    expect(choose('parentbased_session_ratio', '1')).to.include('SessionRatioSampler{1}');
    expect(reported).to.deep.equal([]);
  });

  for (const [what, arg] of [['missing', undefined], ['not a number', 'a quarter'], ['below 0', '-0.1'], ['above 1', '1.5']] as const) {
    it(`reports an argument that is ${what} and keeps every session, as the SDK does for traceidratio`, () => {
      expect(choose('parentbased_session_ratio', arg)).to.include('SessionRatioSampler{1}');
      expect(reported).to.have.length(1);
      expect(reported[0]).to.match(/OTEL_TRACES_SAMPLER_ARG.*defaulting to 1\./);
    });
  }

  it('leaves every other sampler name, and none, to the SDK', () => {
    for (const name of ['always_on', 'always_off', 'traceidratio', 'parentbased_traceidratio', 'parentbased_always_on', 'nonsense', undefined]) {
      expect(choose(name, '0.5'), String(name)).to.equal(undefined);
    }
  });
});
