import { setTimeout as sleep } from 'node:timers/promises';
import { expect } from 'chai';
import { SessionMapKey } from '../../../../src/core/context/session-map-key.ts';
import { runWithSession } from '../../../../src/core/context/run-with-session.ts';
import { setByKey } from '../../../../src/core/context/session-storage.ts';
import { createLogger, type Logger } from '../../../../src/core/logging/logger.ts';
import { capturedLog, type CapturedLog } from '../../support/captured-log.ts';

function capturingLogger(): { logger: Logger; lines: CapturedLog['lines']; writes: () => number } {
  const log = capturedLog();
  let writes = 0;
  log.stream.on('data', () => (writes += 1));
  return { logger: createLogger({ level: 'info', stream: log.stream }), lines: () => log.lines(), writes: () => writes };
}

describe('createLogger', () => {
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

  it('respects the level, also for a level method called on its own', async () => {
    const { logger, lines } = capturingLogger();
    logger.debug('hidden');
    logger.log('debug', 'hidden too');
    logger.warn('shown');
    expect((await lines()).map((line) => line['message'])).to.deep.equal(['shown']);
  });
});
