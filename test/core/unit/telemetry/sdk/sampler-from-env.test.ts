import { createRequire } from 'node:module';
import { dirname, join } from 'node:path';
import { pathToFileURL } from 'node:url';
import { diag, DiagLogLevel } from '@opentelemetry/api';
import type { Sampler } from '@opentelemetry/sdk-trace';
import { expect } from 'chai';
import { samplerFromEnv } from '../../../../../src/core/telemetry/sdk/sampler-from-env.ts';

/** Every value of OTEL_TRACES_SAMPLER the SDK knows. */
const STANDARD_NAMES = ['always_on', 'always_off', 'traceidratio', 'parentbased_always_on', 'parentbased_always_off', 'parentbased_traceidratio'];

/**
 * The SDK's own builder of the standard samplers, which sdk-node does not export: loaded from
 * its file next to the package's entry, so this test compares with what NodeSDK would build.
 * If an upgrade moves or renames it, find it again (and any new sampler name it learned).
 */
async function sdkBuilder(): Promise<() => Sampler | undefined> {
  const entry = createRequire(import.meta.url).resolve('@opentelemetry/sdk-node');
  const module = (await import(pathToFileURL(join(dirname(entry), 'create-from-env.mjs')).href)) as { createSamplerFromEnv: () => Sampler | undefined };
  return module.createSamplerFromEnv;
}

/** The sampler NodeSDK's TracerProvider uses when the builder gives none. */
const SDK_DEFAULT =
  'ParentBased{root=AlwaysOnSampler, remoteParentSampled=AlwaysOnSampler, remoteParentNotSampled=AlwaysOffSampler, localParentSampled=AlwaysOnSampler, localParentNotSampled=AlwaysOffSampler}';

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

  function choose(sampler: string | undefined, arg: string | undefined): string {
    setEnv(sampler, arg);
    return samplerFromEnv().sampler.toString();
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

    it(`reports an argument that is ${what} once and uses 1 for the standard ratio samplers`, () => {
      for (const name of ['traceidratio', 'parentbased_traceidratio']) {
        reported = [];
        expect(choose(name, arg), name).to.include('TraceIdRatioBased{1}');
        expect(reported, name).to.have.length(1);
        expect(reported[0], name).to.match(/OTEL_TRACES_SAMPLER_ARG.*defaulting to 1\./);
      }
    });
  }

  it('builds every standard sampler exactly as the SDK does, and the SDK\'s default when none is set', async () => {
    const sdkSamplerFromEnv = await sdkBuilder();
    for (const name of [...STANDARD_NAMES, undefined]) {
      for (const arg of ['0.5', '0', '1', undefined]) {
        const ours = choose(name, arg);
        expect(ours, `${String(name)} at ${String(arg)}`).to.equal(sdkSamplerFromEnv()?.toString() ?? SDK_DEFAULT);
      }
    }
    expect(choose('traceidratio', '0.5')).to.equal('TraceIdRatioBased{0.5}');
    expect(choose(undefined, undefined)).to.equal(SDK_DEFAULT);
  });

  it('reports an unknown sampler name and uses the default, as the SDK does', async () => {
    const sdkSamplerFromEnv = await sdkBuilder();
    for (const name of ['nonsense', 'PARENTBASED_ALWAYS_OFF', ' always_off']) {
      reported = [];
      expect(choose(name, '0.5'), name).to.equal(SDK_DEFAULT);
      expect(reported, name).to.deep.equal([`unknown OTEL_TRACES_SAMPLER value ${JSON.stringify(name)}, using default`]);
      expect(sdkSamplerFromEnv(), name).to.equal(undefined);
    }
  });

  it('gives the session sample ratio under parentbased_session_ratio, and 1 under every other sampler', () => {
    setEnv('parentbased_session_ratio', '0.3');
    expect(samplerFromEnv().sessionSampleRatio).to.equal(0.3);
    setEnv('parentbased_session_ratio', '7');
    expect(samplerFromEnv().sessionSampleRatio).to.equal(1);
    for (const name of [...STANDARD_NAMES, 'nonsense', undefined]) {
      setEnv(name, '0.3');
      expect(samplerFromEnv().sessionSampleRatio, String(name)).to.equal(1);
    }
  });
});
