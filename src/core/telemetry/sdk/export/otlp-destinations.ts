import { getStringFromEnv } from '@opentelemetry/core';
import { exporterNamesFromEnv, otlpHttpEndpointFromEnv, otlpProtocolFromEnv, type ExportedSignal, type OtlpProtocol } from './exporters-from-env.ts';

/** Where one signal's OTLP exporter sends, as the OTEL_* variables say. */
export interface OtlpDestination {
  readonly signal: 'traces' | 'logs';
  readonly protocol: OtlpProtocol;
  /** The endpoint as the exporter reads it: an OTLP/HTTP URL, or a gRPC target (`http://localhost:4317` by default). */
  readonly endpoint: string;
}

/**
 * The OTLP destinations of the exporters the variables choose (OTEL_TRACES_EXPORTER and
 * OTEL_LOGS_EXPORTER naming `otlp`, the default): for `http/protobuf` and `http/json` the
 * URL {@link otlpHttpEndpointFromEnv} resolves; for `grpc` OTEL_EXPORTER_OTLP_<signal>_ENDPOINT,
 * else OTEL_EXPORTER_OTLP_ENDPOINT, else `http://localhost:4317`. Read, not checked.
 */
export function otlpDestinationsFromEnv(): OtlpDestination[] {
  const destinations: OtlpDestination[] = [];
  for (const signal of ['TRACES', 'LOGS'] as const satisfies readonly ExportedSignal[]) {
    if (!exporterNamesFromEnv(signal).includes('otlp')) continue;
    const protocol = otlpProtocolFromEnv(signal);
    const endpoint =
      protocol === 'grpc'
        ? (getStringFromEnv(`OTEL_EXPORTER_OTLP_${signal}_ENDPOINT`) ?? getStringFromEnv('OTEL_EXPORTER_OTLP_ENDPOINT') ?? 'http://localhost:4317').trim()
        : otlpHttpEndpointFromEnv(signal).url;
    destinations.push({ signal: signal === 'TRACES' ? 'traces' : 'logs', protocol, endpoint });
  }
  return destinations;
}
