import type { MetricSample } from './collector-metrics.ts';

/**
 * The sums and gauges of an OTLP `ExportMetricsServiceRequest` in protobuf (what the
 * collector's own telemetry pushes with a `periodic` reader and an `otlp` exporter: v0.161.0
 * refuses `http/json`), as samples named like its Prometheus endpoint names them (dots in
 * names become underscores; counters get no `_total`: {@link sumOf} matches both). Histograms
 * and exemplars are skipped. A minimal reader of the protobuf wire format, enough for
 * opentelemetry-proto's metrics messages; the test dependencies have no protobuf decoder of
 * their own.
 */
export function decodeOtlpMetrics(body: Uint8Array): MetricSample[] {
  const samples: MetricSample[] = [];
  for (const resourceMetrics of fields(body, 1)) {
    for (const scopeMetrics of fields(resourceMetrics, 2)) {
      for (const metric of fields(scopeMetrics, 2)) {
        const name = new TextDecoder().decode(fields(metric, 1)[0] ?? new Uint8Array()).replaceAll('.', '_');
        // Gauge (5) and Sum (7) both hold NumberDataPoints in field 1.
        for (const data of [...fields(metric, 5), ...fields(metric, 7)]) {
          for (const point of fields(data, 1)) samples.push({ name, labels: attributesOf(point), value: numberOf(point) });
        }
      }
    }
  }
  return samples;
}

/** A field's raw value: the bytes of a length-delimited field, a varint as a bigint, or the 8 bytes of a fixed64. */
type WireValue = { readonly kind: 'bytes'; readonly bytes: Uint8Array } | { readonly kind: 'varint'; readonly value: bigint } | { readonly kind: 'fixed64'; readonly bytes: Uint8Array };

function readVarint(buffer: Uint8Array, start: number): [bigint, number] {
  let value = 0n;
  let shift = 0n;
  let at = start;
  for (;;) {
    const byte = buffer[at++];
    if (byte === undefined) throw new Error(`truncated varint at byte ${start}`);
    value |= BigInt(byte & 0x7f) << shift;
    if ((byte & 0x80) === 0) return [value, at];
    shift += 7n;
  }
}

/** Every field of a message, in order, with its number. */
function allFields(message: Uint8Array): [number, WireValue][] {
  const found: [number, WireValue][] = [];
  let at = 0;
  while (at < message.length) {
    const [key, afterKey] = readVarint(message, at);
    const field = Number(key >> 3n);
    const wireType = Number(key & 7n);
    if (wireType === 0) {
      const [value, next] = readVarint(message, afterKey);
      found.push([field, { kind: 'varint', value }]);
      at = next;
    } else if (wireType === 1) {
      found.push([field, { kind: 'fixed64', bytes: message.subarray(afterKey, afterKey + 8) }]);
      at = afterKey + 8;
    } else if (wireType === 2) {
      const [length, start] = readVarint(message, afterKey);
      found.push([field, { kind: 'bytes', bytes: message.subarray(start, start + Number(length)) }]);
      at = start + Number(length);
    } else if (wireType === 5) {
      at = afterKey + 4;
    } else {
      throw new Error(`unsupported protobuf wire type ${wireType} at byte ${at}`);
    }
  }
  return found;
}

/** The length-delimited values of field `number`. */
function fields(message: Uint8Array, number: number): Uint8Array[] {
  return allFields(message).flatMap(([field, value]) => (field === number && value.kind === 'bytes' ? [value.bytes] : []));
}

/** A NumberDataPoint's value: as_double (4) or as_int (6). */
function numberOf(point: Uint8Array): number {
  for (const [field, value] of allFields(point)) {
    if (value.kind !== 'fixed64') continue;
    const view = new DataView(value.bytes.buffer, value.bytes.byteOffset, 8);
    if (field === 4) return view.getFloat64(0, true);
    if (field === 6) return Number(view.getBigInt64(0, true));
  }
  return 0;
}

/** A data point's attributes (7) as strings: KeyValue {key 1, value 2: AnyValue {string 1, bool 2, int 3, double 4}}. */
function attributesOf(point: Uint8Array): Record<string, string> {
  const labels: Record<string, string> = {};
  for (const keyValue of fields(point, 7)) {
    const key = new TextDecoder().decode(fields(keyValue, 1)[0] ?? new Uint8Array());
    const anyValue = fields(keyValue, 2)[0] ?? new Uint8Array();
    for (const [field, value] of allFields(anyValue)) {
      if (field === 1 && value.kind === 'bytes') labels[key] = new TextDecoder().decode(value.bytes);
      else if ((field === 2 || field === 3) && value.kind === 'varint') labels[key] = field === 2 ? String(value.value === 1n) : String(BigInt.asIntN(64, value.value));
      else if (field === 4 && value.kind === 'fixed64') labels[key] = String(new DataView(value.bytes.buffer, value.bytes.byteOffset, 8).getFloat64(0, true));
    }
  }
  return labels;
}
