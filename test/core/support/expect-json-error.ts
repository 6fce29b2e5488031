import { expect } from 'chai';

/**
 * Asserts that `response` is the service's JSON error answer: `status`, a JSON body whose
 * `error` is `code`, no stack trace in it, and the request's `x-session-id` header. Reads the
 * body: pass `response.clone()` to read it again.
 */
export async function expectJsonError(response: Response, status: number, code: string): Promise<void> {
  expect(response.status).to.equal(status);
  expect(response.headers.get('content-type')).to.match(/^application\/json/);
  const body = (await response.json()) as Record<string, unknown>;
  expect(body['error']).to.equal(code);
  expect(JSON.stringify(body)).not.to.match(/ at |stack/i);
  expect(response.headers.get('x-session-id')).to.be.a('string');
}
