import { AsyncResource } from 'node:async_hooks';
import { randomUUID } from 'node:crypto';
import { SpanStatusCode, trace } from '@opentelemetry/api';
import { runWithSession, type InitialSessionValues, type Logger } from '../core/index.ts';

/** How long a job waits for EXAMPLE_JOB_URL. */
const JOB_CALL_TIMEOUT_MS = 5000;

const tracer = trace.getTracer('example-jobs');

/** A job as a queue message carries it: the session travels in the message, not in a context. */
export interface ExampleJob {
  readonly jobId: string;
  readonly session: InitialSessionValues;
}

/** The example's background jobs. */
export interface ExampleJobs {
  /** Queues a job in `session` and answers its id at once; the job runs after the caller's turn. */
  enqueue(session: InitialSessionValues): string;
}

/**
 * An in-process stand-in for a message queue and its consumer. Each job runs through
 * `runWithSession` with the session its message carries: a span of its own (a new trace: the
 * request that queued it has long answered), a log line, and a GET of `jobUrl` when set, whose
 * `baggage` carries the session. A failing job logs a warning; it never throws.
 *
 * The consumer is bound to the context it is created in (startup, outside any request), as a
 * real consumer receives messages outside the request that sent them. Without
 * `runWithSession` a job would have no session: no `session.id` on its spans, log lines or
 * outgoing call.
 */
export function createExampleJobs(jobUrl: URL | undefined, logger: Logger): ExampleJobs {
  const consume = AsyncResource.bind((job: ExampleJob): void => {
    setImmediate(() => {
      void runWithSession(job.session, () => runJob(job, jobUrl, logger));
    });
  });
  return {
    enqueue: (session) => {
      const job: ExampleJob = { jobId: randomUUID(), session };
      consume(job);
      return job.jobId;
    },
  };
}

/** One job, in its session. Never rejects: a failure is logged and marked on its span. */
async function runJob(job: ExampleJob, jobUrl: URL | undefined, logger: Logger): Promise<void> {
  await tracer.startActiveSpan('example job', async (span) => {
    span.setAttribute('job.id', job.jobId);
    try {
      let status: number | undefined;
      if (jobUrl !== undefined) {
        const response = await fetch(jobUrl, { signal: AbortSignal.timeout(JOB_CALL_TIMEOUT_MS) });
        // Read to the end, so the connection goes back to the pool.
        await response.arrayBuffer();
        status = response.status;
      }
      logger.info('example job done', { 'job.id': job.jobId, ...(status === undefined ? {} : { 'http.response.status_code': status }) });
    } catch (error) {
      span.setStatus({ code: SpanStatusCode.ERROR });
      logger.warn('example job failed', { 'job.id': job.jobId, 'error.type': error instanceof Error ? error.name : typeof error });
    } finally {
      span.end();
    }
  });
}
