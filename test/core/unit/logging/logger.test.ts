import { PassThrough } from 'node:stream';
import { setTimeout as sleep } from 'node:timers/promises';
import { expect } from 'chai';
import { SessionMapKey } from '../../../../src/core/context/session-map-key.ts';
import { runWithSession } from '../../../../src/core/context/run-with-session.ts';
import { setByKey } from '../../../../src/core/context/session-storage.ts';
import { createLogger, type Logger } from '../../../../src/core/logging/logger.ts';

function capturingLogger(): { logger: Logger; lines: () => string[] } {
  const stream = new PassThrough();
  let text = '';
  stream.on('data', (chunk: Buffer) => (text += chunk.toString('utf8')));
  return { logger: createLogger({ level: 'info', stream }), lines: () => text.split('\n').filter(Boolean) };
}

describe('createLogger', () => {
  it('writes one JSON object per line with timestamp, level and message', () => {
    const { logger, lines } = capturingLogger();
    logger.info('hello', { answer: 42 });
    const [line] = lines();
    const parsed = JSON.parse(line!) as Record<string, unknown>;
    expect(parsed).to.include({ level: 'info', message: 'hello', answer: 42 });
    expect(parsed['timestamp']).to.be.a('string');
  });

  it('adds session.id and user.id as they are when the line is written', async () => {
    const { logger, lines } = capturingLogger();
    await runWithSession({ sessionId: 'session-log-1' }, async () => {
      logger.info('anonymous');
      setByKey(SessionMapKey.USER_ID, 'mallory-not');
      await sleep(1);
      logger.info('identified');
    });
    const [first, second] = lines().map((line) => JSON.parse(line) as Record<string, unknown>);
    expect(first).to.include({ 'session.id': 'session-log-1' });
    expect(first).not.to.have.property('user.id');
    expect(second).to.include({ 'session.id': 'session-log-1', 'user.id': 'mallory-not' });
  });

  it('leaves the session fields out outside any session', () => {
    const { logger, lines } = capturingLogger();
    logger.info('no session');
    const parsed = JSON.parse(lines()[0]!) as Record<string, unknown>;
    expect(parsed).not.to.have.property('session.id');
  });

  it('escapes control characters so a value can neither start a line nor forge a field', () => {
    const { logger, lines } = capturingLogger();
    logger.info('evil\n{"level":"error","message":"forged"}', { value: 'a\r\nb\u0000' });
    expect(lines()).to.have.length(1);
    const parsed = JSON.parse(lines()[0]!) as Record<string, unknown>;
    expect(parsed['level']).to.equal('info');
    expect(parsed['value']).to.equal('a\r\nb\u0000');
  });

  it('respects the level', () => {
    const { logger, lines } = capturingLogger();
    logger.debug('hidden');
    expect(lines()).to.have.length(0);
  });
});
