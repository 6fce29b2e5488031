/**
 * The figures of `npm run bench:gateway` for one decision window, from what was measured, and
 * the markdown table it prints.
 */

/** What one run against one decision window measured (counts are the gateway's own metrics). */
export interface GatewayMeasurement {
  readonly decisionWait: string;
  /** Seconds of the measured load (after the warm-up). */
  readonly seconds: number;
  /** Spans the gateway accepted and refused during the measured load. */
  readonly acceptedSpans: number;
  readonly refusedSpans: number;
  /** Every span the gateway accepted, warm-up included, and sent on by the end of the drain. */
  readonly totalAcceptedSpans: number;
  readonly totalSentSpans: number;
  readonly sendFailedSpans: number;
  /** Traces decided by the end of the drain, and let go undecided because num_traces were held. */
  readonly decidedTraces: number;
  readonly droppedTooEarly: number;
  /** Entries tail_sampling opened for the spans accepted (traces, or sessions when keyed by session). */
  readonly newEntries: number;
  /** The rate asked for (spans/s), or null when sent as fast as the gateway answered. */
  readonly targetSpansPerSecond: number | null;
  /** Sessions sent (warm-up included) and how many of them had a failing request. */
  readonly sessions: number;
  readonly errorSessions: number;
  /** The gateway's CPU seconds from ready to the end of the drain, and during the measured load. */
  readonly gatewayCpuSeconds: number;
  readonly gatewayCpuSecondsUnderLoad: number;
  readonly peakRssMiB: number;
  readonly loadGeneratorCpuSeconds: number;
  readonly sinkCpuSeconds: number;
}

/** The figures derived from a measurement. */
export interface GatewayFigures {
  readonly decisionWait: string;
  readonly acceptedSpansPerSecond: number;
  readonly refusedSpans: number;
  readonly droppedTooEarly: number;
  readonly targetSpansPerSecond: number | null;
  /** Spans sent on per second accepted: the share tail sampling kept, times the accepted rate. */
  readonly exportedSpansPerSecond: number;
  readonly keptShare: number;
  /** The gateway's CPU µs per accepted span (receive, hold, decide, export). */
  readonly cpuMicrosPerSpan: number;
  /** CPU cores the gateway kept busy under load. */
  readonly gatewayCores: number;
  readonly peakRssMiB: number;
  readonly loadGeneratorCpuMicrosPerSpan: number;
  readonly sinkCpuMicrosPerSpan: number;
}

const round = (value: number, digits: number): number => Math.round(value * 10 ** digits) / 10 ** digits;

export function gatewayFigures(measured: GatewayMeasurement): GatewayFigures {
  const accepted = Math.max(measured.totalAcceptedSpans, 1);
  const keptShare = measured.totalSentSpans / accepted;
  const acceptedSpansPerSecond = measured.acceptedSpans / measured.seconds;
  return {
    decisionWait: measured.decisionWait,
    acceptedSpansPerSecond: Math.round(acceptedSpansPerSecond),
    refusedSpans: measured.refusedSpans,
    droppedTooEarly: measured.droppedTooEarly,
    targetSpansPerSecond: measured.targetSpansPerSecond,
    exportedSpansPerSecond: Math.round(acceptedSpansPerSecond * keptShare),
    keptShare: round(keptShare, 3),
    cpuMicrosPerSpan: round((measured.gatewayCpuSeconds * 1e6) / accepted, 1),
    gatewayCores: round(measured.gatewayCpuSecondsUnderLoad / measured.seconds, 2),
    peakRssMiB: measured.peakRssMiB,
    loadGeneratorCpuMicrosPerSpan: round((measured.loadGeneratorCpuSeconds * 1e6) / accepted, 1),
    sinkCpuMicrosPerSpan: round((measured.sinkCpuSeconds * 1e6) / accepted, 1),
  };
}

/** The markdown table of the figures, one row per decision window. */
export function gatewayTable(figures: readonly GatewayFigures[]): string[] {
  return [
    '| decision window | rate asked spans/s | accepted spans/s | refused spans | traces dropped undecided | exported spans/s | kept share | gateway CPU µs a span | gateway cores busy | peak RSS MiB | load generator CPU µs a span |',
    '| --- | ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: |',
    ...figures.map(
      (row) =>
        `| ${row.decisionWait} | ${row.targetSpansPerSecond ?? 'as fast as accepted'} | ${row.acceptedSpansPerSecond} | ${row.refusedSpans} | ${row.droppedTooEarly} | ${row.exportedSpansPerSecond} | ${row.keptShare} | ${row.cpuMicrosPerSpan} | ${row.gatewayCores} | ${row.peakRssMiB} | ${row.loadGeneratorCpuMicrosPerSpan} |`,
    ),
  ];
}

/**
 * Whether the gateway kept up with a run: nothing refused (the memory limiter), no trace let go
 * undecided (num_traces full), nothing failed on export, and, at an asked rate, at least 95% of
 * it accepted (the gateway answering slower than asked is falling behind too).
 */
export function keptUp(measured: GatewayMeasurement): boolean {
  const accepted = measured.acceptedSpans / measured.seconds;
  return (
    measured.refusedSpans === 0 &&
    measured.droppedTooEarly === 0 &&
    measured.sendFailedSpans === 0 &&
    (measured.targetSpansPerSecond === null || accepted >= 0.95 * measured.targetSpansPerSecond)
  );
}

/**
 * The rate (spans/s) at which tail_sampling's `numTraces` entries fill before the oldest is
 * decided: entries live the window plus up to the decision tick (1 s), and each entry takes
 * the spans a second divided by the spans an entry (measured: accepted spans over entries opened).
 */
export function heldEntriesCeiling(measured: GatewayMeasurement, numTraces: number, windowSeconds: number): number | undefined {
  if (measured.newEntries === 0) return undefined;
  return Math.round((numTraces * (measured.totalAcceptedSpans / measured.newEntries)) / (windowSeconds + 1));
}
