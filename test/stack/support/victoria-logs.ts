import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { freePort } from '../../core/support/ports.ts';
import { builtBinary, startProgram, waitUntilAnswering, type RunningProgram } from './observability-stack.ts';

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

/** A running VictoriaLogs: one HTTP port on loopback for ingestion, queries and its web UI. */
export interface VictoriaLogs extends RunningProgram {
  /** `http://127.0.0.1:<port>`: `/health`, `/select/logsql/query`, the UI at `/select/vmui/`. */
  readonly baseUrl: string;
  readonly port: number;
  readonly storageDataPath: string;
  /**
   * OTLP/HTTP logs endpoint. Protobuf only: VictoriaLogs v1.52.1 answers OTLP/JSON
   * (`content-type: application/json`) with 400 "json encoding isn't supported".
   */
  readonly otlpLogsUrl: string;
  /** Stops it (like `stop()`) and deletes its data directory. */
  discard(): Promise<void>;
}

/** Attempts at starting on a free port: the port is chosen ahead, and another process may take it first. */
const START_ATTEMPTS = 3;

/**
 * Starts VictoriaLogs on 127.0.0.1 and resolves once `/health` answers 2xx. Without `port`, a
 * free port is chosen, and chosen again when VictoriaLogs exits with "address already in use";
 * with `port`, that port or a failure. Its output (stdout and stderr, the last 20,000
 * characters) is kept for failure messages.
 */
export async function startVictoriaLogs(options: VictoriaLogsOptions = {}): Promise<VictoriaLogs> {
  const binary = options.binary ?? builtBinary('build-victorialogs.sh');
  const storageDataPath = options.storageDataPath ?? (await mkdtemp(join(tmpdir(), 'victoria-logs-')));
  for (let attempt = 1; ; attempt++) {
    const port = options.port ?? (await freePort());
    const baseUrl = `http://127.0.0.1:${port}`;
    const program = startProgram(binary, [`-storageDataPath=${storageDataPath}`, `-httpListenAddr=127.0.0.1:${port}`], {});
    try {
      await waitUntilAnswering([`${baseUrl}/health`], program, 'VictoriaLogs');
    } catch (error) {
      await program.stop();
      if (options.port === undefined && attempt < START_ATTEMPTS && /address already in use/i.test(program.output())) continue;
      if (options.storageDataPath === undefined) await rm(storageDataPath, { recursive: true, force: true });
      throw error;
    }
    return {
      child: program.child,
      output: () => program.output(),
      stop: () => program.stop(),
      discard: async () => {
        await program.stop();
        await rm(storageDataPath, { recursive: true, force: true });
      },
      baseUrl,
      port,
      storageDataPath,
      otlpLogsUrl: `${baseUrl}/insert/opentelemetry/v1/logs`,
    };
  }
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
