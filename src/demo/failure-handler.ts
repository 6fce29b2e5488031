import type { RequestHandler } from 'express';

/**
 * `GET /api/fail`: fails on purpose, so that a failed request can be seen everywhere it shows:
 * the answer (500 `internal_error`, from the core's error handler), the server span (status
 * error, `error.type` 500), the error handler's log line with the stack, and the error rate of
 * the route in Jaeger's Monitor tab.
 */
export function failureHandler(): RequestHandler {
  return function failOnPurpose() {
    throw new Error('GET /api/fail failed on purpose (the demo route that shows a failed request)');
  };
}
