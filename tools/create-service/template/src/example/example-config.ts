import { readConfigFrom, type Env } from '../core/index.ts';

/** The example's own variables, read next to the core's (the same way yours are). */
export interface ExampleConfig {
  /**
   * EXAMPLE_JOB_URL: an http(s) URL each example job fetches (GET) when it runs; unset, the
   * job makes no call. A URL with credentials is refused: `fetch` rejects it. Outgoing
   * baggage reaches only the hosts of BAGGAGE_ALLOWED_HOSTS (default loopback).
   */
  readonly jobUrl: URL | undefined;
}

/**
 * Reads and validates the example's configuration.
 * @throws {ConfigError} listing every problem; `startService` then reports them and exits 1.
 */
export function readExampleConfig(env: Env): ExampleConfig {
  return readConfigFrom(env, (read) => ({
    jobUrl: read.httpUrl('EXAMPLE_JOB_URL'),
  }));
}
