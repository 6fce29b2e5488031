import { expect } from 'chai';
import type { LookupReport } from '../../../tools/session-traces/index.ts';
import { runTraceCommand, startTraceCommand } from '../../tools/support/cli-process.ts';
import { driveSession, startE2eStack, type DrivenSession, type E2eStack } from '../support/e2e-stack.ts';
import { waitFor } from '../../core/support/service-process.ts';
import { requirePrerequisites, skippedForPrerequisites } from '../support/require-prerequisites.ts';

describe('session-traces against the real Jaeger and collector', function () {
  // First: skipped (outside CI) or failed (CI) with the reason when the machine lacks these.
  before(function () {
    requirePrerequisites(this, 'test:e2e session-traces', ['stack-programs']);
  });

  this.timeout(30 * 60_000);

  let stack: E2eStack;
  let first: DrivenSession;
  let second: DrivenSession;
  let env: Record<string, string>;
  /** Epoch milliseconds before the first request of the sessions, and once Jaeger held them all. */
  let drivenFrom: number;
  let drivenUntil: number;

  before(async () => {
    stack = await startE2eStack();
    env = { JAEGER_URL: stack.jaeger.queryUrl };
    const run = Date.now().toString(36);
    drivenFrom = Date.now();
    first = await driveSession(stack.api, `cli-${run}-first`, `ada-${run}@example.com`);
    second = await driveSession(stack.api, `cli-${run}-second`);
    // Three batching hops: wait until Jaeger has every trace of both sessions.
    await waitFor('both sessions in Jaeger', async () => {
      const [a, b] = await Promise.all([first, second].map((session) => runTraceCommand([session.sessionId, '--json'], env)));
      const count = (result: typeof a): number => (result!.code === 0 ? (JSON.parse(result!.stdout) as LookupReport).traces.length : 0);
      return count(a) === first.traceIds.length && count(b) === second.traceIds.length;
    }, 60_000);
    drivenUntil = Date.now();
  });

  after(async function () {
    if (skippedForPrerequisites(this)) return;
    await stack.stop();
  });

  it("lists exactly the first session's traces, in time order, the downstream one with both services", async () => {
    const result = await runTraceCommand([first.sessionId], env);
    expect(result.code, result.stderr).to.equal(0);
    for (const traceId of first.traceIds) expect(result.stdout).to.include(`/trace/${traceId}`);
    for (const traceId of second.traceIds) expect(result.stdout).not.to.include(traceId);
    const downstreamRow = result.stdout.split('\n').find((line) => line.includes('GET /api/downstream'));
    expect(downstreamRow).to.include('api,orders');
    expect(result.stdout).to.include('All of them: ').and.include('/search?service=api');
    expect(result.stdout, 'plain text when piped').not.to.include('\u001b[');
  });

  it('prints parseable JSON with the documented fields with --json', async () => {
    const result = await runTraceCommand([first.sessionId, '--json'], env);
    expect(result.code).to.equal(0);
    const report = JSON.parse(result.stdout) as LookupReport;
    expect(report.tags).to.deep.equal({ 'session.id': first.sessionId });
    expect(report.traces.map((trace) => trace.traceId)).to.have.members(first.traceIds);
    const starts = report.traces.map((trace) => trace.startTime);
    expect(starts).to.deep.equal([...starts].sort());
    const downstream = report.traces.find((trace) => trace.traceId === first.downstreamTraceId)!;
    expect(downstream).to.deep.include({ entryService: 'api', operation: 'GET /api/downstream', httpStatus: 200, error: false });
    expect(downstream.services).to.deep.equal(['api', 'orders']);
    expect(downstream.userId).to.match(/^[0-9a-f]{64}$/);
  });

  it("finds the logged-in user's traces with --user, by the hash the collector stores", async () => {
    const result = await runTraceCommand(['--user', first.userId!, '--json'], env);
    expect(result.code, result.stderr).to.equal(0);
    const report = JSON.parse(result.stdout) as LookupReport;
    expect(report.traces.map((trace) => trace.traceId)).to.have.members(first.traceIds);
  });

  it('restricts the search with --service', async () => {
    const result = await runTraceCommand([first.sessionId, '--service', 'orders', '--json'], env);
    const report = JSON.parse(result.stdout) as LookupReport;
    expect(report.servicesSearched).to.deep.equal(['orders']);
    expect(report.traces.map((trace) => trace.traceId)).to.deep.equal([first.downstreamTraceId]);
  });

  it('exits 1 with a message for a session Jaeger has no trace of', async () => {
    const result = await runTraceCommand(['no-such-session-000'], env);
    expect(result.code).to.equal(1);
    expect(result.stderr).to.include('no traces of session no-such-session-000');
  });

  it('refuses a malformed session id with exit 2 before asking Jaeger', async () => {
    const result = await runTraceCommand(['bad=id'], { JAEGER_URL: 'http://127.0.0.1:9' });
    expect(result.code).to.equal(2);
    expect(result.stderr).to.include('Not a valid session id').and.not.include('did not answer');
  });

  // Before --follow, which adds a request to the first session.
  it('sums up a driven session from its spans: requests per service, no error, api and orders, its routes and time', async () => {
    const result = await runTraceCommand([first.sessionId, '--json'], env);
    expect(result.code, result.stderr).to.equal(0);
    const report = JSON.parse(result.stdout) as LookupReport;
    const summary = report.summary!;
    // A login, a read and a downstream call: three requests from outside, all served by api;
    // the downstream call is one more request, served by orders.
    expect(summary).to.deep.include({ traces: 3, edgeRequests: 3, edgeErrors: 0, requests: 4, errors: 0, services: ['api', 'orders'] });
    expect(summary.byService).to.deep.equal([
      { service: 'api', requests: 3, errors: 0 },
      { service: 'orders', requests: 1, errors: 0 },
    ]);
    expect(summary.routes.map((route) => `${route.service} ${route.operation} ${route.httpRoute ?? '-'} ${route.requests} ${route.errors}`)).to.deep.equal([
      'api GET /api/downstream /api/downstream 1 0',
      'api GET /api/session /api/session 1 0',
      'api POST /api/login /api/login 1 0',
      'orders GET /api/orders /api/orders 1 0',
    ]);
    for (const route of summary.routes) expect(route.p99Ms, `${route.operation} p99 = its one duration`).to.equal(route.p50Ms).and.be.above(0);
    const downstream = report.traces.find((trace) => trace.traceId === first.downstreamTraceId)!;
    const downstreamRoute = summary.routes.find((route) => route.operation === 'GET /api/downstream')!;
    expect(downstreamRoute.p50Ms, 'the entry span is the trace row').to.be.at.most(downstream.durationMs + 0.1);
    // The first span is the login's; the last ends within the time the test drove and waited.
    expect(summary.firstStart).to.equal(report.traces[0]!.startTime);
    expect(Date.parse(summary.firstStart)).to.be.at.least(drivenFrom);
    expect(Date.parse(summary.lastEnd)).to.be.at.least(Date.parse(summary.firstStart)).and.at.most(drivenUntil);

    const text = await runTraceCommand([first.sessionId], env);
    expect(text.stdout).to.include('Summary (3 traces)\n  requests  3 from outside; served: api 3, orders 1\n  errors    0\n  services  api, orders\n');
  });

  it('counts the one error of a session whose request failed (GET /api/fail, 500)', async () => {
    const sessionId = `cli-${Date.now().toString(36)}-fail`;
    const failed = await fetch(`${stack.api.url}/api/fail`, { headers: { 'x-session-id': sessionId } });
    expect(failed.status).to.equal(500);
    const traceId = failed.headers.get('x-trace-id')!;
    let report: LookupReport | undefined;
    await waitFor('the failed request in Jaeger', async () => {
      const result = await runTraceCommand([sessionId, '--json'], env);
      report = result.code === 0 ? (JSON.parse(result.stdout) as LookupReport) : undefined;
      return report?.traces.some((trace) => trace.traceId === traceId) === true;
    }, 60_000);
    expect(report!.summary).to.deep.include({ traces: 1, edgeRequests: 1, edgeErrors: 1, requests: 1, errors: 1, services: ['api'] });
    expect(report!.summary!.routes).to.have.length(1);
    expect(report!.summary!.routes[0]).to.deep.include({ service: 'api', operation: 'GET /api/fail', httpRoute: '/api/fail', requests: 1, errors: 1 });
  });

  it('prints new traces of the session as they arrive with --follow, until Ctrl-C', async () => {
    const following = startTraceCommand([first.sessionId, '--follow'], env);
    await waitFor('the initial table', () => following.stderr().includes('following'), 30_000);
    const fresh = await fetch(`${stack.api.url}/api/session`, { headers: { 'x-session-id': first.sessionId } });
    const traceId = fresh.headers.get('x-trace-id')!;
    await waitFor('the new trace in the follow output', () => following.stdout().includes(traceId), 60_000);
    following.child.kill('SIGINT');
    const result = await following.exited;
    expect(result.code).to.equal(0);
    expect(result.stdout.split(traceId)).to.have.length(2);
  });

  it('exits 2 with a clear message when Jaeger is not running', async () => {
    await stack.jaeger.stop();
    const result = await runTraceCommand([first.sessionId], env);
    expect(result.code).to.equal(2);
    expect(result.stderr).to.include(`Jaeger at ${new URL(stack.jaeger.queryUrl).origin} did not answer`).and.include('JAEGER_URL');
  });
});
