import { createHash, randomUUID } from 'node:crypto';
import { expect } from 'chai';
import type { Page } from 'playwright-core';
import { startServiceProcess, startCommand, waitFor, type ServiceProcess } from '../../core/support/service-process.ts';
import { discardTelemetryBackends, driveSession, EXPORT_TO_COLLECTOR_ENV, startTelemetryBackends, type TelemetryBackends } from '../support/e2e-stack.ts';
import { launchHeadlessChromium, type HeadlessChromium } from '../support/headless-chromium.ts';
import { startVictoriaLogsCluster, type VictoriaLogsCluster } from '../support/victoria-logs-cluster.ts';
import { isEventRecord, queryLogs, type StoredLogRecord } from '../support/victoria-logs.ts';
import { requirePrerequisites } from '../support/require-prerequisites.ts';

/** One log line as the service wrote it and as the store should show it: the fields compared. */
interface LogLine {
  readonly message: string;
  readonly sessionId: string;
  /** As stored: the SHA-256 of the user id (the collector hashes it), or '' before login. */
  readonly userId: string;
  readonly traceId: string;
}

/** The fields of the UI's table compared, by column: the ones chosen in its Table settings. */
const COLUMNS = { message: '_msg', sessionId: 'session.id', userId: 'user.id', traceId: 'trace_id' } as const;

/** How long a wait on the store or the page may take on a busy 2-core machine. */
const WAIT_MS = 60_000;

const sha256 = (text: string): string => createHash('sha256').update(text).digest('hex');

/** One string a line, in a fixed order, so that two sets of lines compare as arrays. */
const sorted = (lines: readonly LogLine[]): string[] =>
  lines.map((line) => `${line.message} | ${line.sessionId} | ${line.userId} | ${line.traceId}`).sort();

/** True when `actual` holds the lines of `expected`, each as often, and no other. */
const sameLines = (actual: readonly LogLine[], expected: readonly LogLine[]): boolean => sorted(actual).join('\n') === sorted(expected).join('\n');

/** The JSON lines `service` wrote in `sessionId`, as the store should hold them (user.id hashed). */
function writtenLines(service: ServiceProcess, sessionId: string): LogLine[] {
  return service
    .logLines()
    .filter((line) => line['session.id'] === sessionId)
    .map((line) => ({
      message: String(line['message']),
      sessionId,
      userId: typeof line['user.id'] === 'string' ? sha256(line['user.id']) : '',
      traceId: typeof line['trace_id'] === 'string' ? line['trace_id'] : '',
    }));
}

const storedLine = (record: StoredLogRecord): LogLine => ({
  message: record['_msg'] ?? '',
  sessionId: record['session.id'] ?? '',
  userId: record['user.id'] ?? '',
  traceId: record['trace_id'] ?? '',
});

/**
 * The rows of the UI's results table (Table view) as log lines, read through the table's
 * column headers; none while the table is not shown.
 */
async function tableLines(page: Page): Promise<LogLine[]> {
  const table = page.getByRole('table').filter({ has: page.getByRole('columnheader', { name: '_msg', exact: true }) });
  const headers = await table.getByRole('columnheader').allInnerTexts();
  // The table shows a field a row does not have as "-" (here: user.id before the login).
  const cellOf = (cells: readonly string[], column: string): string => {
    const text = cells[headers.indexOf(column)]?.trim() ?? '';
    return text === '-' ? '' : text;
  };
  const lines: LogLine[] = [];
  for (const row of await table.getByRole('row').filter({ has: page.getByRole('cell') }).all()) {
    const cells = await row.getByRole('cell').allInnerTexts();
    lines.push({
      message: cellOf(cells, COLUMNS.message),
      sessionId: cellOf(cells, COLUMNS.sessionId),
      userId: cellOf(cells, COLUMNS.userId),
      traceId: cellOf(cells, COLUMNS.traceId),
    });
  }
  return lines;
}

