import autocannon from 'autocannon';

/** One load run against one variant. */
export interface Sample {
  readonly requestsPerSecond: number;
  readonly p50: number;
  readonly p99: number;
  readonly errors: number;
}

/**
 * Loads `GET <url>/api/session` for `seconds` with `connections` keep-alive clients, all in
 * one session (the header every variant reads), and returns throughput, latency and failures.
 */
export async function load(url: string, seconds: number, connections: number): Promise<Sample> {
  const result = await autocannon({
    url: `${url}/api/session`,
    connections,
    duration: seconds,
    headers: { 'x-session-id': 'bench-session-000001' },
  });
  return {
    requestsPerSecond: result.requests.average,
    p50: result.latency.p50,
    p99: result.latency.p99,
    errors: result.errors + result.non2xx,
  };
}
