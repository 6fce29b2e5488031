import { ATTR_SERVICE_NAME } from '@opentelemetry/semantic-conventions';
import { ATTR_USER_ID } from '../context/index.ts';
import type { BrowserTelemetrySignal } from '../telemetry/index.ts';

/** The one field an OTLP/JSON export request of each signal holds. */
export const OTLP_BATCH_FIELD = { traces: 'resourceSpans', logs: 'resourceLogs' } as const;

/**
 * How deeply an accepted request may nest objects and arrays. A real export nests about 15
 * levels (request, resource batch, scope batch, span, event, attribute, value, array value);
 * a deeper one is refused rather than walked.
 */
export const MAX_OTLP_DEPTH = 64;

/** A JSON object as `JSON.parse` makes it. */
type JsonObject = Record<string, unknown>;

/**
 * What the relay forwards of a browser's OTLP/JSON export request, or `undefined` when
 * `request` (parsed JSON) is not one: an object with exactly the one array of its signal
 * (`resourceSpans` for traces, `resourceLogs` for logs) whose entries are objects, each with
 * an object `resource`, if any, holding an array `attributes`, if any; nested no deeper than
 * {@link MAX_OTLP_DEPTH}. Everything else is left for the collector to judge.
 *
 * Trust: a page is not a backend service and cannot speak for a user.
 * - Every resource's `service.name` becomes `serviceName` (one entry, whatever the request
 *   had): a page cannot pose as `api` or `orders`.
 * - Every `user.id` attribute is removed, wherever it stands (resource, scope, span, span
 *   event, span link, log record, or a key/value list nested in a value), by the shape of an
 *   attribute rather than by field names, so the protobuf spellings the collector also reads
 *   (`scope_spans`, `log_records`) hide none.
 * - `session.id` is kept: a correlation id the client chooses anyway.
 *
 * Pure: `request` is not modified; the result shares no objects or arrays with it.
 */
export function sanitizeOtlpRequest(
  signal: BrowserTelemetrySignal,
  request: unknown,
  serviceName: string,
): Readonly<JsonObject> | undefined {
  const field = OTLP_BATCH_FIELD[signal];
  if (!isJsonObject(request)) return undefined;
  const keys = Object.keys(request);
  const batches = request[field];
  if (keys.length !== 1 || keys[0] !== field || !Array.isArray(batches)) return undefined;
  let cleaned: unknown;
  try {
    cleaned = withoutUserIds(batches, 2);
  } catch (error) {
    if (error instanceof TooDeep) return undefined;
    throw error;
  }
  const sanitized: JsonObject[] = [];
  for (const batch of cleaned as unknown[]) {
    if (!isJsonObject(batch)) return undefined;
    const resource = batch['resource'] ?? {};
    if (!isJsonObject(resource)) return undefined;
    const attributes = resource['attributes'] ?? [];
    if (!Array.isArray(attributes)) return undefined;
    const ownAttributes = (attributes as unknown[]).filter((attribute) => !isAttributeNamed(attribute, ATTR_SERVICE_NAME));
    const named = [...ownAttributes, { key: ATTR_SERVICE_NAME, value: { stringValue: serviceName } }];
    sanitized.push({ ...batch, resource: { ...resource, attributes: named } });
  }
  return { [field]: sanitized };
}

/** Thrown inside {@link withoutUserIds} when the request nests deeper than allowed. */
class TooDeep extends Error {}

/** A deep copy of `value` without any attribute named `user.id`. */
function withoutUserIds(value: unknown, depth: number): unknown {
  if (typeof value !== 'object' || value === null) return value;
  if (depth > MAX_OTLP_DEPTH) throw new TooDeep();
  if (Array.isArray(value)) {
    const kept: unknown[] = [];
    for (const item of value) if (!isAttributeNamed(item, ATTR_USER_ID)) kept.push(withoutUserIds(item, depth + 1));
    return kept;
  }
  const copy: JsonObject = {};
  for (const [key, item] of Object.entries(value)) {
    // defineProperty: a `__proto__` key of the JSON stays data, as JSON.parse made it.
    Object.defineProperty(copy, key, { value: withoutUserIds(item, depth + 1), enumerable: true, writable: true, configurable: true });
  }
  return copy;
}

/** Whether `item` is an OTLP key/value (an attribute) with key `name`. */
function isAttributeNamed(item: unknown, name: string): boolean {
  return isJsonObject(item) && item['key'] === name;
}

function isJsonObject(value: unknown): value is JsonObject {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}
