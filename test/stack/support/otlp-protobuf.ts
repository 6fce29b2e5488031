import protobuf from 'protobufjs';

/**
 * The OTLP export messages this repository's tests and benchmark write or read in protobuf
 * (opentelemetry-proto v1: `ExportTraceServiceRequest`, `ExportMetricsServiceRequest`), as a
 * protobufjs schema. Only the fields used here are declared: protobuf skips the others when
 * decoding, so an answer with more fields (histograms, exemplars, events) still decodes. The
 * field numbers are those of opentelemetry-proto's .proto files.
 */
const root = protobuf.Root.fromJSON({
  nested: {
    KeyValue: { fields: { key: { type: 'string', id: 1 }, value: { type: 'AnyValue', id: 2 } } },
    AnyValue: {
      oneofs: { value: { oneof: ['stringValue', 'boolValue', 'intValue', 'doubleValue'] } },
      fields: {
        stringValue: { type: 'string', id: 1 },
        boolValue: { type: 'bool', id: 2 },
        intValue: { type: 'int64', id: 3 },
        doubleValue: { type: 'double', id: 4 },
      },
    },
    Resource: { fields: { attributes: { rule: 'repeated', type: 'KeyValue', id: 1 } } },
    InstrumentationScope: { fields: { name: { type: 'string', id: 1 }, version: { type: 'string', id: 2 } } },
    ExportTraceServiceRequest: { fields: { resourceSpans: { rule: 'repeated', type: 'ResourceSpans', id: 1 } } },
    ResourceSpans: { fields: { resource: { type: 'Resource', id: 1 }, scopeSpans: { rule: 'repeated', type: 'ScopeSpans', id: 2 } } },
    ScopeSpans: { fields: { scope: { type: 'InstrumentationScope', id: 1 }, spans: { rule: 'repeated', type: 'Span', id: 2 } } },
    Span: {
      fields: {
        traceId: { type: 'bytes', id: 1 },
        spanId: { type: 'bytes', id: 2 },
        parentSpanId: { type: 'bytes', id: 4 },
        name: { type: 'string', id: 5 },
        kind: { type: 'int32', id: 6 },
        startTimeUnixNano: { type: 'fixed64', id: 7 },
        endTimeUnixNano: { type: 'fixed64', id: 8 },
        attributes: { rule: 'repeated', type: 'KeyValue', id: 9 },
        status: { type: 'Status', id: 15 },
      },
    },
    Status: { fields: { message: { type: 'string', id: 2 }, code: { type: 'int32', id: 3 } } },
    ExportMetricsServiceRequest: { fields: { resourceMetrics: { rule: 'repeated', type: 'ResourceMetrics', id: 1 } } },
    ResourceMetrics: { fields: { resource: { type: 'Resource', id: 1 }, scopeMetrics: { rule: 'repeated', type: 'ScopeMetrics', id: 2 } } },
    ScopeMetrics: { fields: { scope: { type: 'InstrumentationScope', id: 1 }, metrics: { rule: 'repeated', type: 'Metric', id: 2 } } },
    Metric: { fields: { name: { type: 'string', id: 1 }, gauge: { type: 'NumberPoints', id: 5 }, sum: { type: 'NumberPoints', id: 7 } } },
    // Gauge and Sum both hold their NumberDataPoints in field 1.
    NumberPoints: { fields: { dataPoints: { rule: 'repeated', type: 'NumberDataPoint', id: 1 } } },
    NumberDataPoint: {
      fields: {
        attributes: { rule: 'repeated', type: 'KeyValue', id: 7 },
        asDouble: { type: 'double', id: 4 },
        asInt: { type: 'sfixed64', id: 6 },
      },
    },
  },
});

/** `ExportTraceServiceRequest`: encode with `.encode(message).finish()`, check with `.verify`. */
export const ExportTraceServiceRequest = root.lookupType('ExportTraceServiceRequest');

/** `ExportMetricsServiceRequest`: decode with `.decode(bytes)`, then `.toObject(message, OTLP_TO_OBJECT)`. */
export const ExportMetricsServiceRequest = root.lookupType('ExportMetricsServiceRequest');

/** Conversion of decoded messages to plain objects: 64-bit integers as numbers, every array present. */
export const OTLP_TO_OBJECT: protobuf.IConversionOptions = { longs: Number, arrays: true, defaults: false };
