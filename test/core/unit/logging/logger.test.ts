import { setTimeout as sleep } from 'node:timers/promises';
import { context, trace, TraceFlags } from '@opentelemetry/api';
import { expect } from 'chai';
import { SessionMapKey } from '../../../../src/core/context/session-map-key.ts';
import { runWithSession } from '../../../../src/core/context/run-with-session.ts';
import { setByKey } from '../../../../src/core/context/session-storage.ts';
import { createLogger, type Logger } from '../../../../src/core/logging/logger.ts';
import { capturedLog, type CapturedLog } from '../../support/captured-log.ts';
import { installContextManager } from '../../support/context-manager.ts';

function capturingLogger(valueLengthLimit?: number): { logger: Logger; lines: CapturedLog['lines']; writes: () => number } {
  const log = capturedLog();
  let writes = 0;
  log.stream.on('data', () => (writes += 1));
  const logger = createLogger({ level: 'info', stream: log.stream, ...(valueLengthLimit === undefined ? {} : { valueLengthLimit }) });
  return { logger, lines: () => log.lines(), writes: () => writes };
}

/** A sampled span context, as the active span of a request would have. */
const SPAN = { traceId: '4bf92f3577b34da6a3ce929d0e0e4736', spanId: '00f067aa0ba902b7', traceFlags: TraceFlags.SAMPLED };

/** What a client could send in a JSON body, naming every field the core writes. */
const FORGING_BODY = {
  'session.id': 'someone-elses-session',
  'user.id': 'victim',
  'session.previous_id': 'older-session',
  trace_id: 'f'.repeat(32),
  span_id: 'e'.repeat(16),
  trace_flags: '00',
  timestamp: '2000-01-01T00:00:00.000Z',
  'event.name': 'session.start',
  note: 'kept as it is',
};

