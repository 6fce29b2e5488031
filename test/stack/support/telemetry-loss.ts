import type { ServiceProcess } from '../../core/support/service-process.ts';

/** A signal's delivery counters as `/readyz` reports them. */
interface Delivery {
  readonly exported: number;
  readonly droppedQueueFull: number;
  readonly failedExport: number;
}

/** The signals the service counts, by the key `/readyz` uses and the word its warnings use. */
const SIGNALS = { spans: 'spans', logRecords: 'log records' } as const;

/** A signal the service exports. */
export type Signal = keyof typeof SIGNALS;

/** The service's delivery counters of every signal, from `GET /readyz`. */
export async function deliveryAtReadiness(service: ServiceProcess): Promise<Record<Signal, Delivery>> {
  const response = await fetch(`${service.url}/readyz`);
  return ((await response.json()) as { telemetry: Record<Signal, Delivery> }).telemetry;
}

/**
 * How many items of `signal` the service counted lost (dropped from a full queue, or failed
 * to export), final once it has exited: the totals of its last "Telemetry loss" warning about
 * that signal (the shutdown reports losses of its last flush), or, when it warned of none,
 * `atReadiness` read before it stopped.
 */
export function lostByService(service: ServiceProcess, signal: Signal, atReadiness: Record<Signal, Delivery>): number {
  const pattern = new RegExp(`^Telemetry loss: \\d+ ${SIGNALS[signal]} dropped.*totals: (\\d+) exported, (\\d+) dropped, (\\d+) failed`);
  const totals = service
    .logLines()
    .map((line) => pattern.exec(typeof line['message'] === 'string' ? line['message'] : ''))
    .filter((match) => match !== null)
    .at(-1);
  if (totals !== undefined) return Number(totals[2]) + Number(totals[3]);
  return atReadiness[signal].droppedQueueFull + atReadiness[signal].failedExport;
}
