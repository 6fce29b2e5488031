import { builtBinary } from './observability-stack.ts';
import { startVictoriaProgram, type VictoriaProgram } from './victoria-program.ts';

export interface VictoriaLogsOptions {
  /** Its HTTP port on 127.0.0.1. Default: a free one, chosen again if another process takes it first. */
  readonly port?: number;
  /**
   * Its data directory. Default: a new temporary directory. Pass the `storageDataPath` of a
   * stopped store (and its `port`) to start the same store again on its data.
   */
  readonly storageDataPath?: string;
  /** The binary. Default: the one tools/stack/build-victorialogs.sh builds (the first run builds it: about two minutes). */
  readonly binary?: string;
}

/**
 * A running VictoriaLogs: one HTTP port on loopback for ingestion, queries and its web UI
 * (`baseUrl`: `/health`, `/select/logsql/query`, the UI at `/select/vmui/`).
 */
export interface VictoriaLogs extends VictoriaProgram {
  /**
   * OTLP/HTTP logs endpoint. Protobuf only: VictoriaLogs v1.52.1 answers OTLP/JSON
   * (`content-type: application/json`) with 400 "json encoding isn't supported".
   */
  readonly otlpLogsUrl: string;
}

/**
 * Starts VictoriaLogs on 127.0.0.1 and resolves once `/health` answers 2xx. Without `port`, a
 * free port is chosen, and chosen again when VictoriaLogs exits with "address already in use";
 * with `port`, that port or a failure. Its output (stdout and stderr, the last 20,000
 * characters) is kept for failure messages.
 */
export async function startVictoriaLogs(options: VictoriaLogsOptions = {}): Promise<VictoriaLogs> {
  const store = await startVictoriaProgram({ ...options, what: 'VictoriaLogs', binary: options.binary ?? builtBinary('build-victorialogs.sh') });
  return { ...store, otlpLogsUrl: `${store.baseUrl}/insert/opentelemetry/v1/logs` };
}

/** A log record as VictoriaLogs' query API returns it: every field a string (`_msg`, `_time`, `session.id`, …). */
export type StoredLogRecord = Readonly<Record<string, string>>;

/**
 * True when the record is an OpenTelemetry event (`session.start`, `session.end`): it has an
 * `event_name` and no body, and it was never a line on a service's stdout.
 */
export const isEventRecord = (record: StoredLogRecord): boolean => record['event_name'] !== undefined;

/**
 * `GET /select/logsql/query?query=…`: the records matching the LogsQL `query` (for example
 * `session.id:="…"`), from the JSON lines it answers. New records become searchable after a
 * short delay (about a second): wait for the records expected, not for a fixed time.
 */
export async function queryLogs(baseUrl: string, query: string): Promise<StoredLogRecord[]> {
  const url = new URL('/select/logsql/query', baseUrl);
  url.searchParams.set('query', query);
  const response = await fetch(url, { signal: AbortSignal.timeout(10_000) });
  const text = await response.text();
  if (!response.ok) throw new Error(`VictoriaLogs answered ${response.status} to ${url.href}: ${text}`);
  return text
    .split('\n')
    .filter((line) => line !== '')
    .map((line) => JSON.parse(line) as StoredLogRecord);
}

/**
 * `GET /select/logsql/<endpoint>?query=…` for the endpoints that answer `{"values":[{"value",
 * "hits"}]}`: the values, sorted.
 */
async function valuesWithHits(baseUrl: string, endpoint: string, query: string): Promise<string[]> {
  const url = new URL(`/select/logsql/${endpoint}`, baseUrl);
  url.searchParams.set('query', query);
  const response = await fetch(url, { signal: AbortSignal.timeout(10_000) });
  const text = await response.text();
  if (!response.ok) throw new Error(`VictoriaLogs answered ${response.status} to ${url.href}: ${text}`);
  return (JSON.parse(text) as { values: { value: string }[] }).values.map(({ value }) => value).sort();
}

/**
 * `GET /select/logsql/streams?query=…`: the streams of the records matching the LogsQL
 * `query`, each as VictoriaLogs writes it (`{service.name="api"}`; fields sorted by name), sorted.
 */
export function queryStreams(baseUrl: string, query: string): Promise<string[]> {
  return valuesWithHits(baseUrl, 'streams', query);
}

/** The fields of a stream id such as `{service.name="api",deployment.environment.name="prod"}`, in order. */
export function streamFields(stream: string): string[] {
  return [...stream.matchAll(/([^{},="]+)="(?:[^"\\]|\\.)*"/g)].map((match) => match[1]!);
}

/** `GET /select/logsql/stream_field_names?query=…`: the names of the fields that make the streams of the matching records, sorted. */
export function queryStreamFieldNames(baseUrl: string, query: string): Promise<string[]> {
  return valuesWithHits(baseUrl, 'stream_field_names', query);
}