describe('createLogger', () => {
  let uninstallContextManager: () => void;
  before(() => {
    uninstallContextManager = installContextManager();
  });
  after(() => {
    uninstallContextManager();
  });

  it('writes one JSON object per line, timestamp, level and message first, then the fields', async () => {
    const { logger, lines } = capturingLogger();
    logger.info('hello', { answer: 42 });
    const [line] = await lines();
    expect(Object.keys(line!).slice(0, 3)).to.deep.equal(['timestamp', 'level', 'message']);
    expect(line).to.include({ level: 'info', message: 'hello', answer: 42 });
    expect(new Date(line!['timestamp'] as string).toISOString()).to.equal(line!['timestamp']);
  });

  it('adds session.id and user.id as they are when the line is written', async () => {
    const { logger, lines } = capturingLogger();
    await runWithSession({ sessionId: 'session-log-1' }, async () => {
      logger.info('anonymous');
      setByKey(SessionMapKey.USER_ID, 'mallory-not');
      await sleep(1);
      logger.info('identified');
    });
    const [first, second] = await lines();
    expect(first).to.include({ 'session.id': 'session-log-1' });
    expect(first).not.to.have.property('user.id');
    expect(second).to.include({ 'session.id': 'session-log-1', 'user.id': 'mallory-not' });
  });

  it('leaves the session and trace fields out outside any session and span', async () => {
    const { logger, lines } = capturingLogger();
    logger.info('no session');
    const [line] = await lines();
    expect(line).to.not.have.any.keys('session.id', 'user.id', 'trace_id', 'span_id', 'trace_flags');
  });

  it('escapes control characters so a value can neither start a line nor forge a field', async () => {
    const { logger, lines } = capturingLogger();
    logger.info('evil\n{"level":"error","message":"forged"}', { value: 'a\r\nb\u0000' });
    const written = await lines();
    expect(written).to.have.length(1);
    expect(written[0]!['level']).to.equal('info');
    expect(written[0]!['value']).to.equal('a\r\nb\u0000');
  });

  it('writes a record JSON.stringify cannot serialize (a cycle, a BigInt) instead of throwing', async () => {
    const { logger, lines } = capturingLogger();
    const cyclic: Record<string, unknown> = { name: 'loop' };
    cyclic['self'] = cyclic;
    logger.info('odd fields', { cyclic, big: 10n ** 20n });
    const [line] = await lines();
    expect(line).to.include({ message: 'odd fields', big: '100000000000000000000' });
    expect(line!['cyclic']).to.deep.equal({ name: 'loop', self: '[Circular]' });
  });

  it('writes the lines of one event-loop turn in one write, at the end of that turn', async () => {
    const { logger, lines, writes } = capturingLogger();
    for (let i = 0; i < 50; i++) logger.info('burst', { i });
    expect(writes()).to.equal(0);
    const written = await lines();
    expect(written.map((line) => line['i'])).to.deep.equal([...Array(50).keys()]);
    expect(writes()).to.equal(1);
  });

  it("keeps the context's session, user and trace when a meta object names them, the caller's under meta.<name>", async () => {
    const { logger, lines } = capturingLogger();
    runWithSession({ sessionId: 'session-real-0001', userId: 'alice' }, () => {
      context.with(trace.setSpanContext(context.active(), SPAN), () => logger.info('client data', FORGING_BODY));
    });
    const [line] = await lines();
    expect(line).to.include({
      'session.id': 'session-real-0001',
      'user.id': 'alice',
      trace_id: SPAN.traceId,
      span_id: SPAN.spanId,
      trace_flags: '01',
      note: 'kept as it is',
      'meta.session.id': 'someone-elses-session',
      'meta.user.id': 'victim',
      'meta.session.previous_id': 'older-session',
      'meta.trace_id': FORGING_BODY.trace_id,
      'meta.span_id': FORGING_BODY.span_id,
      'meta.trace_flags': '00',
      'meta.timestamp': FORGING_BODY.timestamp,
      'meta.event.name': 'session.start',
    });
    expect(line).not.to.have.any.keys('session.previous_id', 'event.name');
    expect(Object.keys(line!).slice(0, 3)).to.deep.equal(['timestamp', 'level', 'message']);
    expect(line!['timestamp']).not.to.equal(FORGING_BODY.timestamp);
  });

  it('keeps the caller\'s session.id under meta.session.id also outside any session, and from a record object or a child logger', async () => {
    const { logger, lines } = capturingLogger();
    logger.info('outside', { 'session.id': 'someone-elses-session' });
    logger.info({ message: 'as one object', 'session.id': 'someone-elses-session' });
    logger.child({ 'user.id': 'victim' }).info('from a child');
    const [outside, asObject, fromChild] = await lines();
    for (const line of [outside, asObject]) {
      expect(line).not.to.have.property('session.id');
      expect(line).to.include({ 'meta.session.id': 'someone-elses-session' });
    }
    expect(fromChild).not.to.have.property('user.id');
    expect(fromChild).to.include({ 'meta.user.id': 'victim' });
  });

  it('cuts the message and every string field longer than the limit, nested ones and keys too, marked with what was left out', async () => {
    const { logger, lines } = capturingLogger(100);
    const long = 'x'.repeat(90 * 1024);
    const nested = { inner: [long, 'short'], kept: 'short' };
    logger.error(`failed: ${long}`, { 'exception.message': long, nested, [long]: 1, count: 3, short: 'as it is' });
    const [line] = await lines();
    const cut = line!['exception.message'] as string;
    expect(cut).to.have.length.at.most(100);
    expect(cut).to.match(/^x+…\[\d+ more characters\]$/);
    expect(Number(/\[(\d+)/.exec(cut)![1]) + cut.indexOf('…')).to.equal(long.length);
    expect(line!['message']).to.match(/^failed: x+…\[\d+ more characters\]$/).and.to.have.length.at.most(100);
    expect((line!['nested'] as { inner: string[] }).inner[0]).to.equal(cut);
    expect(line!['nested']).to.deep.include({ kept: 'short' });
    expect(nested.inner[0], "the caller's object is left as it was").to.equal(long);
    expect(Object.keys(line!).filter((key) => key.startsWith('x'))).to.deep.equal([cut]);
    expect(line).to.include({ count: 3, short: 'as it is' });
  });

  it('cuts at 4096 characters by default and never splits a surrogate pair', async () => {
    const { logger, lines } = capturingLogger();
    logger.info('long', { value: 'y'.repeat(90 * 1024), emoji: '😀'.repeat(3000) });
    const [line] = await lines();
    expect(line!['value']).to.have.length.at.most(4096).and.to.have.length.above(4000);
    const emoji = line!['emoji'] as string;
    expect(emoji).to.match(/^(?:😀)+…\[\d+ more characters\]$/u);
  });

  it('respects the level, also for a level method called on its own', async () => {
    const { logger, lines } = capturingLogger();
    logger.debug('hidden');
    logger.log('debug', 'hidden too');
    logger.warn('shown');
    expect((await lines()).map((line) => line['message'])).to.deep.equal(['shown']);
  });
});
