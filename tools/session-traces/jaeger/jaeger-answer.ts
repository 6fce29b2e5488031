import { AnswerShapeError, describeValue } from '../http/index.ts';

/** A span as Jaeger's query API (`GET /api/traces`) returns it: the fields this tool reads. */
export interface JaegerSpan {
  readonly traceID: string;
  readonly spanID: string;
  readonly operationName: string;
  readonly references?: readonly { readonly refType: string; readonly spanID: string }[];
  /** Microseconds since the epoch. */
  readonly startTime: number;
  /** Microseconds. */
  readonly duration: number;
  readonly tags: readonly { readonly key: string; readonly value: unknown }[];
  readonly processID: string;
}

/** A trace as Jaeger's query API returns it: the fields this tool reads. */
export interface JaegerTrace {
  readonly traceID: string;
  readonly spans: readonly JaegerSpan[];
  readonly processes: Readonly<Record<string, { readonly serviceName: string }>>;
}

type Json = Record<string, unknown>;

function isObject(value: unknown): value is Json {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

function object(value: unknown, path: string): Json {
  if (!isObject(value)) throw new AnswerShapeError(path, 'an object', describeValue(value));
  return value;
}

function array(value: unknown, path: string): readonly unknown[] {
  if (!Array.isArray(value)) throw new AnswerShapeError(path, 'an array', describeValue(value));
  return value;
}

function string(value: unknown, path: string): string {
  if (typeof value !== 'string') throw new AnswerShapeError(path, 'a string', describeValue(value));
  return value;
}

/** The largest time a `Date` holds (8.64e15 ms), in microseconds. */
const MAX_MICROSECONDS = 8.64e18;

/** A time or duration in microseconds: a number a `Date` can hold, so printing it cannot throw. */
function microseconds(value: unknown, path: string): number {
  if (typeof value !== 'number' || !(value >= 0 && value <= MAX_MICROSECONDS)) {
    throw new AnswerShapeError(path, 'microseconds from 0 to 8.64e18', describeValue(value));
  }
  return value;
}

/** An optional list: absent or `null` (Go's empty slice) reads as empty. */
function optionalArray(value: unknown, path: string): readonly unknown[] {
  return value === undefined || value === null ? [] : array(value, path);
}

/** `{"data": [...]}`, Jaeger's envelope; `"data": null` is Jaeger's empty answer. */
function data(body: unknown): readonly unknown[] {
  const envelope = object(body, 'the answer');
  return envelope['data'] === null ? [] : array(envelope['data'], 'data');
}

/**
 * Reads the answer of `GET /api/services`: `{"data": ["api", …]}` (or `"data": null`).
 * @throws {AnswerShapeError} naming the first value of another shape.
 */
export function parseServicesAnswer(body: unknown): string[] {
  const items = data(body);
  const services: string[] = [];
  for (let index = 0; index < items.length; index++) services.push(string(items[index], `data[${index}]`));
  return services;
}

function parseSpan(value: unknown, at: string): JaegerSpan {
  const span = object(value, at);
  const references: { refType: string; spanID: string }[] = [];
  const rawReferences = optionalArray(span['references'], `${at}.references`);
  for (let index = 0; index < rawReferences.length; index++) {
    const reference = object(rawReferences[index], `${at}.references[${index}]`);
    references.push({
      refType: string(reference['refType'], `${at}.references[${index}].refType`),
      spanID: string(reference['spanID'], `${at}.references[${index}].spanID`),
    });
  }
  const tags: { key: string; value: unknown }[] = [];
  const rawTags = optionalArray(span['tags'], `${at}.tags`);
  for (let index = 0; index < rawTags.length; index++) {
    const tag = object(rawTags[index], `${at}.tags[${index}]`);
    tags.push({ key: string(tag['key'], `${at}.tags[${index}].key`), value: tag['value'] });
  }
  return {
    traceID: string(span['traceID'], `${at}.traceID`),
    spanID: string(span['spanID'], `${at}.spanID`),
    operationName: string(span['operationName'], `${at}.operationName`),
    references,
    startTime: microseconds(span['startTime'], `${at}.startTime`),
    duration: microseconds(span['duration'], `${at}.duration`),
    tags,
    processID: string(span['processID'], `${at}.processID`),
  };
}

function parseTrace(value: unknown, at: string): JaegerTrace {
  const trace = object(value, at);
  const rawSpans = array(trace['spans'], `${at}.spans`);
  // A loop, not recursion or spread: a trace can hold hundreds of thousands of spans.
  const spans: JaegerSpan[] = [];
  for (let index = 0; index < rawSpans.length; index++) spans.push(parseSpan(rawSpans[index], `${at}.spans[${index}]`));
  const processes: [string, { serviceName: string }][] = [];
  for (const [id, process] of Object.entries(object(trace['processes'], `${at}.processes`))) {
    const path = `${at}.processes[${JSON.stringify(id)}]`;
    processes.push([id, { serviceName: string(object(process, path)['serviceName'], `${path}.serviceName`) }]);
  }
  // fromEntries defines own properties: a process id such as "__proto__" stays a plain key.
  return { traceID: string(trace['traceID'], `${at}.traceID`), spans, processes: Object.fromEntries(processes) };
}

/**
 * Reads the answer of `GET /api/traces`: `{"data": [trace, …]}` (or `"data": null`), keeping
 * only the fields of {@link JaegerTrace}. `references` and `tags` may be absent or null.
 * @throws {AnswerShapeError} naming the first value of another shape, e.g. a trace without `spans`.
 */
export function parseTracesAnswer(body: unknown): JaegerTrace[] {
  const items = data(body);
  const traces: JaegerTrace[] = [];
  for (let index = 0; index < items.length; index++) traces.push(parseTrace(items[index], `data[${index}]`));
  return traces;
}
