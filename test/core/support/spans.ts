import { SpanKind } from '@opentelemetry/api';
import type { InMemorySpanExporter, ReadableSpan } from '@opentelemetry/sdk-trace';
import { registeredTelemetry } from '../../../src/core/telemetry/sdk/telemetry-registry.ts';

/**
 * The finished spans of the traces in `traceIds`, once each has its server span(s): the
 * server span ends after the response is sent, so it may still be open when the client has
 * the answer. Flushes the batch processor and polls until `deadlineMs`; the timeout names the
 * traces still missing.
 */
export async function spansOfTraces(
  exporter: InMemorySpanExporter,
  traceIds: readonly string[],
  serverSpansPerTrace = 1,
  deadlineMs = 5000,
): Promise<Map<string, ReadableSpan[]>> {
  const wanted = new Set(traceIds);
  const collect = (): Map<string, ReadableSpan[]> => {
    const byTrace = new Map<string, ReadableSpan[]>();
    for (const span of exporter.getFinishedSpans()) {
      const traceId = span.spanContext().traceId;
      if (!wanted.has(traceId)) continue;
      const spans = byTrace.get(traceId) ?? [];
      spans.push(span);
      byTrace.set(traceId, spans);
    }
    return byTrace;
  };
  const deadline = Date.now() + deadlineMs;
  for (;;) {
    await registeredTelemetry().forceFlush();
    const byTrace = collect();
    const incomplete = [...wanted].filter(
      (id) => (byTrace.get(id) ?? []).filter((span) => span.kind === SpanKind.SERVER).length < serverSpansPerTrace,
    );
    if (incomplete.length === 0) {
      // A span that ends on the same 'close' as the server span, after it, is still queued
      // when a full batch was exported between the two. A flush started now exports it.
      await registeredTelemetry().forceFlush();
      return collect();
    }
    if (Date.now() > deadline) {
      throw new Error(
        `The ${serverSpansPerTrace} server span(s) of ${incomplete.length} of ${wanted.size} traces did not arrive within ${deadlineMs} ms: ` +
          `${incomplete.slice(0, 10).join(', ')}${incomplete.length > 10 ? ', ...' : ''}`,
      );
    }
    await new Promise((resolve) => setTimeout(resolve, 20));
  }
}

/** The spans of one trace (see {@link spansOfTraces}). */
export async function spansOfTrace(
  exporter: InMemorySpanExporter,
  traceId: string,
  serverSpans = 1,
): Promise<ReadableSpan[]> {
  return (await spansOfTraces(exporter, [traceId], serverSpans)).get(traceId) ?? [];
}
