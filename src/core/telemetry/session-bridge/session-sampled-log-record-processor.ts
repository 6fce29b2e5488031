import { trace, type Context } from '@opentelemetry/api';
import type { LogRecordProcessor, ReadWriteLogRecord } from '@opentelemetry/sdk-logs';
import { decidedTraceFlags } from './session-trace.ts';

/**
 * Under session sampling, gives each log record the trace flags that tell the truth about its
 * trace (`decidedTraceFlags`): the record takes its flags from the span it was logged in,
 * whose own sampled flag only says the trace is recorded until its root ends; a record of a
 * dropped session would point at a trace that is never exported. The decision is the
 * session's at the moment of the record, as for the JSON line's `trace_flags`.
 *
 * Put it before the exporting processors; it exports nothing itself.
 */
export class SessionSampledLogRecordProcessor implements LogRecordProcessor {
  onEmit(logRecord: ReadWriteLogRecord, context?: Context): void {
    const span = context === undefined ? undefined : trace.getSpan(context);
    const spanContext = logRecord.spanContext;
    if (span === undefined || spanContext === undefined || span.spanContext().spanId !== spanContext.spanId) return;
    const traceFlags = decidedTraceFlags(span);
    if (traceFlags !== spanContext.traceFlags) logRecord.spanContext = { ...spanContext, traceFlags };
  }

  forceFlush(): Promise<void> {
    return Promise.resolve();
  }

  shutdown(): Promise<void> {
    return Promise.resolve();
  }
}
