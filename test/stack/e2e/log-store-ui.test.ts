import { createHash, randomUUID } from 'node:crypto';
import { ROOT_CONTEXT, SeverityNumber, trace, type SpanContext, type Tracer } from '@opentelemetry/api';
import { ExportResultCode, type ExportResult } from '@opentelemetry/core';
import { OTLPLogExporter } from '@opentelemetry/exporter-logs-otlp-proto';
import { resourceFromAttributes } from '@opentelemetry/resources';
import { InMemoryLogRecordExporter, LoggerProvider, SimpleLogRecordProcessor } from '@opentelemetry/sdk-logs';
import { TracerProvider } from '@opentelemetry/sdk-trace';
import { expect } from 'chai';
import type { Page } from 'playwright-core';
import { waitFor } from '../../core/support/service-process.ts';
import { launchHeadlessChromium, type HeadlessChromium } from '../support/headless-chromium.ts';
import { queryLogs, startVictoriaLogs, type StoredLogRecord, type VictoriaLogs } from '../support/victoria-logs.ts';

/** One log line as the test sends it and as it should come back: the fields compared. */
interface LogLine {
  readonly message: string;
  readonly sessionId: string;
  readonly userId: string;
  readonly traceId: string;
}

/** A line sent: its fields and the span it was logged in. */
interface SentLine extends LogLine {
  readonly span: SpanContext;
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

/**
 * The log lines of one session's requests, as the service logs them: each request a real span
 * (its trace id made by the SDK) and its lines emitted in it. `messages` holds one request's
 * messages a row.
 */
function sessionLines(tracer: Tracer, sessionId: string, userEmail: string, messages: readonly string[][]): SentLine[] {
  return messages.flatMap((requestMessages) => {
    const span = tracer.startSpan('GET /api/session');
    span.end();
    const context = span.spanContext();
    return requestMessages.map((message) => ({ message, sessionId, userId: sha256(userEmail), traceId: context.traceId, span: context }));
  });
}

/**
 * Sends `lines` to VictoriaLogs over OTLP/HTTP (protobuf) with the OpenTelemetry SDK's own
 * exporter, as records of service `api` with `session.id` and `user.id` attributes, each in
 * the context of its trace; fails unless the export succeeds.
 */
async function sendLogLines(otlpLogsUrl: string, lines: readonly SentLine[]): Promise<void> {
  const memory = new InMemoryLogRecordExporter();
  const provider = new LoggerProvider({
    resource: resourceFromAttributes({ 'service.name': 'api' }),
    processors: [new SimpleLogRecordProcessor({ exporter: memory })],
  });
  const logger = provider.getLogger('log-store-ui-test');
  for (const line of lines) {
    logger.emit({
      body: line.message,
      severityNumber: SeverityNumber.INFO,
      severityText: 'info',
      attributes: { 'session.id': line.sessionId, 'user.id': line.userId },
      context: trace.setSpanContext(ROOT_CONTEXT, line.span),
    });
  }
  const exporter = new OTLPLogExporter({ url: otlpLogsUrl });
  const result = await new Promise<ExportResult>((resolve) => {
    exporter.export(memory.getFinishedLogRecords(), resolve);
  });
  await exporter.shutdown();
  await provider.shutdown();
  expect(result.code, `OTLP export to ${otlpLogsUrl}: ${String(result.error)}`).to.equal(ExportResultCode.SUCCESS);
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
  const cellOf = (cells: readonly string[], column: string): string => cells[headers.indexOf(column)]?.trim() ?? '';
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

describe('the log store UI (VictoriaLogs web UI in headless Chromium)', function () {
  this.timeout(10 * 60_000);

  let store: VictoriaLogs | undefined;
  let chromium: HeadlessChromium | undefined;

  before(async () => {
    store = await startVictoriaLogs();
  });

  afterEach(async function () {
    if (this.currentTest?.state === 'failed' && chromium !== undefined) {
      console.log(`      screenshot of the failure: ${await chromium.screenshot('log-store-ui-failed')}`);
    }
  });

  after(async () => {
    await chromium?.close();
    await store?.discard();
  });

  it('shows the log lines of the session searched for, and none of another session', async () => {
    const { baseUrl, otlpLogsUrl } = store!;
    const startedAt = Date.now();
    const lap = (what: string): void => {
      console.log(`      ${String(Date.now() - startedAt).padStart(6)} ms  ${what}`);
    };
    const tracer = new TracerProvider().getTracer('log-store-ui-test');
    const searched = `session-${randomUUID()}`;
    const other = `session-${randomUUID()}`;
    const searchedLines = sessionLines(tracer, searched, 'alice@example.com', [['request', 'user logged in'], ['request', 'order placed']]);
    const otherLines = sessionLines(tracer, other, 'bob@example.com', [['request', 'payment declined']]);
    const query = `session.id:="${searched}"`;

    // Into the store, and searchable through its query API (after a short delay).
    await sendLogLines(otlpLogsUrl, [...searchedLines, ...otherLines]);
    let stored: LogLine[] = [];
    let storedOther: LogLine[] = [];
    await waitFor(
      `both sessions' lines from ${baseUrl}/select/logsql/query`,
      async () => {
        stored = (await queryLogs(baseUrl, query)).map(storedLine);
        storedOther = (await queryLogs(baseUrl, `session.id:="${other}"`)).map(storedLine);
        return sameLines(stored, searchedLines) && sameLines(storedOther, otherLines);
      },
      WAIT_MS,
      () => `searched session: ${JSON.stringify(sorted(stored))}; other session: ${JSON.stringify(sorted(storedOther))}`,
    );
    expect(sorted(stored)).to.deep.equal(sorted(searchedLines));
    expect(sorted(storedOther)).to.deep.equal(sorted(otherLines));
    lap('sent over OTLP and searchable through the query API');

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
        return sameLines(shown, [...searchedLines, ...otherLines]);
      },
      WAIT_MS,
      () => `rows shown: ${JSON.stringify(sorted(shown))}; ${chromium?.pageErrors().join('; ') ?? ''}`,
    );
    expect(sorted(shown)).to.deep.equal(sorted([...searchedLines, ...otherLines]));
    lap(`${shown.length} rows of both sessions shown for the query "*"`);

    // The search, typed into the query editor and run with Execute, as a person would.
    await page.getByRole('textbox', { name: 'Query' }).fill(query);
    await page.getByRole('button', { name: 'Execute' }).click();
    await waitFor(
      `exactly the searched session's rows in the UI's table after searching ${query}`,
      async () => {
        shown = await tableLines(page);
        return sameLines(shown, searchedLines);
      },
      WAIT_MS,
      () => `rows shown: ${JSON.stringify(sorted(shown))}; ${chromium?.pageErrors().join('; ') ?? ''}`,
    );
    // Every line of the searched session, each once, and no other row: none of the other session's.
    expect(sorted(shown)).to.deep.equal(sorted(searchedLines));
    lap(`${shown.length} rows shown for ${query}: ${shown.map((line) => line.message).join(', ')}`);

    console.log(`      screenshot: ${await chromium.screenshot('log-store-ui')}`);
    expect(chromium.offLoopbackRequests(), 'requests the UI made beyond loopback (aborted)').to.deep.equal([]);
  });
});
