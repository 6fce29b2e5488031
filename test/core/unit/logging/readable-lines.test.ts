import { PassThrough } from 'node:stream';
import { setImmediate as nextTurn } from 'node:timers/promises';
import { expect } from 'chai';
import { runWithSession } from '../../../../src/core/context/run-with-session.ts';
import { chooseLogFormat } from '../../../../src/core/logging/log-format.ts';
import { createLogger } from '../../../../src/core/logging/logger.ts';

/** A pretty logger writing into memory, and its lines once written. */
function prettyLogger(): { logger: ReturnType<typeof createLogger>; lines: () => Promise<string[]> } {
  const stream = new PassThrough();
  let text = '';
  stream.on('data', (chunk: Buffer) => (text += chunk.toString('utf8')));
  return {
    logger: createLogger({ level: 'info', stream, format: 'pretty' }),
    lines: async () => {
      await nextTurn();
      return text.split('\n').filter(Boolean);
    },
  };
}

describe('chooseLogFormat', () => {
  it('chooses readable lines for auto when stdout is a terminal, JSON when it is not or unknown', () => {
    expect(chooseLogFormat('auto', true)).to.equal('pretty');
    expect(chooseLogFormat('auto', false)).to.equal('json');
    expect(chooseLogFormat('auto', undefined)).to.equal('json');
  });

  it('follows LOG_FORMAT json or pretty whatever stdout is', () => {
    expect(chooseLogFormat('json', true)).to.equal('json');
    expect(chooseLogFormat('pretty', false)).to.equal('pretty');
  });
});

describe('readableLineFormat', () => {
  it('writes time, level, message, shortened session id, then fields as key=value when the format is pretty', async () => {
    const { logger, lines } = prettyLogger();
    await runWithSession({ sessionId: 'session-readable-0001' }, () => {
      logger.warn('request completed', { method: 'GET', status: 200, note: 'two words', nested: { a: 1 } });
      return Promise.resolve();
    });
    const [line] = await lines();
    expect(line).to.match(/^\d\d:\d\d:\d\d\.\d{3} WARN {2}request completed session=session- method=GET status=200 note="two words" nested=\{ a: 1 \}$/);
  });

  it('strips control characters from the message, keys and values when they would break or forge a line', async () => {
    const { logger, lines } = prettyLogger();
    logger.info('evil\nINFO forged\u001b[2J', { 'k\ney': 'v\r\nalue\u0007', other: '\u009b31m' });
    const written = await lines();
    expect(written).to.have.length(1);
    expect(written[0]).to.match(/^\d\d:\d\d:\d\d\.\d{3} INFO {2}evilINFO forged\[2J key=value other=31m$/);
    expect(written[0]).not.to.match(/\p{Cc}/u);
  });

  it('strips the characters a terminal draws as nothing: zero-width, bidirectional controls, tag characters', async () => {
    const { logger, lines } = prettyLogger();
    logger.info('pay\u200b \u202eevil', { 'note\u2060': 'a\u{E0041}b\uFEFF', flag: 'x\u200dy' });
    const [line] = await lines();
    expect(line).to.match(/ INFO {2}pay evil note=ab flag=xy$/);
    expect(line).not.to.match(/[\p{Cf}\p{Default_Ignorable_Code_Point}]/u);
  });

  it("shows the context's session, the caller's under meta.session.id, when a meta object names another", async () => {
    const { logger, lines } = prettyLogger();
    runWithSession({ sessionId: 'session-readable-0002' }, () => logger.info('client data', { 'session.id': 'someone-elses-session' }));
    const [line] = await lines();
    expect(line).to.match(/ INFO {2}client data session=session- meta\.session\.id=someone-elses-session$/);
  });
});
