/**
 * The load of `npm run bench:gateway`: OTLP trace exports (`ExportTraceServiceRequest`,
 * protobuf) encoded ahead, as a service's exporter would send them through the agent: sessions
 * of 3 requests, each request a trace of 3 spans (the server span and two children) carrying
 * the attributes the core sets (session.id, user.id, the HTTP semantic conventions), a share
 * of the sessions with one failing request (status ERROR, 500).
 *
 * A batch is encoded once; {@link stampBatch} then gives each copy sent its own trace ids and
 * session ids by writing a sequence number into bytes found at encoding time, so that the
 * gateway never sees a trace or a session twice however long the load runs, and the share of
 * sessions the ratio rule keeps stays that of random ids (the ids keep random bytes besides).
 */
import { randomBytes } from 'node:crypto';
import { ExportTraceServiceRequest } from '../../../test/stack/support/otlp-protobuf.ts';

/** An attribute value: a string or an integer (AnyValue string_value or int_value). */
type AttributeValue = string | number;

/** OTLP KeyValues of `attributes`, in their order. */
const keyValues = (attributes: Readonly<Record<string, AttributeValue>>): object[] =>
  Object.entries(attributes).map(([key, value]) => ({ key, value: typeof value === 'string' ? { stringValue: value } : { intValue: value } }));

/** Span.SpanKind. */
const KIND = { internal: 1, server: 2, client: 3 } as const;
/** Status.StatusCode. */
const STATUS_ERROR = 2;

interface SpanSpec {
  readonly traceId: Buffer;
  readonly spanId: Buffer;
  readonly parentSpanId?: Buffer;
  readonly name: string;
  readonly kind: keyof typeof KIND;
  readonly startNanos: bigint;
  readonly endNanos: bigint;
  readonly attributes: Readonly<Record<string, AttributeValue>>;
  readonly error: boolean;
}

/** The OTLP Span message of `spec`. */
const span = (spec: SpanSpec): object => ({
  traceId: spec.traceId,
  spanId: spec.spanId,
  ...(spec.parentSpanId === undefined ? {} : { parentSpanId: spec.parentSpanId }),
  name: spec.name,
  kind: KIND[spec.kind],
  startTimeUnixNano: spec.startNanos.toString(),
  endTimeUnixNano: spec.endNanos.toString(),
  attributes: keyValues(spec.attributes),
  ...(spec.error ? { status: { message: 'Internal Server Error', code: STATUS_ERROR } } : {}),
});

/** The resource of the service the spans come from, as the core's SDK describes it. */
const RESOURCE_ATTRIBUTES: Readonly<Record<string, AttributeValue>> = {
  'service.name': 'bench-service',
  'service.version': '1.0.0',
  'deployment.environment.name': 'bench',
  'host.name': 'bench-host',
  'process.pid': 4242,
  'process.runtime.name': 'nodejs',
  'process.runtime.version': '24.0.0',
  'telemetry.sdk.language': 'nodejs',
  'telemetry.sdk.name': 'opentelemetry',
  'telemetry.sdk.version': '2.0.0',
};

/** What a batch is made of. */
export interface BatchShape {
  /** Sessions in one export; each is 3 requests of 3 spans. */
  readonly sessions: number;
  /** Share of sessions with one failing request (0 to 1). */
  readonly errorShare: number;
}

export const REQUESTS_PER_SESSION = 3;
export const SPANS_PER_REQUEST = 3;

/** One encoded export and where its ids are, for {@link stampBatch}. */
export interface EncodedBatch {
  /** The `ExportTraceServiceRequest`, ready to send. */
  readonly bytes: Buffer;
  readonly spans: number;
  readonly traces: number;
  readonly sessions: number;
  /** Sessions with a failing request. */
  readonly errorSessions: number;
  /** For each session, the offsets of the 16 bytes of each trace id of its spans. */
  readonly traceIdOffsets: readonly (readonly number[])[];
  /** For each session, the offsets of the 32 characters of each session.id value. */
  readonly sessionIdOffsets: readonly (readonly number[])[];
}

/** Length of a session id: 32 lowercase hex characters, the last 8 replaced by {@link stampBatch}. */
const SESSION_ID_LENGTH = 32;

