import { InMemoryLogRecordExporter, LoggerProvider, SimpleLogRecordProcessor } from '@opentelemetry/sdk-logs';
import { expect } from 'chai';
import { cutText } from '../../../../../../src/core/limits/index.ts';
import { LogValueLimitProcessor } from '../../../../../../src/core/telemetry/sdk/export/log-value-limit-processor.ts';

describe('LogValueLimitProcessor', () => {
  it('cuts every attribute, nested strings and the exception attributes taken from an error, before the exporting processor sees them', async () => {
    const exporter = new InMemoryLogRecordExporter();
    const provider = new LoggerProvider({ processors: [new LogValueLimitProcessor(64), new SimpleLogRecordProcessor({ exporter })] });
    const long = 'x'.repeat(90 * 1024);
    provider.getLogger('test').emit({
      body: 'failed',
      attributes: { plain: long, nested: { list: [long, 'short'] }, count: 2, short: 'as it is' },
      exception: new Error(long),
    });
    await provider.forceFlush();
    const [record] = exporter.getFinishedLogRecords();
    const cut = cutText(long, 64);
    expect(record!.attributes).to.deep.include({ plain: cut, nested: { list: [cut, 'short'] }, count: 2, short: 'as it is', 'exception.message': cut });
    expect(record!.attributes['exception.stacktrace']).to.be.a('string').with.length.at.most(64);
    expect(record!.body).to.equal('failed');
    await provider.shutdown();
  });
});
