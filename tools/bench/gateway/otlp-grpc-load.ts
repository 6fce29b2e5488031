/**
 * The gateway benchmark's load generator: sends the encoded batches (otlp-span-batches.ts) as
 * OTLP/gRPC trace exports to `endpoint`, `concurrency` exports in flight at once, each next one
 * sent as soon as one is answered: as fast as the gateway accepts them (or at a rate asked).
 * @grpc/grpc-js (a devDependency, the version the project's OTLP/gRPC exporters use); its
 * generic client sends the encoded bytes as they are, so the load costs no encoding while it runs.
 */
import { Client, credentials, status, type ServiceError } from '@grpc/grpc-js';
import { stampBatch, type EncodedBatch } from './otlp-span-batches.ts';

const EXPORT_PATH = '/opentelemetry.proto.collector.trace.v1.TraceService/Export';
const identity = (bytes: Buffer): Buffer => bytes;

/** What one load sent and how the gateway answered. */
export interface LoadResult {
  readonly exports: number;
  readonly spans: number;
  readonly sessions: number;
  /** Spans of the exports the gateway answered with an error (the memory limiter refuses with one). */
  readonly refusedSpans: number;
  /** gRPC status names of the failed exports, with their counts. */
  readonly failures: Readonly<Record<string, number>>;
}

/** A connection to the gateway; `send` runs one load on it. */
export class OtlpGrpcLoad {
  readonly #client: Client;
  readonly #batches: readonly EncodedBatch[];
  #nextSession = 0;
  #nextBatch = 0;

  constructor(endpoint: string, batches: readonly EncodedBatch[]) {
    this.#client = new Client(endpoint, credentials.createInsecure(), { 'grpc.max_send_message_length': 64 * 1024 * 1024 });
    this.#batches = batches;
  }

  #exportOnce(batch: EncodedBatch): Promise<ServiceError | null> {
    const bytes = stampBatch(batch, this.#nextSession);
    this.#nextSession += batch.sessions;
    return new Promise((resolve) => {
      this.#client.makeUnaryRequest(EXPORT_PATH, identity, identity, bytes, (error) => {
        resolve(error ?? null);
      });
    });
  }

  /**
   * Sends for `seconds` with `concurrency` exports in flight; resolves once every export is
   * answered. With `spansPerSecond`, an export waits for its time so that the spans sent keep
   * to that rate (at most: the gateway may answer slower); without it, each is sent at once.
   */
  async send(seconds: number, concurrency: number, spansPerSecond?: number): Promise<LoadResult> {
    const started = performance.now();
    const until = started + seconds * 1000;
    let scheduled = 0;
    let exports = 0;
    let spans = 0;
    let sessions = 0;
    let refusedSpans = 0;
    const failures: Record<string, number> = {};
    const worker = async (): Promise<void> => {
      while (performance.now() < until) {
        const batch = this.#batches[this.#nextBatch++ % this.#batches.length];
        if (batch === undefined) return;
        if (spansPerSecond !== undefined) {
          const at = started + (scheduled / spansPerSecond) * 1000;
          scheduled += batch.spans;
          const wait = at - performance.now();
          if (wait > 0) await new Promise((resolve) => setTimeout(resolve, wait));
        }
        const error = await this.#exportOnce(batch);
        exports++;
        spans += batch.spans;
        sessions += batch.sessions;
        if (error !== null) {
          refusedSpans += batch.spans;
          const name = status[error.code];
          failures[name] = (failures[name] ?? 0) + 1;
        }
      }
    };
    await Promise.all(Array.from({ length: concurrency }, () => worker()));
    return { exports, spans, sessions, refusedSpans, failures };
  }

  close(): void {
    this.#client.close();
  }
}