/** The two ways of running the log store: the UI is the same page, served by the node that answers queries. */
const LOG_STORES = [
  { name: 'a single node', cluster: false },
  { name: "a cluster's select node (two storage nodes, the collector writing to the insert node)", cluster: true },
] as const;

for (const logStore of LOG_STORES) {
  describe(`the log store UI (VictoriaLogs web UI in headless Chromium), served by ${logStore.name}`, function () {
    // First: skipped (outside CI) or failed (CI) with the reason when the machine lacks these.
    before(function () {
      requirePrerequisites(this, 'test:e2e log-store-ui', ['stack-programs', 'chromium']);
    });

    this.timeout(10 * 60_000);

    let backends: TelemetryBackends | undefined;
    let cluster: VictoriaLogsCluster | undefined;
    let api: ServiceProcess | undefined;
    let chromium: HeadlessChromium | undefined;
    /** Where the UI and the query API are read: the single node, or the cluster's select node. */
    let baseUrl = '';

    before(async () => {
      // The real path of a log line: the service, its OTLP export, the collector (which hashes
      // user.id), the store.
      if (logStore.cluster) cluster = await startVictoriaLogsCluster();
      backends = await startTelemetryBackends(cluster === undefined ? {} : { victoriaLogsUrl: cluster.insertNode.baseUrl });
      baseUrl = cluster === undefined ? backends.victoriaLogs.baseUrl : cluster.selectNode.baseUrl;
      api = await startServiceProcess({ ...EXPORT_TO_COLLECTOR_ENV, OTEL_SERVICE_NAME: 'api' }, startCommand());
    });

    afterEach(async function () {
      if (this.currentTest?.state === 'failed' && chromium !== undefined) {
        console.log(`      screenshot of the failure: ${await chromium.screenshot(`log-store-ui${logStore.cluster ? '-cluster' : ''}-failed`)}`);
      }
    });

    after(async () => {
      await chromium?.close();
      await api?.stop('SIGKILL');
      if (backends !== undefined) await discardTelemetryBackends(backends);
      await cluster?.discard();
    });

    it('shows the log lines of the session searched for, and none of another session', async () => {
      const startedAt = Date.now();
      const lap = (what: string): void => {
        console.log(`      ${String(Date.now() - startedAt).padStart(6)} ms  ${what}`);
      };
      // Two sessions of the demo: login, a read and a downstream call (to itself) each.
      // Each login starts the session its requests then run in: search for that one.
      const { sessionId: searched } = await driveSession(api!, `session-${randomUUID()}`, 'alice@example.com');
      const { sessionId: other } = await driveSession(api!, `session-${randomUUID()}`, 'bob@example.com');
      const query = `session.id:="${searched}"`;
      // Five lines a session: 'user logged in' and an access line for each of the login, the
      // read, the downstream call and the call it made. An access line is written when its
      // response has gone, and stdout is read asynchronously: wait for all of them.
      const linesPerSession = 5;
      await waitFor(
        `the service's ${linesPerSession} lines of each session on stdout`,
        () => [searched, other].every((session) => writtenLines(api!, session).length === linesPerSession),
        WAIT_MS,
      );
      const searchedLines = writtenLines(api!, searched);
      const otherLines = writtenLines(api!, other);

      // Into the store, and searchable through its query API (after a short delay).
      // Besides the lines, each session holds the session.start event of its login (no line on
      // stdout): the store and its UI show it as a row of its own.
      let stored: LogLine[] = [];
      let storedOther: LogLine[] = [];
      let searchedEvents: LogLine[] = [];
      let otherEvents: LogLine[] = [];
      await waitFor(
        `both sessions' lines and session.start events from ${baseUrl}/select/logsql/query`,
        async () => {
          const [records, otherRecords] = await Promise.all([queryLogs(baseUrl, query), queryLogs(baseUrl, `session.id:="${other}"`)]);
          stored = records.filter((record) => !isEventRecord(record)).map(storedLine);
          storedOther = otherRecords.filter((record) => !isEventRecord(record)).map(storedLine);
          searchedEvents = records.filter((record) => record['event_name'] === 'session.start').map(storedLine);
          otherEvents = otherRecords.filter((record) => record['event_name'] === 'session.start').map(storedLine);
          return sameLines(stored, searchedLines) && sameLines(storedOther, otherLines) && searchedEvents.length === 1 && otherEvents.length === 1;
        },
        WAIT_MS,
        () => `searched session: ${JSON.stringify(sorted(stored))}; other session: ${JSON.stringify(sorted(storedOther))}; events: ${searchedEvents.length}, ${otherEvents.length}`,
      );
      expect(sorted(stored)).to.deep.equal(sorted(searchedLines));
      expect(sorted(storedOther)).to.deep.equal(sorted(otherLines));
      const searchedRows = [...searchedLines, ...searchedEvents];
      const otherRows = [...otherLines, ...otherEvents];
      lap(`${searchedLines.length + otherLines.length} lines exported by the service, through the collector, searchable through the query API`);

      // The UI opens on every record of the last 5 minutes (query `*`); its Table view shows
      // the columns chosen in its Table settings.
      chromium = await launchHeadlessChromium();
      const { page } = chromium;
      await page.goto(`${baseUrl}/select/vmui/`);
      await page.getByText('Table', { exact: true }).click();
      await page.getByRole('button', { name: 'Table settings' }).click();
      const tableSettings = page.locator('.vm-table-settings');
      for (const column of [COLUMNS.sessionId, COLUMNS.userId, COLUMNS.traceId]) await tableSettings.getByText(column, { exact: true }).click();
      await page.keyboard.press('Escape');
      await tableSettings.waitFor({ state: 'hidden' });
      lap(`UI open at ${page.url()}, Table view with columns ${Object.values(COLUMNS).join(', ')}`);

      // Before the search, the rows of both sessions are there: the search is what leaves the
      // other session out. (Only this test writes to its store, but rows of other sessions
      // would not make the UI wrong: only these two sessions are compared.)
      let shown: LogLine[] = [];
      const ofTheseSessions = (lines: readonly LogLine[]): LogLine[] => lines.filter((line) => line.sessionId === searched || line.sessionId === other);
      await waitFor(
        "both sessions' rows in the UI's table before the search",
        async () => {
          shown = ofTheseSessions(await tableLines(page));
          return sameLines(shown, [...searchedRows, ...otherRows]);
        },
        WAIT_MS,
        () => `rows shown: ${JSON.stringify(sorted(shown))}; ${chromium?.pageErrors().join('; ') ?? ''}`,
      );
      expect(sorted(shown)).to.deep.equal(sorted([...searchedRows, ...otherRows]));
      lap(`${shown.length} rows of both sessions shown for the query "*"`);

      // The search, typed into the query editor and run with Execute, as a person would.
      await page.getByRole('textbox', { name: 'Query' }).fill(query);
      await page.getByRole('button', { name: 'Execute' }).click();
      await waitFor(
        `exactly the searched session's rows in the UI's table after searching ${query}`,
        async () => {
          shown = await tableLines(page);
          return sameLines(shown, searchedRows);
        },
        WAIT_MS,
        () => `rows shown: ${JSON.stringify(sorted(shown))}; ${chromium?.pageErrors().join('; ') ?? ''}`,
      );
      // Every line and the event of the searched session, each once, and no other row: none of the other session's.
      expect(sorted(shown)).to.deep.equal(sorted(searchedRows));
      lap(`${shown.length} rows shown for ${query}: ${shown.map((line) => line.message).join(', ')}`);

      console.log(`      screenshot: ${await chromium.screenshot(`log-store-ui${logStore.cluster ? '-cluster' : ''}`)}`);
      expect(chromium.offLoopbackRequests(), 'requests the UI made beyond loopback (aborted)').to.deep.equal([]);
    });
  });
}
