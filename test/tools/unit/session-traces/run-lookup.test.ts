import { expect } from 'chai';
import type { ServerResponse } from 'node:http';
import type { LookupReport } from '../../../../tools/session-traces/report/lookup-report.ts';
import type { JaegerTrace } from '../../../../tools/session-traces/jaeger/jaeger-answer.ts';
import { EXIT, runLookup } from '../../../../tools/session-traces/run-lookup.ts';
import type { TraceSummary } from '../../../../tools/session-traces/jaeger/trace-summary.ts';
import { waitFor } from '../../../core/support/service-process.ts';
import { capturedIo, CONTROL_CHARACTER, hasOwnColours, withoutOwnColours } from '../../support/session-traces/captured-io.ts';
import { answerJson, jaegerApi, startFakeJaeger, type FakeHandler, type FakeJaeger } from '../../support/session-traces/fake-jaeger.ts';
import { downstreamTrace, failedTrace } from '../../support/session-traces/fixtures.ts';

const SESSION = 'session-0001';
const MiB = 1024 * 1024;

/** Answers `/api/services` properly and `/api/traces` with `answer`. */
const badTraces =
  (answer: (response: ServerResponse) => void): FakeHandler =>
  (_request, response, url) => {
    if (url.pathname === '/api/services') answerJson(response, { data: ['api'] });
    else answer(response);
  };

const malformed: { what: string; handler: FakeHandler; message: RegExp }[] = [
  {
    what: '{"data":5} to /api/services',
    handler: (_request, response) => {
      answerJson(response, { data: 5 });
    },
    message: /answered \/api\/services with an unexpected shape: data should be an array, got 5$/,
  },
  {
    what: 'a body of null',
    handler: (_request, response) => {
      answerJson(response, null);
    },
    message: /answered \/api\/services with an unexpected shape: the answer should be an object, got null$/,
  },
  {
    what: 'a trace without spans',
    handler: jaegerApi(['api'], () => [{ traceID: 'a1', processes: {} }]),
    message: /answered \/api\/traces with an unexpected shape: data\[0\]\.spans should be an array, got nothing$/,
  },
  {
    what: 'a span whose startTime is a string',
    handler: jaegerApi(['api'], () => {
      const trace = downstreamTrace();
      return [{ ...trace, spans: [trace.spans[0], { ...trace.spans[1], startTime: 'yesterday' }] }];
    }),
    message: /data\[0\]\.spans\[1\]\.startTime should be microseconds from 0 to 8\.64e18, got "yesterday"$/,
  },
  {
    what: 'an HTML page',
    handler: (_request, response) => {
      response.writeHead(200, { 'content-type': 'text/html; charset=utf-8' }).end('<!DOCTYPE html>\n<html><body>Jaeger UI</body></html>');
    },
    message: /answered \/api\/services with text\/html; charset=utf-8, not JSON \("<!DOCTYPE html> <html><body>Jaeger UI<\/b"…\); is JAEGER_URL its query address\?$/,
  },
  {
    what: 'truncated JSON',
    handler: badTraces((response) => {
      response.writeHead(200, { 'content-type': 'application/json' }).end('{"data":[{"traceID":"a1","spans":[');
    }),
    message: /answered \/api\/traces with malformed JSON \(.+\)$/,
  },
  {
    what: 'an answer cut off part-way',
    handler: badTraces((response) => {
      response.writeHead(200, { 'content-type': 'application/json', 'content-length': '1000' });
      response.write('{"data":[', () => response.destroy());
    }),
    message: /stopped answering \/api\/traces part-way \(\w+\)$/,
  },
  {
    what: 'an answer declaring more than 64 MiB',
    handler: badTraces((response) => {
      // Declares the size and sends the start only: the client must refuse from the header.
      response.writeHead(200, { 'content-type': 'application/json', 'content-length': String(64 * MiB + 1) });
      response.write('{"data":[');
    }),
    message: /answered \/api\/traces with more than the 64 MiB limit; narrow the search with --since, --limit or --service$/,
  },
];

/** Keys of a trace object, in the documented order (docs/session-lookup.md). */
const TRACE_KEYS = ['traceId', 'startTime', 'durationMs', 'entryService', 'operation', 'httpStatus', 'spanCount', 'services', 'error', 'userId', 'url'];

