import { PassThrough } from 'node:stream';
import { diag } from '@opentelemetry/api';
import { expect } from 'chai';
import { createLogger } from '../../../src/logging/logger.ts';
import { DiagnosticsToLogger } from '../../../src/telemetry/diag-to-logger.ts';

describe('DiagnosticsToLogger', () => {
  afterEach(() => {
    diag.disable();
  });

  it('writes warnings raised before attach once the logger is attached, tagged component opentelemetry', () => {
    const stream = new PassThrough();
    let text = '';
    stream.on('data', (chunk: Buffer) => (text += chunk.toString('utf8')));
    const diagnostics = new DiagnosticsToLogger().install();
    diag.warn('held back', new Error('boom'));
    diagnostics.attach(createLogger({ stream }));
    diag.warn('after attach');
    diag.info('below warn');
    const lines = text.split('\n').filter(Boolean).map((l) => JSON.parse(l) as Record<string, unknown>);
    expect(lines.map((l) => l['message'])).to.deep.equal(['held back', 'after attach']);
    expect(lines[0]).to.include({ level: 'warn', component: 'opentelemetry' });
    expect(lines[0]!['details']).to.deep.equal(['Error: boom']);
  });

  it('writes a repeating message once per interval, counting the copies held back', () => {
    const stream = new PassThrough();
    let text = '';
    stream.on('data', (chunk: Buffer) => (text += chunk.toString('utf8')));
    const diagnostics = new DiagnosticsToLogger({ repeatIntervalMs: 50 }).install();
    diagnostics.attach(createLogger({ stream }));
    for (let i = 0; i < 100; i++) diag.error('export failed', new Error('ECONNREFUSED'));
    diag.warn('another problem');
    const lines = (): Record<string, unknown>[] => text.split('\n').filter(Boolean).map((l) => JSON.parse(l) as Record<string, unknown>);
    expect(lines().map((l) => l['message'])).to.deep.equal(['export failed', 'another problem']);
    expect(lines()[0]).to.include({ level: 'warn' });
    const later = Date.now() + 60;
    while (Date.now() < later) {
      // Wait out the interval without yielding: the logger writes synchronously.
    }
    diag.error('export failed', new Error('ECONNREFUSED'));
    expect(lines().at(-1)).to.include({ message: 'export failed', repeated: 99 });
  });

  it('treats messages that differ only in numbers or ids as one message', () => {
    const stream = new PassThrough();
    let text = '';
    stream.on('data', (chunk: Buffer) => (text += chunk.toString('utf8')));
    const diagnostics = new DiagnosticsToLogger({ repeatIntervalMs: 60_000 }).install();
    diagnostics.attach(createLogger({ stream }));
    for (let i = 0; i < 50; i++) diag.warn(`Dropped ${i * 7} spans of trace ${(0xabcdef0123 + i).toString(16)}`);
    expect(text.split('\n').filter(Boolean)).to.have.length(1);
  });
});
