/**
 * `GET /select/logsql/streams?query=…` on VictoriaLogs: the streams holding records that match
 * the LogsQL `query`, each as its stream id (`{service.name="api"}`), sorted.
 * @throws {Error} naming the query and the answer when the store answers anything but 200.
 */
export async function logStreams(baseUrl: string, query: string): Promise<string[]> {
  const url = new URL('/select/logsql/streams', baseUrl);
  url.searchParams.set('query', query);
  const response = await fetch(url, { signal: AbortSignal.timeout(10_000) });
  const text = await response.text();
  if (!response.ok) throw new Error(`VictoriaLogs answered ${response.status} to ${url.href}: ${text.slice(0, 2000)}`);
  return ((JSON.parse(text) as { values?: { value: string }[] }).values ?? []).map((stream) => stream.value).sort();
}

/** The fields of a stream id such as `{service.name="api",deployment.environment.name="prod"}`, in order. */
export function streamFields(stream: string): string[] {
  return [...stream.matchAll(/([^{},="]+)="(?:[^"\\]|\\.)*"/g)].map((match) => match[1]!);
}