describe('runLookup', () => {
  let jaeger: FakeJaeger | undefined;

  afterEach(async () => {
    await jaeger?.close();
    jaeger = undefined;
  });

  for (const { what, handler, message } of malformed) {
    it(`exits 2 with one line saying what was wrong when Jaeger answers ${what}`, async () => {
      jaeger = await startFakeJaeger(handler);
      const run = capturedIo({ JAEGER_URL: jaeger.url });
      const code = await runLookup([SESSION], run.io);
      expect(code, run.stderr()).to.equal(EXIT.FAILED);
      expect(run.stdout()).to.equal('');
      const lines = run.stderr().split('\n');
      expect(lines, 'one line, then the final newline').to.have.length(2);
      expect(lines[0]).to.include(`session-traces: Jaeger at ${jaeger.url} `).and.match(message);
    });
  }

  it('reports a malformed answer on one line and keeps following when it comes during --follow', async () => {
    let polls = 0;
    jaeger = await startFakeJaeger((_request, response, url) => {
      if (url.pathname === '/api/services') {
        answerJson(response, { data: ['api'] });
        return;
      }
      polls += 1;
      const data = polls === 1 ? [downstreamTrace()] : polls === 2 ? [{ traceID: 'bad' }] : [downstreamTrace(), failedTrace()];
      answerJson(response, { data });
    });
    const run = capturedIo({ JAEGER_URL: jaeger.url }, { followIntervalMs: 10 });
    const done = runLookup([SESSION, '--follow'], run.io);
    await waitFor('the trace that follows the malformed answer', () => run.stdout().includes('/trace/trace-b'), 10_000);
    run.interrupt();
    expect(await done).to.equal(EXIT.FOUND);
    const complaints = run.stderr().split('\n').filter((line) => line.includes('unexpected shape'));
    expect(complaints).to.deep.equal([
      `session-traces: Jaeger at ${jaeger.url} answered /api/traces with an unexpected shape: data[0].spans should be an array, got nothing (still following)`,
    ]);
  });

  it('asks for every API path under the path of JAEGER_URL and links under it when Jaeger is served under /jaeger', async () => {
    jaeger = await startFakeJaeger(jaegerApi(['api', 'orders'], () => [downstreamTrace('abc123')], '/jaeger'));
    const run = capturedIo({ JAEGER_URL: `${jaeger.url}/jaeger` });
    const code = await runLookup([SESSION, '--json'], run.io);
    expect(code, run.stderr()).to.equal(EXIT.FOUND);
    // The session's traces and the sessions that replaced it: the services and a search per service, twice.
    expect(jaeger.requests.map((request) => request.pathname)).to.have.members([
      ...['/jaeger/api/services', '/jaeger/api/traces', '/jaeger/api/traces'],
      ...['/jaeger/api/services', '/jaeger/api/traces', '/jaeger/api/traces'],
    ]);
    const report = JSON.parse(run.stdout()) as LookupReport;
    expect(report.jaegerUrl).to.equal(`${jaeger.url}/jaeger/`);
    expect(report.traces[0]?.url).to.equal(`${jaeger.url}/jaeger/trace/abc123`);
    expect(report.searchUrl).to.match(new RegExp(`^${jaeger.url}/jaeger/search\\?service=api&`));
  });

  describe('with credentials in JAEGER_URL', () => {
    const password = 'hunter2%25secret';
    const expected = `Basic ${Buffer.from('ada:hunter2%secret').toString('base64')}`;

    /** Everything the command printed must be free of the user name and password. */
    const expectNoCredentials = (printed: string): void => {
      expect(printed).not.to.include('hunter2').and.not.to.include('ada:').and.not.to.include('ada@');
    };

    it('sends them as Basic authentication and prints them nowhere when Jaeger requires them', async () => {
      jaeger = await startFakeJaeger((request, response, url) => {
        if (request.headers.authorization !== expected) return void response.writeHead(401, { 'www-authenticate': 'Basic' }).end();
        jaegerApi(['api'], () => [downstreamTrace()])(request, response, url);
      });
      const credentialed = `http://ada:${password}@127.0.0.1:${jaeger.port}`;
      for (const args of [[SESSION], [SESSION, '--json']]) {
        const run = capturedIo({ JAEGER_URL: credentialed });
        const code = await runLookup(args, run.io);
        expect(code, run.stderr()).to.equal(EXIT.FOUND);
        expect(run.stdout()).to.include(`${jaeger.url}/trace/trace-a`);
        expectNoCredentials(run.stdout() + run.stderr());
      }
      expect(jaeger.requests.map((request) => request.authorization)).to.satisfy((sent: unknown[]) => sent.every((value) => value === expected));
    });

    it('exits 2 saying the credentials were refused, without printing them, when Jaeger answers 401', async () => {
      jaeger = await startFakeJaeger((_request, response) => {
        response.writeHead(401, { 'www-authenticate': 'Basic' }).end();
      });
      const run = capturedIo({ JAEGER_URL: `http://ada:${password}@127.0.0.1:${jaeger.port}` });
      expect(await runLookup([SESSION], run.io)).to.equal(EXIT.FAILED);
      expect(run.stderr()).to.equal(`session-traces: Jaeger at ${jaeger.url} answered 401 to /api/services; it refused the credentials in JAEGER_URL\n`);
    });

    it('exits 2 without printing them when Jaeger is not running', async () => {
      const closed = await startFakeJaeger(() => undefined);
      await closed.close();
      const run = capturedIo({ JAEGER_URL: `http://ada:${password}@127.0.0.1:${closed.port}/jaeger` });
      expect(await runLookup([SESSION], run.io)).to.equal(EXIT.FAILED);
      expect(run.stderr()).to.match(new RegExp(`^session-traces: Jaeger at ${closed.url}/jaeger did not answer \\(ECONNREFUSED\\)`));
      expectNoCredentials(run.stderr());
    });
  });

  describe('with control and invisible characters in what Jaeger sends', () => {
    const hostile = (): JaegerTrace => {
      const trace = downstreamTrace('7e1b\u001b[41m');
      const [orders, entry, client] = trace.spans;
      return {
        ...trace,
        // An OSC 8 hyperlink around the service name, a screen clear, a bidi override, a zero-width
        // space and tag characters in the operation, a C1 CSI and a word joiner in the user id.
        processes: { p1: { serviceName: '\u001b]8;;http://evil.example/\u0007api\u001b]8;;\u0007' }, p2: { serviceName: 'orders\r\n' } },
        spans: [
          { ...orders!, tags: [{ key: 'user.id', value: '\u009b2J\u2060user-hash' }] },
          { ...entry!, operationName: 'GET \u001b[2J/api/\u200bdownstream\u202e\u{E0041}\u{E007F}' },
          client!,
        ],
      };
    };

    for (const colours of [false, true]) {
      it(`prints the table without them when colours are ${colours ? 'on' : 'off'}`, async () => {
        jaeger = await startFakeJaeger(jaegerApi(['api'], () => [hostile()]));
        const run = capturedIo({ JAEGER_URL: jaeger.url }, { colours });
        expect(await runLookup([SESSION], run.io), run.stderr()).to.equal(EXIT.FOUND);
        const printed = withoutOwnColours(run.stdout());
        expect(printed).to.include('GET [2J/api/downstream').and.include(']8;;http://evil.example/api]8;;');
        expect(printed.split('\n').filter((line) => CONTROL_CHARACTER.test(line))).to.deep.equal([]);
        expect(hasOwnColours(run.stdout()), 'colours were on').to.equal(colours);
      });
    }

    it('prints --json without them, even escaped', async () => {
      jaeger = await startFakeJaeger(jaegerApi(['api'], () => [hostile()]));
      const run = capturedIo({ JAEGER_URL: jaeger.url });
      expect(await runLookup([SESSION, '--json'], run.io), run.stderr()).to.equal(EXIT.FOUND);
      expect(run.stdout()).not.to.match(/\\u00[0-9a-f]{2}/i).and.not.to.match(CONTROL_CHARACTER);
      const [trace] = (JSON.parse(run.stdout()) as LookupReport).traces;
      expect(trace).to.deep.include({ traceId: '7e1b[41m', operation: 'GET [2J/api/downstream', userId: '2Juser-hash', entryService: ']8;;http://evil.example/api]8;;' });
      expect(trace?.services).to.deep.equal([']8;;http://evil.example/api]8;;', 'orders ']);
    });

    it('quotes a malformed value on one line without them', async () => {
      jaeger = await startFakeJaeger((_request, response) => {
        answerJson(response, { data: '\u001b]8;;http://evil.example/\u0007click\u2028me' });
      });
      const run = capturedIo({ JAEGER_URL: jaeger.url });
      expect(await runLookup([SESSION], run.io)).to.equal(EXIT.FAILED);
      const [line, ...rest] = run.stderr().split('\n');
      expect(rest, 'one line, then the final newline').to.deep.equal(['']);
      expect(line).to.include('data should be an array, got "]8;;http://evil.example/click me"').and.not.to.match(CONTROL_CHARACTER);
    });
  });

  it('prints one JSON trace object per line with --follow --json, for the first search and new traces alike', async () => {
    let second = false;
    jaeger = await startFakeJaeger(jaegerApi(['api'], () => (second ? [downstreamTrace(), failedTrace()] : [downstreamTrace()])));
    const run = capturedIo({ JAEGER_URL: jaeger.url }, { followIntervalMs: 10 });
    const done = runLookup([SESSION, '--follow', '--json'], run.io);
    await waitFor('the first search as one line', () => run.stdout().endsWith('\n'), 10_000);
    second = true;
    await waitFor('the new trace as a second line', () => run.stdout().split('\n').length === 3, 10_000);
    run.interrupt();
    expect(await done).to.equal(EXIT.FOUND);
    const lines = run.stdout().split('\n');
    expect(lines.pop(), 'output ends with a newline').to.equal('');
    const traces = lines.map((line) => JSON.parse(line) as TraceSummary);
    for (const trace of traces) expect(Object.keys(trace)).to.deep.equal(TRACE_KEYS);
    expect(traces.map((trace) => trace.traceId)).to.deep.equal(['trace-a', 'trace-b']);
  });

  describe('the session summary', () => {
    /** The session's traces for a search by session.id, none for the search of the sessions that replaced it. */
    const sessionTraces =
      (traces: () => JaegerTrace[]) =>
      (url: URL): JaegerTrace[] =>
        url.searchParams.get('tags')?.includes('session.previous_id') === true ? [] : traces();

    it('sums up the traces found in --json, a trace that every service answered with counted once', async () => {
      jaeger = await startFakeJaeger(jaegerApi(['api', 'orders'], sessionTraces(() => [downstreamTrace(), failedTrace()])));
      const run = capturedIo({ JAEGER_URL: jaeger.url });
      expect(await runLookup([SESSION, '--json'], run.io), run.stderr()).to.equal(EXIT.FOUND);
      const { summary } = JSON.parse(run.stdout()) as LookupReport;
      expect(summary).to.deep.include({ traces: 2, edgeRequests: 2, edgeErrors: 1, requests: 3, errors: 1, services: ['api', 'orders'] });
      expect(summary?.byService).to.deep.equal([
        { service: 'api', requests: 2, errors: 1 },
        { service: 'orders', requests: 1, errors: 0 },
      ]);
    });

    it('sums up only the traces listed when --limit leaves older ones out', async () => {
      jaeger = await startFakeJaeger(jaegerApi(['api'], sessionTraces(() => [downstreamTrace(), failedTrace()])));
      const run = capturedIo({ JAEGER_URL: jaeger.url });
      expect(await runLookup([SESSION, '--json', '--limit', '1'], run.io), run.stderr()).to.equal(EXIT.FOUND);
      const report = JSON.parse(run.stdout()) as LookupReport;
      expect(report.traces.map((trace) => trace.traceId)).to.deep.equal(['trace-b']);
      expect(report.summary).to.deep.include({ traces: 1, requests: 1, errors: 1, services: ['api'], firstStart: report.traces[0]!.startTime });
    });

    it('prints the summary after the table in text', async () => {
      jaeger = await startFakeJaeger(jaegerApi(['api'], sessionTraces(() => [downstreamTrace(), failedTrace()])));
      const run = capturedIo({ JAEGER_URL: jaeger.url });
      expect(await runLookup([SESSION], run.io), run.stderr()).to.equal(EXIT.FOUND);
      expect(run.stdout()).to.include('┘\n\nSummary (2 traces)\n  requests  2 from outside; served: api 2, orders 1\n');
    });

    it('gives a null summary in --json and prints none in text, exit 1, when the session has no traces', async () => {
      jaeger = await startFakeJaeger(jaegerApi(['api'], () => []));
      const json = capturedIo({ JAEGER_URL: jaeger.url });
      expect(await runLookup([SESSION, '--json'], json.io)).to.equal(EXIT.NONE);
      expect((JSON.parse(json.stdout()) as LookupReport).summary).to.equal(null);
      const text = capturedIo({ JAEGER_URL: jaeger.url });
      expect(await runLookup([SESSION], text.io)).to.equal(EXIT.NONE);
      expect(text.stdout()).to.equal('');
      expect(text.stderr()).to.include(`no traces of session ${SESSION}`);
    });

    it('prints no summary with --follow, whose traces keep coming', async () => {
      jaeger = await startFakeJaeger(jaegerApi(['api'], () => [downstreamTrace()]));
      const run = capturedIo({ JAEGER_URL: jaeger.url }, { followIntervalMs: 10 });
      const done = runLookup([SESSION, '--follow'], run.io);
      await waitFor('the first table', () => run.stdout().includes('Traces in Jaeger:'), 10_000);
      run.interrupt();
      expect(await done).to.equal(EXIT.FOUND);
      expect(run.stdout()).to.include('/trace/trace-a').and.not.include('Summary');
    });
  });

  it('returns 1 with nothing printed when Ctrl-C comes during the first search of --follow', async () => {
    jaeger = await startFakeJaeger(() => undefined);
    const run = capturedIo({ JAEGER_URL: jaeger.url });
    const done = runLookup([SESSION, '--follow'], run.io);
    await waitFor('the first search to reach the fake Jaeger', () => jaeger!.requests.length === 1, 10_000);
    run.interrupt();
    expect(await done).to.equal(EXIT.NONE);
    expect(run.stdout() + run.stderr()).to.equal('');
    await waitFor('the fake Jaeger to see the search abandoned', () => jaeger!.requests[0]!.abandoned(), 5_000);
  });
});
