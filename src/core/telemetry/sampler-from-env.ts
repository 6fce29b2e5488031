import { diag } from '@opentelemetry/api';
import { getStringFromEnv } from '@opentelemetry/core';
import { ParentBasedSampler, type Sampler } from '@opentelemetry/sdk-trace';
import { SessionRatioSampler } from './session-ratio-sampler.ts';

/** The `OTEL_TRACES_SAMPLER` value that selects session sampling. */
export const SESSION_SAMPLER_NAME = 'parentbased_session_ratio';

/**
 * The sampler `OTEL_TRACES_SAMPLER` asks for when it is this project's
 * `parentbased_session_ratio`: a `ParentBasedSampler` whose root is a
 * {@link SessionRatioSampler} at `OTEL_TRACES_SAMPLER_ARG`. For any other value, `undefined`:
 * the SDK then builds the standard samplers (`always_on`, `parentbased_traceidratio`, …)
 * itself, exactly as it defines them.
 *
 * The ratio is read as the SDK reads it for `traceidratio`: a number from 0 to 1; when it is
 * missing, not a number or out of range, that is reported and 1 is used (every session).
 */
export function samplerFromEnv(): Sampler | undefined {
  if (getStringFromEnv('OTEL_TRACES_SAMPLER') !== SESSION_SAMPLER_NAME) return undefined;
  return new ParentBasedSampler({ root: new SessionRatioSampler(samplerRatioFromEnv()) });
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
