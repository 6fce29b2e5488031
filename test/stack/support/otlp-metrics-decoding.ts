import type { MetricSample } from './collector-metrics.ts';
import { ExportMetricsServiceRequest, OTLP_TO_OBJECT } from './otlp-protobuf.ts';

/** An OTLP attribute value as decoded (one of AnyValue's scalar fields). */
interface DecodedValue {
  readonly stringValue?: string;
  readonly boolValue?: boolean;
  readonly intValue?: number;
  readonly doubleValue?: number;
}

/** A metrics export request as protobufjs decodes it with OTLP_TO_OBJECT (the fields otlp-protobuf.ts declares). */
interface DecodedMetricsRequest {
  readonly resourceMetrics: {
    readonly scopeMetrics: {
      readonly metrics: {
        readonly name?: string;
        readonly gauge?: { readonly dataPoints: DecodedPoint[] };
        readonly sum?: { readonly dataPoints: DecodedPoint[] };
      }[];
    }[];
  }[];
}

interface DecodedPoint {
  readonly attributes: { readonly key?: string; readonly value?: DecodedValue }[];
  readonly asDouble?: number;
  readonly asInt?: number;
}

/** An attribute value as the Prometheus endpoint would print it. */
const textOf = (value: DecodedValue | undefined): string => String(value?.stringValue ?? value?.boolValue ?? value?.intValue ?? value?.doubleValue ?? '');

/**
 * The sums and gauges of an OTLP `ExportMetricsServiceRequest` in protobuf (what the
 * collector's own telemetry pushes with a `periodic` reader and an `otlp` exporter: v0.161.0
 * refuses `http/json`), as samples named like its Prometheus endpoint names them (dots in
 * names become underscores; counters get no `_total`: {@link sumOf} matches both). Histograms
 * are skipped. Decoded by protobufjs with the schema of otlp-protobuf.ts.
 */
export function decodeOtlpMetrics(body: Uint8Array): MetricSample[] {
  const request = ExportMetricsServiceRequest.toObject(ExportMetricsServiceRequest.decode(body), OTLP_TO_OBJECT) as DecodedMetricsRequest;
  return request.resourceMetrics.flatMap((resource) =>
    resource.scopeMetrics.flatMap((scope) =>
      scope.metrics.flatMap((metric) =>
        [...(metric.gauge?.dataPoints ?? []), ...(metric.sum?.dataPoints ?? [])].map((point) => ({
          name: (metric.name ?? '').replaceAll('.', '_'),
          labels: Object.fromEntries(point.attributes.map((attribute) => [attribute.key ?? '', textOf(attribute.value)])),
          value: point.asDouble ?? point.asInt ?? 0,
        })),
      ),
    ),
  );
}
