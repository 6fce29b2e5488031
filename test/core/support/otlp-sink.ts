import { createServer, type IncomingHttpHeaders, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { waitFor } from './service-process.ts';

/** One span as an OTLP/JSON export request carries it, flattened for assertions. */
export interface SinkSpan {
  readonly traceId: string;
  readonly spanId: string;
  /** Empty for a root span. */
  readonly parentSpanId: string;
  readonly name: string;
  readonly kind: number;
  /** OTLP's status code: 0 unset, 1 ok, 2 error. */
  readonly statusCode: number;
  readonly scope: string;
  readonly service: string;
  readonly serviceVersion: string;
  readonly attributes: Readonly<Record<string, string | number | boolean | undefined>>;
  /** The spans it links to. */
  readonly links: readonly { readonly traceId: string; readonly spanId: string }[];
}

/** One log record as an OTLP/JSON export request carries it, flattened for assertions. */
export interface SinkLogRecord {
  /** Empty when the record belongs to no trace. */
  readonly traceId: string;
  readonly spanId: string;
  /** The record's trace flags (1: the trace it belongs to is sampled); 0 when absent. */
  readonly flags: number;
  readonly body: string | undefined;
  readonly severityText: string | undefined;
  readonly severityNumber: number | undefined;
  readonly service: string;
  readonly attributes: Readonly<Record<string, string | number | boolean | undefined>>;
}

/** A local OTLP/HTTP receiver of traces and logs for tests that run the service as a process. */
export interface OtlpSink {
  /** Base URL for OTEL_EXPORTER_OTLP_ENDPOINT. */
  readonly endpoint: string;
  /** Spans received as OTLP/JSON. */
  readonly spans: SinkSpan[];
  /** Log records received as OTLP/JSON. */
  readonly logRecords: SinkLogRecord[];
  /** Content types of every export request received. */
  readonly contentTypes: string[];
  /** Paths of every export request received (`/v1/traces`, `/v1/logs`). */
  readonly paths: string[];
  /** Headers of every export request received. */
  readonly headers: IncomingHttpHeaders[];
  /** Every OTLP/JSON export request received, parsed, with its path. */
  readonly jsonRequests: { readonly path: string; readonly body: unknown }[];
  close(): Promise<void>;
}

/** What a sink answers an export request; default 200 `{}` as JSON. */
export interface SinkAnswer {
  readonly status: number;
  readonly contentType: string;
  readonly body: string;
  readonly headers?: Readonly<Record<string, string>>;
}

interface OtlpValue {
  stringValue?: string;
  intValue?: string | number;
  boolValue?: boolean;
  doubleValue?: number;
}
interface OtlpAttribute {
  key: string;
  value: OtlpValue;
}
interface OtlpRequest {
  resourceSpans?: {
    resource?: { attributes?: OtlpAttribute[] };
    scopeSpans?: {
      scope?: { name?: string };
      spans?: {
        traceId: string;
        spanId: string;
        parentSpanId?: string;
        name: string;
        kind: number;
        status?: { code?: number };
        attributes?: OtlpAttribute[];
        links?: { traceId: string; spanId: string }[];
      }[];
    }[];
  }[];
  resourceLogs?: {
    resource?: { attributes?: OtlpAttribute[] };
    scopeLogs?: {
      logRecords?: {
        traceId?: string;
        spanId?: string;
        flags?: number;
        body?: OtlpValue;
        severityText?: string;
        severityNumber?: number;
        attributes?: OtlpAttribute[];
      }[];
    }[];
  }[];
}

function attributeMap(attributes: OtlpAttribute[] = []): Record<string, string | number | boolean | undefined> {
  return Object.fromEntries(
    attributes.map(({ key, value }) => [
      key,
      value.stringValue ?? (value.intValue === undefined ? undefined : Number(value.intValue)) ?? value.boolValue ?? value.doubleValue,
    ]),
  );
}

const OK_ANSWER: SinkAnswer = { status: 200, contentType: 'application/json', body: '{}' };

/**
 * Starts a receiver on 127.0.0.1. It answers every export with 200 `{}` (or what `answer`
 * says for its path) after `delayMs` (a slow collector when > 0) and decodes OTLP/JSON bodies
 * of traces and logs; protobuf bodies are only counted.
 */
export async function startOtlpSink(delayMs = 0, answer: (path: string) => SinkAnswer = () => OK_ANSWER): Promise<OtlpSink> {
  const spans: SinkSpan[] = [];
  const logRecords: SinkLogRecord[] = [];
  const contentTypes: string[] = [];
  const paths: string[] = [];
  const headers: IncomingHttpHeaders[] = [];
  const jsonRequests: { path: string; body: unknown }[] = [];
  const server: Server = createServer((req, res) => {
    const chunks: Buffer[] = [];
    req.on('data', (chunk: Buffer) => chunks.push(chunk));
    req.on('end', () => {
      const contentType = req.headers['content-type'] ?? '';
      contentTypes.push(contentType);
      paths.push(req.url ?? '');
      headers.push(req.headers);
      if (contentType.startsWith('application/json')) {
        jsonRequests.push({ path: req.url ?? '', body: JSON.parse(Buffer.concat(chunks).toString('utf8')) as unknown });
      }
      if (req.url === '/v1/logs' && contentType.startsWith('application/json')) {
        const body = JSON.parse(Buffer.concat(chunks).toString('utf8')) as OtlpRequest;
        for (const resourceLogs of body.resourceLogs ?? []) {
          const service = String(attributeMap(resourceLogs.resource?.attributes)['service.name']);
          for (const scopeLogs of resourceLogs.scopeLogs ?? []) {
            for (const record of scopeLogs.logRecords ?? []) {
              logRecords.push({
                traceId: record.traceId ?? '',
                spanId: record.spanId ?? '',
                flags: record.flags ?? 0,
                body: record.body?.stringValue,
                severityText: record.severityText,
                severityNumber: record.severityNumber,
                service,
                attributes: attributeMap(record.attributes),
              });
            }
          }
        }
      }
      if (req.url === '/v1/traces' && contentType.startsWith('application/json')) {
        const body = JSON.parse(Buffer.concat(chunks).toString('utf8')) as OtlpRequest;
        for (const resourceSpans of body.resourceSpans ?? []) {
          const resource = attributeMap(resourceSpans.resource?.attributes);
          const service = String(resource['service.name']);
          const serviceVersion = String(resource['service.version']);
          for (const scopeSpans of resourceSpans.scopeSpans ?? []) {
            for (const span of scopeSpans.spans ?? []) {
              spans.push({
                traceId: span.traceId,
                spanId: span.spanId,
                parentSpanId: span.parentSpanId ?? '',
                name: span.name,
                kind: span.kind,
                statusCode: span.status?.code ?? 0,
                scope: scopeSpans.scope?.name ?? '',
                service,
                serviceVersion,
                attributes: attributeMap(span.attributes),
                links: (span.links ?? []).map(({ traceId, spanId }) => ({ traceId, spanId })),
              });
            }
          }
        }
      }
      const { status, contentType: answerType, body, headers: answerHeaders } = answer(req.url ?? '');
      setTimeout(() => {
        res.writeHead(status, { ...answerHeaders, 'content-type': answerType });
        res.end(body);
      }, delayMs);
    });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  return {
    endpoint: `http://127.0.0.1:${port}`,
    spans,
    logRecords,
    contentTypes,
    paths,
    headers,
    jsonRequests,
    close: async () => {
      server.closeAllConnections();
      await new Promise((resolve) => server.close(resolve));
    },
  };
}

/** OTLP's SpanKind for a server span. */
export const SERVER_SPAN_KIND = 2;

/**
 * Waits until `sink` holds the server span of each of `traceIds` and returns the spans of those
 * traces received so far. The server span ends when its response closes, which can be after
 * the client has the answer, and the batch processor exports on its schedule. The request's
 * other spans ended before it or in the same turn (the route handler's span, on the same
 * 'close'), so they came in the same export or an earlier one, unless a full batch split that
 * turn: wait for a particular span of those explicitly. The timeout names the traces missing.
 */
export async function waitForServerSpans(
  sink: OtlpSink,
  traceIds: readonly string[],
  timeoutMs = 10_000,
): Promise<Map<string, SinkSpan[]>> {
  const missing = (): string[] => {
    const served = new Set(sink.spans.filter((span) => span.kind === SERVER_SPAN_KIND).map((span) => span.traceId));
    return traceIds.filter((traceId) => !served.has(traceId));
  };
  await waitFor(
    `the server spans of ${traceIds.length} traces at the OTLP sink`,
    () => missing().length === 0,
    timeoutMs,
    () => {
      const absent = missing();
      return `${absent.length} missing (${sink.spans.length} spans received): ${absent.slice(0, 10).join(', ')}${absent.length > 10 ? ', ...' : ''}`;
    },
  );
  const wanted = new Set(traceIds);
  const byTrace = new Map<string, SinkSpan[]>(traceIds.map((traceId) => [traceId, []]));
  for (const span of sink.spans) if (wanted.has(span.traceId)) byTrace.get(span.traceId)!.push(span);
  return byTrace;
}
