import { expect } from 'chai';
import { LOG_LINE_LIMIT } from '../../../../tools/session-traces/victorialogs/find-logs.ts';
import type { LookupReport } from '../../../../tools/session-traces/report/lookup-report.ts';
import { EXIT, runLookup } from '../../../../tools/session-traces/run-lookup.ts';
import { hashUserId } from '../../../../tools/session-traces/user-id-hash.ts';
import { waitFor } from '../../../core/support/service-process.ts';
import { capturedIo } from '../../support/session-traces/captured-io.ts';
import { jaegerApi } from '../../support/session-traces/fake-jaeger.ts';
import { startFakeServer, type FakeServer } from '../../support/session-traces/fake-server.ts';
import { downstreamTrace, failedTrace } from '../../support/session-traces/fixtures.ts';
import { OBSERVED_LINE, sessionLines, storedLine, victoriaLogsApi } from '../../support/session-traces/log-fixtures.ts';

const SESSION = 'session-0001';

describe('runLookup --logs', () => {
  let jaeger: FakeServer | undefined;
  let store: FakeServer | undefined;

  afterEach(async () => {
    await jaeger?.close();
    await store?.close();
    jaeger = undefined;
    store = undefined;
  });

  /** The address of a store that is not running. */
  const downStore = async (): Promise<string> => {
    const closed = await startFakeServer(() => undefined);
    await closed.close();
    return closed.url;
  };

  /** stderr's lines, without the final newline's empty one. */
  const stderrLines = (text: string): string[] => text.split('\n').filter((line) => line !== '');

  it('prints each trace with its lines under it, then the lines in no listed trace, asking the store once, when Jaeger and the store answer', async () => {
    jaeger = await startFakeServer(jaegerApi(['api'], () => [downstreamTrace(), failedTrace()]));
    store = await startFakeServer(victoriaLogsApi(() => sessionLines()));
    const run = capturedIo({ JAEGER_URL: jaeger.url, VICTORIALOGS_URL: store.url });
    const before = Date.now();
    expect(await runLookup([SESSION, '--logs'], run.io), run.stderr()).to.equal(EXIT.FOUND);
    const lines = run.stdout().split('\n');
    expect(lines[0]).to.include('GET /api/downstream').and.include('/trace/trace-a');
    expect(lines[1]).to.equal('  10:00:00.005 orders info request completed http.method=GET http.route=/api/session http.status_code=200 duration_ms=3');
    expect(lines).to.include('Log lines in no listed trace:').and.include('  2026-11-27 10:02:00.000 api info cache warmed');
    expect(run.stderr()).to.equal('');
    expect(store.requests).to.have.length(1);
    const asked = store.requests[0]!.searchParams;
    expect(asked.get('query')).to.equal(`"session.id":="${SESSION}"`);
    expect(asked.get('limit')).to.equal(String(LOG_LINE_LIMIT));
    expect(Date.parse(asked.get('start')!)).to.be.within(before - 86_400_000 - 1000, Date.now() - 86_400_000 + 1000);
  });

  it('adds the lines to the --json report, in each trace and for the rest', async () => {
    jaeger = await startFakeServer(jaegerApi(['api'], () => [downstreamTrace(), failedTrace()]));
    store = await startFakeServer(victoriaLogsApi(() => sessionLines()));
    const run = capturedIo({ JAEGER_URL: jaeger.url, VICTORIALOGS_URL: store.url });
    expect(await runLookup([SESSION, '--logs', '--json'], run.io), run.stderr()).to.equal(EXIT.FOUND);
    const report = JSON.parse(run.stdout()) as LookupReport;
    expect(report).to.deep.include({ victoriaLogsUrl: `${store.url}/`, logsMissing: null, logsTruncated: false });
    expect(report.traces.map((trace) => trace.logs?.length)).to.deep.equal([2, 1]);
    expect(report.logs?.map((line) => line.message)).to.deep.equal(['sampled out', 'cache warmed']);
  });

  for (const json of [false, true]) {
    it(`prints the traces, one line saying the logs are missing and why, and exits 0 when traces are found and the store is down${json ? ' (--json)' : ''}`, async () => {
      jaeger = await startFakeServer(jaegerApi(['api'], () => [downstreamTrace()]));
      const storeUrl = await downStore();
      const run = capturedIo({ JAEGER_URL: jaeger.url, VICTORIALOGS_URL: storeUrl });
      expect(await runLookup(json ? [SESSION, '--logs', '--json'] : [SESSION, '--logs'], run.io)).to.equal(EXIT.FOUND);
      const why = `VictoriaLogs at ${storeUrl} did not answer (ECONNREFUSED). Is it running? Set VICTORIALOGS_URL to its address (port 9428 by default).`;
      expect(stderrLines(run.stderr())).to.deep.equal([`session-traces: logs missing: ${why}`]);
      if (json) expect(JSON.parse(run.stdout())).to.deep.include({ logsMissing: why, logs: null });
      else expect(run.stdout()).to.include('/trace/trace-a').and.not.include('no listed trace');
    });
  }

  it('exits 1 with the logs-missing line and the no-traces line when nothing is found and the store is down', async () => {
    jaeger = await startFakeServer(jaegerApi(['api'], () => []));
    const run = capturedIo({ JAEGER_URL: jaeger.url, VICTORIALOGS_URL: await downStore() });
    expect(await runLookup([SESSION, '--logs'], run.io)).to.equal(EXIT.NONE);
    const lines = stderrLines(run.stderr());
    expect(lines).to.have.length(2);
    expect(lines[0]).to.match(/^session-traces: logs missing: VictoriaLogs at .* did not answer \(ECONNREFUSED\)/);
    expect(lines[1]).to.equal(`session-traces: no traces of session ${SESSION} in the last 24h (searched 1 services)`);
    expect(run.stdout()).to.equal('');
  });

  it('exits 1 and still prints the session lines when no trace is found but the store has lines', async () => {
    jaeger = await startFakeServer(jaegerApi(['api'], () => []));
    store = await startFakeServer(victoriaLogsApi(() => sessionLines()));
    const run = capturedIo({ JAEGER_URL: jaeger.url, VICTORIALOGS_URL: store.url });
    expect(await runLookup([SESSION, '--logs'], run.io)).to.equal(EXIT.NONE);
    expect(run.stdout().split('\n').filter((line) => line.startsWith('  2026-11-27'))).to.have.length(5);
  });

  it('exits 2, saying only what Jaeger answered, and abandons the pending log query when Jaeger fails', async () => {
    store = await startFakeServer(() => undefined);
    // Jaeger fails only once the log query is pending, which the store never answers.
    jaeger = await startFakeServer((_request, response) => {
      void waitFor('the log query to reach the store', () => store!.requests.length === 1, 5_000).then(() => response.writeHead(503).end());
    });
    const run = capturedIo({ JAEGER_URL: jaeger.url, VICTORIALOGS_URL: store.url });
    expect(await runLookup([SESSION, '--logs'], run.io)).to.equal(EXIT.FAILED);
    expect(stderrLines(run.stderr())).to.deep.equal([`session-traces: Jaeger at ${jaeger.url} answered 503 to /api/services; is JAEGER_URL its query address?`]);
    await waitFor('the log query to be abandoned', () => store!.requests[0]!.abandoned(), 5_000);
  });

  it('exits 2 when Jaeger is not running, whatever the store', async () => {
    store = await startFakeServer(victoriaLogsApi(() => sessionLines()));
    const run = capturedIo({ JAEGER_URL: await downStore(), VICTORIALOGS_URL: store.url });
    expect(await runLookup([SESSION, '--logs', '--json'], run.io)).to.equal(EXIT.FAILED);
    expect(run.stdout()).to.equal('');
    const [line, ...rest] = stderrLines(run.stderr());
    expect(rest).to.deep.equal([]);
    expect(line).to.match(/^session-traces: Jaeger at .* did not answer \(ECONNREFUSED\)/);
  });

  it('prints the traces and one logs-missing line naming the bad line when the store answers a malformed line', async () => {
    jaeger = await startFakeServer(jaegerApi(['api'], () => [downstreamTrace()]));
    store = await startFakeServer((_request, response) => {
      response.writeHead(200, { 'content-type': 'application/stream+json' }).end(`${OBSERVED_LINE}\n{"_time":5}\n`);
    });
    const run = capturedIo({ JAEGER_URL: jaeger.url, VICTORIALOGS_URL: store.url });
    expect(await runLookup([SESSION, '--logs'], run.io)).to.equal(EXIT.FOUND);
    expect(stderrLines(run.stderr())).to.deep.equal([
      `session-traces: logs missing: VictoriaLogs at ${store.url} answered /select/logsql/query with an unexpected shape: line 2["_time"] should be a string, got 5`,
    ]);
    expect(run.stdout()).to.include('/trace/trace-a');
  });

  it('asks for the lines by the hashed user.id with --user', async () => {
    jaeger = await startFakeServer(jaegerApi(['api'], () => [downstreamTrace()]));
    store = await startFakeServer(victoriaLogsApi(() => []));
    const run = capturedIo({ JAEGER_URL: jaeger.url, VICTORIALOGS_URL: store.url });
    expect(await runLookup(['--user', 'alice@example.com', '--logs'], run.io), run.stderr()).to.equal(EXIT.FOUND);
    expect(store.requests[0]?.searchParams.get('query')).to.equal(`"user.id":="${hashUserId('alice@example.com')}"`);
  });

  it('exits 2 with a usage error naming VICTORIALOGS_URL, before any request, when it is not http(s)', async () => {
    const run = capturedIo({ JAEGER_URL: 'http://127.0.0.1:1', VICTORIALOGS_URL: 'ftp://ada:hunter2@logs' });
    expect(await runLookup([SESSION, '--logs'], run.io)).to.equal(EXIT.FAILED);
    expect(run.stderr()).to.match(/^session-traces: VICTORIALOGS_URL must be an http\(s\) URL/).and.not.include('hunter2');
  });

  it('says only the newest lines are shown when the store gives as many as asked for', async () => {
    jaeger = await startFakeServer(jaegerApi(['api'], () => [downstreamTrace()]));
    const many = Array.from({ length: LOG_LINE_LIMIT }, (_, index) => storedLine({ _msg: `line ${index}`, trace_id: undefined }));
    store = await startFakeServer(victoriaLogsApi(() => many));
    const run = capturedIo({ JAEGER_URL: jaeger.url, VICTORIALOGS_URL: store.url });
    expect(await runLookup([SESSION, '--logs', '--json'], run.io)).to.equal(EXIT.FOUND);
    expect(stderrLines(run.stderr())).to.deep.equal([`session-traces: only the newest ${LOG_LINE_LIMIT} log lines are shown; narrow --since to see older ones`]);
    expect(JSON.parse(run.stdout())).to.have.property('logsTruncated', true);
  });

  describe('with --follow', () => {
    const inB = storedLine({ trace_id: 'trace-b', _time: '2026-11-27T10:01:00Z', _msg: 'in b' });
    const outside = storedLine({ trace_id: undefined, _time: '2026-11-27T10:02:00Z', _msg: 'outside' });

    it('prints each new trace with its lines and each new line in no listed trace as it arrives', async () => {
      // The store has the new lines from `later` on; Jaeger the new trace once the store has
      // answered them, as lines usually reach the store before their trace reaches Jaeger.
      let later = false;
      let newAnswers = 0;
      jaeger = await startFakeServer(jaegerApi(['api'], () => (newAnswers > 0 ? [downstreamTrace(), failedTrace()] : [downstreamTrace()])));
      store = await startFakeServer(
        victoriaLogsApi(() => {
          if (!later) return [storedLine({ trace_id: 'trace-a' })];
          newAnswers += 1;
          return [storedLine({ trace_id: 'trace-a' }), inB, outside];
        }),
      );
      const run = capturedIo({ JAEGER_URL: jaeger.url, VICTORIALOGS_URL: store.url }, { followIntervalMs: 10 });
      const done = runLookup([SESSION, '--logs', '--follow'], run.io);
      await waitFor('the first search', () => run.stdout().includes('/trace/trace-a'), 10_000);
      later = true;
      await waitFor('the new trace and the new line', () => run.stdout().includes('/trace/trace-b') && run.stdout().includes('outside'), 10_000);
      run.interrupt();
      expect(await done).to.equal(EXIT.FOUND);
      const lines = run.stdout().split('\n');
      expect(lines[1]).to.match(/^ {2}10:00:00\.001 api info request completed /);
      const b = lines.findIndex((line) => line.includes('/trace/trace-b'));
      // Under its trace, which waited for it, and nowhere else.
      expect(lines[b + 1]).to.equal('  10:01:00.000 api info in b http.method=GET http.route=/api/downstream http.status_code=200 duration_ms=12.1');
      expect(lines.filter((line) => line.includes(' in b '))).to.have.length(1);
      const unlisted = lines.indexOf('Log lines in no listed trace:');
      expect(lines[unlisted + 1]).to.equal('  2026-11-27 10:02:00.000 api info outside http.method=GET http.route=/api/downstream http.status_code=200 duration_ms=12.1');
      expect(run.stderr()).to.equal('session-traces: following; Ctrl-C to stop\n');
    });

    it('prints --json traces with their logs and each line in no listed trace as {"log": …}, one object per line', async () => {
      let later = false;
      jaeger = await startFakeServer(jaegerApi(['api'], () => [downstreamTrace()]));
      store = await startFakeServer(victoriaLogsApi(() => (later ? [outside] : [])));
      const run = capturedIo({ JAEGER_URL: jaeger.url, VICTORIALOGS_URL: store.url }, { followIntervalMs: 10 });
      const done = runLookup([SESSION, '--logs', '--follow', '--json'], run.io);
      await waitFor('the first search as one line', () => run.stdout().endsWith('\n'), 10_000);
      later = true;
      await waitFor('the new line as a second line', () => run.stdout().split('\n').length === 3, 10_000);
      run.interrupt();
      expect(await done).to.equal(EXIT.FOUND);
      const [trace, line] = run.stdout().split('\n').map((text) => (text === '' ? undefined : (JSON.parse(text) as Record<string, unknown>)));
      expect(trace).to.deep.include({ traceId: 'trace-a', logs: [] });
      expect(line).to.have.nested.property('log.message', 'outside');
    });

    it('says once that the logs are missing when the store goes down, and keeps printing traces', async () => {
      let later = false;
      jaeger = await startFakeServer(jaegerApi(['api'], () => (later ? [downstreamTrace(), failedTrace()] : [downstreamTrace()])));
      store = await startFakeServer(victoriaLogsApi(() => []));
      const run = capturedIo({ JAEGER_URL: jaeger.url, VICTORIALOGS_URL: store.url }, { followIntervalMs: 10 });
      const done = runLookup([SESSION, '--logs', '--follow'], run.io);
      await waitFor('the first search', () => run.stdout().includes('/trace/trace-a'), 10_000);
      await store.close();
      later = true;
      await waitFor('the new trace', () => run.stdout().includes('/trace/trace-b'), 10_000);
      const polls = jaeger.requests.length;
      await waitFor('a few more polls', () => jaeger!.requests.length > polls + 6, 10_000);
      run.interrupt();
      expect(await done).to.equal(EXIT.FOUND);
      const missing = stderrLines(run.stderr()).filter((line) => line.includes('logs missing'));
      expect(missing).to.have.length(1);
      // Closing the store may cut a pending query (a reset) before later ones are refused: one line still.
      expect(missing[0]).to.match(new RegExp(`^session-traces: logs missing: VictoriaLogs at ${store.url} .* \\(still following\\)$`));
    });
  });
});
