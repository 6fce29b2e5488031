import autocannon from 'autocannon';

/** One load run against one variant. */
export interface Sample {
  readonly requestsPerSecond: number;
  /** Every request answered during the load. */
  readonly requests: number;
  readonly p50: number;
  readonly p99: number;
  readonly errors: number;
}

/** How many sessions the load cycles through: enough that a sampled share is a share of them. */
const SESSIONS = 1000;
const SESSION_IDS = Array.from({ length: SESSIONS }, (_, i) => `bench-session-${String(i).padStart(6, '0')}`);

/**
 * Loads `GET <url>/api/session` for `seconds` with `connections` keep-alive clients, each
 * request in the next of SESSIONS sessions (the `x-session-id` header every variant reads),
 * and returns throughput, latency and failures.
 */
export async function load(url: string, seconds: number, connections: number): Promise<Sample> {
  let next = 0;
  const result = await autocannon({
    url: `${url}/api/session`,
    connections,
    duration: seconds,
    requests: [
      {
        setupRequest: (request) => {
          next = (next + 1) % SESSIONS;
          return { ...request, headers: { ...request.headers, 'x-session-id': SESSION_IDS[next]! } };
        },
      },
    ],
  });
  return {
    requestsPerSecond: result.requests.average,
    requests: result.requests.total,
    p50: result.latency.p50,
    p99: result.latency.p99,
    errors: result.errors + result.non2xx,
  };
}
