import { diag } from '@opentelemetry/api';
import { getStringFromEnv } from '@opentelemetry/core';
import { AlwaysOffSampler, AlwaysOnSampler, ParentBasedSampler, TraceIdRatioBasedSampler, type Sampler } from '@opentelemetry/sdk-trace';
import { SessionRatioSampler } from '../session-bridge/index.ts';

/** The `OTEL_TRACES_SAMPLER` value that selects session sampling. */
export const SESSION_SAMPLER_NAME = 'parentbased_session_ratio';

/** What `OTEL_TRACES_SAMPLER` and `OTEL_TRACES_SAMPLER_ARG` configure: {@link samplerFromEnv}. */
export interface SamplerFromEnv {
  /** The sampler to give the SDK. */
  readonly sampler: Sampler;
  /**
   * The share of sessions traced: `OTEL_TRACES_SAMPLER_ARG` (as read for the sampler) under
   * `parentbased_session_ratio`, otherwise 1 (no session is left out by its id).
   */
  readonly sessionSampleRatio: number;
  /**
   * True under `parentbased_session_ratio`: the sampler records every trace that starts in a
   * session, and a `SessionSampledSpanProcessor` at `sessionSampleRatio` must decide them.
   */
  readonly decidesBySession: boolean;
}

/**
 * The sampler `OTEL_TRACES_SAMPLER` asks for: every standard value exactly as the SDK defines
 * it (`always_on`, `always_off`, `traceidratio`, `parentbased_always_on`,
 * `parentbased_always_off`, `parentbased_traceidratio`; unset means `parentbased_always_on`,
 * an unknown value is reported and the default used), plus this project's
 * `parentbased_session_ratio`: a `ParentBasedSampler` whose root is a
 * {@link SessionRatioSampler} at `OTEL_TRACES_SAMPLER_ARG`.
 *
 * The standard samplers are built here, not left to the SDK, because an untrusted edge wraps
 * whichever sampler is configured (`EdgeSampler`), and `@opentelemetry/sdk-node` takes only a
 * finished `sampler`: its own builder from the environment (`createSamplerFromEnv`) is not
 * exported. Names are compared as the SDK compares them (exactly; surrounding blanks make a
 * value unknown).
 *
 * The ratio is read as the SDK reads it for `traceidratio`: a number from 0 to 1; when it is
 * missing, not a number or out of range, that is reported once and 1 is used.
 */
export function samplerFromEnv(): SamplerFromEnv {
  const name = getStringFromEnv('OTEL_TRACES_SAMPLER');
  switch (name) {
    case undefined:
    case 'parentbased_always_on':
      return everySession(new ParentBasedSampler({ root: new AlwaysOnSampler() }));
    case 'always_on':
      return everySession(new AlwaysOnSampler());
    case 'always_off':
      return everySession(new AlwaysOffSampler());
    case 'parentbased_always_off':
      return everySession(new ParentBasedSampler({ root: new AlwaysOffSampler() }));
    case 'traceidratio':
      return everySession(new TraceIdRatioBasedSampler(samplerRatioFromEnv()));
    case 'parentbased_traceidratio':
      return everySession(new ParentBasedSampler({ root: new TraceIdRatioBasedSampler(samplerRatioFromEnv()) }));
    case SESSION_SAMPLER_NAME: {
      const ratio = samplerRatioFromEnv();
      return { sampler: new ParentBasedSampler({ root: new SessionRatioSampler(ratio) }), sessionSampleRatio: ratio, decidesBySession: true };
    }
    default:
      diag.error(`unknown OTEL_TRACES_SAMPLER value ${JSON.stringify(name)}, using default`);
      return everySession(new ParentBasedSampler({ root: new AlwaysOnSampler() }));
  }
}

function everySession(sampler: Sampler): SamplerFromEnv {
  return { sampler, sessionSampleRatio: 1, decidesBySession: false };
}

const DEFAULT_RATIO = 1;

function samplerRatioFromEnv(): number {
  const text = getStringFromEnv('OTEL_TRACES_SAMPLER_ARG');
  if (text === undefined) {
    diag.error(`OTEL_TRACES_SAMPLER_ARG is blank, defaulting to ${DEFAULT_RATIO}.`);
    return DEFAULT_RATIO;
  }
  const ratio = Number(text);
  if (Number.isNaN(ratio) || ratio < 0 || ratio > 1) {
    diag.error(`OTEL_TRACES_SAMPLER_ARG=${JSON.stringify(text)} is not a ratio from 0 to 1, defaulting to ${DEFAULT_RATIO}.`);
    return DEFAULT_RATIO;
  }
  return ratio;
}
