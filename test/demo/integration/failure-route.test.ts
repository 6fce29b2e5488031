import { SpanStatusCode } from '@opentelemetry/api';
import { expect } from 'chai';
import { demoRoutes } from '../../../src/demo/index.ts';
import { expectJsonError } from '../../core/support/expect-json-error.ts';
import { spanExporter } from '../../core/support/integration-preload.ts';
import { spansOfTrace } from '../../core/support/spans.ts';
import { request, startTestApp, type TestApp } from '../../core/support/test-app.ts';

describe('the demo failure route (GET /api/fail)', () => {
  let app: TestApp | undefined;

  afterEach(async () => {
    await app?.close();
    app = undefined;
  });

  it('answers 500 internal_error and records its server span as an error of the route', async () => {
    app = await startTestApp({ routes: [demoRoutes] });
    const response = await request(`${app.url}/api/fail`, { headers: { 'x-session-id': 'session-demo-fail' } });
    await expectJsonError(response, 500, 'internal_error');
    const spans = await spansOfTrace(spanExporter, response.headers.get('x-trace-id') ?? 'missing x-trace-id');
    const server = spans.find((span) => span.name === 'GET /api/fail');
    expect(server, `a server span named after the route among ${spans.map((span) => span.name).join(', ')}`).not.to.equal(undefined);
    expect(server!.status.code).to.equal(SpanStatusCode.ERROR);
    expect(server!.attributes).to.deep.include({ 'http.route': '/api/fail', 'http.response.status_code': 500, 'error.type': '500' });
  });
});