/** The spans of one session, in order: for each request, its server span and two children. */
function sessionSpans(sessionId: string, userId: string, failingRequest: number | undefined, nowNanos: bigint): { spans: SpanSpec[]; traceIds: Buffer[] } {
  const spans: SpanSpec[] = [];
  const traceIds: Buffer[] = [];
  for (let request = 0; request < REQUESTS_PER_SESSION; request++) {
    const traceId = randomBytes(16);
    traceIds.push(traceId);
    const serverId = randomBytes(8);
    const start = nowNanos + BigInt(request) * 1_000_000_000n;
    const error = request === failingRequest;
    const common = { 'session.id': sessionId, 'user.id': userId };
    spans.push({
      traceId, spanId: serverId, name: 'GET /api/orders/:id', kind: 'server', startNanos: start, endNanos: start + 4_000_000n, error,
      attributes: {
        ...common,
        'http.request.method': 'GET', 'http.route': '/api/orders/:id', 'url.path': `/api/orders/${1000 + request}`, 'url.scheme': 'http',
        'http.response.status_code': error ? 500 : 200, 'server.address': 'bench-service', 'server.port': 3000,
        'network.protocol.version': '1.1', 'client.address': '10.0.0.12', 'user_agent.original': 'Mozilla/5.0 (X11; Linux x86_64) bench',
        'request.id': randomBytes(8).toString('hex'),
      },
    });
    spans.push({
      traceId, spanId: randomBytes(8), parentSpanId: serverId, name: 'request handler - /api/orders/:id', kind: 'internal',
      startNanos: start + 200_000n, endNanos: start + 3_800_000n, error: false,
      attributes: { ...common, 'express.type': 'request_handler', 'express.name': '/api/orders/:id', 'http.route': '/api/orders/:id' },
    });
    spans.push({
      traceId, spanId: randomBytes(8), parentSpanId: serverId, name: 'GET', kind: 'client',
      startNanos: start + 500_000n, endNanos: start + 3_000_000n, error,
      attributes: {
        ...common, 'http.request.method': 'GET', 'url.full': 'http://inventory:3000/api/stock/42', 'server.address': 'inventory',
        'server.port': 3000, 'http.response.status_code': error ? 500 : 200,
      },
    });
  }
  return { spans, traceIds };
}

/** Encodes one export of `shape.sessions` sessions with random ids. */
export function encodeBatch(shape: BatchShape, nowNanos = BigInt(Date.now()) * 1_000_000n): EncodedBatch {
  // Session i fails when the running count of failing sessions steps up at it: spread evenly.
  const fails = (index: number): boolean => Math.floor((index + 1) * shape.errorShare) > Math.floor(index * shape.errorShare);
  const errorSessions = Array.from({ length: shape.sessions }, (_, index) => index).filter(fails).length;
  const sessions = Array.from({ length: shape.sessions }, (_, index) => {
    const sessionId = randomBytes(SESSION_ID_LENGTH / 2).toString('hex');
    const userId = `user-${randomBytes(4).toString('hex')}`;
    // The failing request: one of the three, in turn.
    const failing = fails(index) ? index % REQUESTS_PER_SESSION : undefined;
    return { sessionId, ...sessionSpans(sessionId, userId, failing, nowNanos) };
  });
  const allSpans = sessions.flatMap((session) => session.spans);
  const request = ExportTraceServiceRequest.fromObject({
    resourceSpans: [
      {
        resource: { attributes: keyValues(RESOURCE_ATTRIBUTES) },
        scopeSpans: [{ scope: { name: '@opentelemetry/instrumentation-http', version: '0.300.0' }, spans: allSpans.map(span) }],
      },
    ],
  });
  const bytes = Buffer.from(ExportTraceServiceRequest.encode(request).finish());

  // Find each id in order: the spans are encoded in the order they were made, so each search
  // starts where the previous one ended and the whole batch is read once.
  let from = 0;
  const find = (needle: Buffer): number => {
    const at = bytes.indexOf(needle, from);
    if (at < 0) throw new Error('an id of the batch was not found in its encoding');
    from = at + needle.length;
    return at;
  };
  const traceIdOffsets: number[][] = [];
  const sessionIdOffsets: number[][] = [];
  for (const session of sessions) {
    const traceOffsets: number[] = [];
    const sessionOffsets: number[] = [];
    for (const spec of session.spans) {
      traceOffsets.push(find(spec.traceId));
      // session.id is the first attribute of every span.
      sessionOffsets.push(find(Buffer.from(session.sessionId, 'utf8')));
    }
    traceIdOffsets.push(traceOffsets);
    sessionIdOffsets.push(sessionOffsets);
  }
  return {
    bytes,
    spans: allSpans.length,
    traces: shape.sessions * REQUESTS_PER_SESSION,
    sessions: shape.sessions,
    errorSessions,
    traceIdOffsets,
    sessionIdOffsets,
  };
}

/**
 * A copy of `batch` whose sessions are numbered from `firstSession`: session i's number goes
 * into bytes 8 to 11 of each of its trace ids (big-endian) and, as 8 hex digits, into the last
 * 8 characters of its session.id. Numbers below 2^32 give ids never sent before.
 */
export function stampBatch(batch: EncodedBatch, firstSession: number): Buffer {
  const copy = Buffer.from(batch.bytes);
  for (let session = 0; session < batch.sessions; session++) {
    const number = (firstSession + session) >>> 0;
    const hex = number.toString(16).padStart(8, '0');
    for (const offset of batch.traceIdOffsets[session] ?? []) copy.writeUInt32BE(number, offset + 8);
    for (const offset of batch.sessionIdOffsets[session] ?? []) copy.write(hex, offset + SESSION_ID_LENGTH - 8, 'latin1');
  }
  return copy;
}
