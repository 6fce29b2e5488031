import { randomUUID } from 'node:crypto';
import { setTimeout as sleep } from 'node:timers/promises';
import { SpanKind } from '@opentelemetry/api';
import { InMemoryLogRecordExporter, type ReadableLogRecord } from '@opentelemetry/sdk-logs';
import { InMemorySpanExporter, type ReadableSpan } from '@opentelemetry/sdk-trace';
import { expect } from 'chai';
import { isSessionSampled, SESSION_STORAGE_KEY, startBrowserTelemetry, type BrowserTelemetry, type BrowserTelemetryOptions } from '../../../src/browser/index.ts';
import { ECHO_SESSION, startAnsweringServer, type AnsweringServer } from '../support/answering-server.ts';
import { FakeClock, MemoryStorage } from '../support/memory-storage.ts';

/**
 * The whole browser telemetry as a page starts it, run in Node: the real SDK, the fetch
 * instrumentation patching Node's fetch (Node has the PerformanceObserver it needs), in-memory
 * exporters instead of OTLP. Node has no `location`: the "page's origin" is a trusted one.
 */
describe('startBrowserTelemetry', function () {
  // Each fetch span ends 300 ms after its answer (the instrumentation waits for resource timing).
  this.timeout(30_000);

  let trusted: AnsweringServer;
  let untrusted: AnsweringServer;
  let spans: InMemorySpanExporter;
  let records: InMemoryLogRecordExporter;
  let storage: MemoryStorage;
  let clock: FakeClock;
  let telemetry: BrowserTelemetry | undefined;
  const nativeFetch = globalThis.fetch;

  const start = (options: BrowserTelemetryOptions = {}): BrowserTelemetry => {
    telemetry = startBrowserTelemetry({
      trustedOrigins: [trusted.origin],
      exportBaseUrl: 'http://127.0.0.1:9/otlp',
      storage,
      now: clock.now,
      spanExporter: spans,
      logRecordExporter: records,
      ...options,
    });
    return telemetry;
  };

  /** Flushes until `count` spans are exported (each fetch span ends a moment after its answer). */
  const exportedSpans = async (count: number): Promise<ReadableSpan[]> => {
    while (spans.getFinishedSpans().length < count) {
      await telemetry!.flush();
      if (spans.getFinishedSpans().length < count) await sleep(50);
    }
    return spans.getFinishedSpans();
  };
  const exportedRecords = async (): Promise<ReadableLogRecord[]> => {
    await telemetry!.flush();
    return records.getFinishedLogRecords();
  };
  /** A random UUID for which `wanted` holds. */
  const idWhere = (wanted: (id: string) => boolean): string => {
    for (;;) {
      const id = randomUUID();
      if (wanted(id)) return id;
    }
  };
  const events = async (): Promise<{ name: string | undefined; attributes: Record<string, unknown> }[]> =>
    (await exportedRecords()).filter((record) => record.eventName !== undefined).map((record) => ({ name: record.eventName, attributes: { ...record.attributes } }));

  beforeEach(async () => {
    trusted = await startAnsweringServer();
    untrusted = await startAnsweringServer();
    spans = new InMemorySpanExporter();
    records = new InMemoryLogRecordExporter();
    storage = new MemoryStorage();
    clock = new FakeClock();
  });

  afterEach(async () => {
    await telemetry?.shutdown();
    telemetry = undefined;
    globalThis.fetch = nativeFetch;
    await Promise.all([trusted.close(), untrusted.close()]);
  });

  it('emits session.start for a new session and puts session.id on spans and log records', async () => {
    const browser = start();
    const sessionId = browser.sessionId();
    browser.log('hello', { level: 'warn', attributes: { 'demo.action': 'test' } });
    await fetch(`${trusted.origin}/api/session`);
    const [span] = await exportedSpans(1);
    expect(span!.kind).to.equal(SpanKind.CLIENT);
    expect(span!.attributes['session.id']).to.equal(sessionId);
    expect(span!.attributes['session.previous_id']).to.equal(undefined);
    expect(span!.resource.attributes['service.name']).to.equal('web');
    const [startEvent, log] = await exportedRecords();
    expect(startEvent).to.deep.include({ eventName: 'session.start' });
    expect(startEvent!.attributes).to.deep.equal({ 'session.id': sessionId });
    expect(log).to.deep.include({ body: 'hello', severityText: 'WARN' });
    expect(log!.attributes).to.deep.equal({ 'demo.action': 'test', 'session.id': sessionId });
  });

  it('sends traceparent and baggage with the session id to a trusted origin, with the trace id of the fetch span', async () => {
    const browser = start();
    await fetch(`${trusted.origin}/api/session`);
    const [headers] = trusted.received;
    expect(headers!.baggage).to.equal(`session.id=${browser.sessionId()}`);
    const [span] = await exportedSpans(1);
    expect(headers!.traceparent).to.equal(`00-${span!.spanContext().traceId}-${span!.spanContext().spanId}-01`);
  });

  it('sends neither traceparent nor baggage to an origin it does not trust, and adopts nothing from its answer', async () => {
    const browser = start();
    const sessionId = browser.sessionId();
    untrusted.answerSessionId = 'untrusted-minted-id';
    await fetch(`${untrusted.origin}/track`);
    expect(untrusted.received[0]).not.to.have.any.keys('baggage', 'traceparent', 'tracestate');
    expect(browser.sessionId()).to.equal(sessionId);
  });

  it('adopts an x-session-id answer before the caller sees it: session.end, then session.start linked to the old id', async () => {
    const browser = start();
    const before = browser.sessionId();
    trusted.answerSessionId = 'rotated-at-login-1';
    await fetch(`${trusted.origin}/api/login`, { method: 'POST' });
    expect(browser.sessionId()).to.equal('rotated-at-login-1');
    trusted.answerSessionId = ECHO_SESSION;
    await fetch(`${trusted.origin}/api/session`);
    expect(trusted.received[1]!.baggage).to.equal('session.id=rotated-at-login-1');
    const [, after] = await exportedSpans(2);
    expect(after!.attributes).to.include({ 'session.id': 'rotated-at-login-1', 'session.previous_id': before });
    expect(await events()).to.deep.equal([
      { name: 'session.start', attributes: { 'session.id': before } },
      { name: 'session.end', attributes: { 'session.id': before } },
      { name: 'session.start', attributes: { 'session.id': 'rotated-at-login-1', 'session.previous_id': before } },
    ]);
    expect(JSON.parse(storage.getItem(SESSION_STORAGE_KEY)!)).to.include({ id: 'rotated-at-login-1', previousId: before });
  });

  it('adopts the answer when the session is not sampled, and exports none of the unsampled session\'s spans', async () => {
    const browser = start({ sampleRatio: 0.5 });
    const unsampled = idWhere((id) => !isSessionSampled(id, 0.5));
    const sampled = idWhere((id) => isSessionSampled(id, 0.5));
    browser.adoptSessionId(unsampled);
    trusted.answerSessionId = sampled;
    await fetch(`${trusted.origin}/api/login`, { method: 'POST' });
    expect(trusted.received[0]!.traceparent, 'the unsampled fetch').to.match(/^00-[0-9a-f]{32}-[0-9a-f]{16}-00$/);
    expect(browser.sessionId()).to.equal(sampled);
    trusted.answerSessionId = ECHO_SESSION;
    await fetch(`${trusted.origin}/api/session`);
    // Fetch spans end in the order of their answers: once the second is exported, the first has ended.
    const exported = await exportedSpans(1);
    expect(exported.map((span) => span.attributes)).to.deep.equal([
      { ...exported[0]!.attributes, 'url.full': `${trusted.origin}/api/session`, 'session.id': sampled, 'session.previous_id': unsampled },
    ]);
    expect((await events()).map((event) => event.name)).to.deep.equal(['session.start', 'session.end', 'session.start', 'session.end', 'session.start']);
  });

  it('leaves requests to the export URL alone: no headers, no span, no adoption, no activity', async () => {
    const browser = start({ exportBaseUrl: `${trusted.origin}/otlp`, idleTimeoutSeconds: 60 });
    const sessionId = browser.sessionId();
    trusted.answerSessionId = 'minted-for-the-export-1';
    clock.advanceSeconds(59);
    await fetch(`${trusted.origin}/otlp/v1/traces`, { method: 'POST', body: '{}' });
    expect(trusted.received[0]).not.to.have.any.keys('baggage', 'traceparent');
    expect(browser.sessionId()).to.equal(sessionId);
    clock.advanceSeconds(1);
    expect(browser.session().previousId, 'the export was not activity').to.equal(sessionId);
    trusted.answerSessionId = ECHO_SESSION;
    await fetch(`${trusted.origin}/api/session`);
    const exported = await exportedSpans(1);
    expect(exported.map((span) => span.attributes['url.full'])).to.deep.equal([`${trusted.origin}/api/session`]);
  });

  it('keeps the new session when a request sent before the rotation answers the old id', async () => {
    const browser = start();
    const before = browser.sessionId();
    trusted.answerSessionId = before; // what the edge answers a request sent with the old id
    const late = fetch(`${trusted.origin}/api/slow`);
    browser.adoptSessionId('rotated-meanwhile-1');
    await late;
    expect(browser.sessionId()).to.equal('rotated-meanwhile-1');
  });

  it('traces exactly the sessions the server\'s rule keeps', async () => {
    const browser = start({ sampleRatio: 0.5 });
    const dropped = idWhere((id) => !isSessionSampled(id, 0.5));
    const kept = idWhere((id) => isSessionSampled(id, 0.5));
    browser.adoptSessionId(dropped);
    await fetch(`${trusted.origin}/dropped`);
    browser.adoptSessionId(kept);
    await fetch(`${trusted.origin}/kept`);
    // Fetch spans end in the order of their answers: once the second is exported, the first has ended.
    const exported = await exportedSpans(1);
    expect(exported.map((span) => [span.attributes['session.id'], span.attributes['url.full']])).to.deep.equal([[kept, `${trusted.origin}/kept`]]);
  });

  it('starts a new session after the idle timeout, and keeps it across a restart on the same storage', async () => {
    const browser = start({ idleTimeoutSeconds: 60 });
    const first = browser.sessionId();
    clock.advanceSeconds(61);
    const second = browser.sessionId();
    expect(second).not.to.equal(first);
    expect(browser.session().previousId).to.equal(first);
    await telemetry!.shutdown();
    const reloaded = start({ idleTimeoutSeconds: 60 });
    expect(reloaded.sessionId()).to.equal(second);
  });

  it('refuses to start twice on one page, and refuses options out of range', () => {
    start();
    expect(() => start()).to.throw(Error, 'already registered');
    expect(() => startBrowserTelemetry({ sampleRatio: 2, idleTimeoutSeconds: 0 })).to.throw(RangeError, /idleTimeoutSeconds.*sampleRatio/);
    expect(() => startBrowserTelemetry({ exportBaseUrl: '/otlp' })).to.throw(RangeError, 'outside a page it must be absolute');
  });

  it('leaves fetch as it was when it shuts down', async () => {
    start();
    expect(globalThis.fetch).not.to.equal(nativeFetch);
    await telemetry!.shutdown();
    telemetry = undefined;
    expect(globalThis.fetch).to.equal(nativeFetch);
  });
});
