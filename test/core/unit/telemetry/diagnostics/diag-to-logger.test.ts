import { diag } from '@opentelemetry/api';
import { globalErrorHandler } from '@opentelemetry/core';
import { expect } from 'chai';
import { runWithSession } from '../../../../../src/core/context/run-with-session.ts';
import { createLogger } from '../../../../../src/core/logging/logger.ts';
import { DiagnosticsToLogger } from '../../../../../src/core/telemetry/diagnostics/diag-to-logger.ts';
import { TELEMETRY_LOSS_REPORT } from '../../../../../src/core/telemetry/diagnostics/telemetry-loss-monitor.ts';
import { capturedLog } from '../../../support/captured-log.ts';

describe('DiagnosticsToLogger', () => {
  afterEach(() => {
    diag.disable();
  });

  it('writes warnings raised before attach once the logger is attached, tagged component opentelemetry', async () => {
    const log = capturedLog();
    const diagnostics = new DiagnosticsToLogger().install();
    diag.warn('held back', new Error('boom'));
    diagnostics.attach(createLogger({ stream: log.stream }));
    diag.warn('after attach');
    diag.info('below warn');
    const lines = await log.lines();
    expect(lines.map((l) => l['message'])).to.deep.equal(['held back: boom', 'after attach']);
    expect(lines[0]).to.include({ level: 'warn', component: 'opentelemetry' });
  });

  it('writes a repeating message once per interval, counting the copies held back', async () => {
    const log = capturedLog();
    const diagnostics = new DiagnosticsToLogger({ repeatIntervalMs: 50 }).install();
    diagnostics.attach(createLogger({ stream: log.stream }));
    for (let i = 0; i < 100; i++) diag.error('export failed', new Error('ECONNREFUSED'));
    diag.warn('another problem');
    const first = await log.lines();
    expect(first.map((l) => l['message'])).to.deep.equal(['export failed: ECONNREFUSED', 'another problem']);
    expect(first[0]).to.include({ level: 'warn' });
    const later = Date.now() + 60;
    while (Date.now() < later) {
      // Wait out the interval on the clock the diagnostics read.
    }
    diag.error('export failed', new Error('ECONNREFUSED'));
    expect((await log.lines()).at(-1)).to.include({ message: 'export failed: ECONNREFUSED', repeated: 99 });
  });

  it('treats messages that differ only in numbers or ids as one message', async () => {
    const log = capturedLog();
    const diagnostics = new DiagnosticsToLogger({ repeatIntervalMs: 60_000 }).install();
    diagnostics.attach(createLogger({ stream: log.stream }));
    for (let i = 0; i < 50; i++) diag.warn(`Dropped ${i * 7} spans of trace ${(0xabcdef0123 + i).toString(16)}`);
    expect(await log.lines()).to.have.length(1);
  });

  it('writes every loss report, however soon after the last, since each carries its own counts', async () => {
    const log = capturedLog();
    const diagnostics = new DiagnosticsToLogger({ repeatIntervalMs: 60_000 }).install();
    diagnostics.attach(createLogger({ stream: log.stream }));
    const reports = [1, 2, 3].map((n) => `${TELEMETRY_LOSS_REPORT} ${n * 10} spans dropped (queue full); totals: ${n * 10} dropped`);
    for (const report of reports) diag.warn(report);
    diag.warn('export failed 1');
    diag.warn('export failed 2');
    expect((await log.lines()).map((line) => line['message'])).to.deep.equal([...reports, 'export failed 1']);
  });

  it('describes an export error reported to the SDK error handler in one sentence, without session or trace fields, when it happens inside a session', async () => {
    const log = capturedLog();
    const diagnostics = new DiagnosticsToLogger().install();
    diagnostics.attach(createLogger({ stream: log.stream }));
    const refused = Object.assign(new Error('connect ECONNREFUSED 127.0.0.1:4318'), {
      code: 'ECONNREFUSED',
      address: '127.0.0.1',
      port: 4318,
    });
    runWithSession({ sessionId: 'session-diag-1', userId: 'alice' }, () => {
      globalErrorHandler(refused);
    });
    const [line, ...others] = await log.lines();
    expect(others).to.deep.equal([]);
    expect(line).to.include({
      level: 'warn',
      component: 'opentelemetry',
      message: 'Telemetry export failed: nothing accepts connections at 127.0.0.1:4318 (ECONNREFUSED)',
    });
    expect(line).to.not.have.any.keys('session.id', 'user.id', 'trace_id', 'span_id');
  });
});
