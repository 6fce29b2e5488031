import { Router } from 'express';
import { getByKey, SessionMapKey, type RoutesFactory } from '../core/index.ts';
import { readExampleConfig } from './example-config.ts';
import { createExampleJobs } from './example-jobs.ts';
import { userFromQuery } from './user-from-query.ts';

/** What `GET /api/hello` answers. */
export interface Hello {
  readonly message: string;
  readonly sessionId: string | null;
  readonly userId: string | null;
}

/**
 * The example's routes, for `startService({ routes: [exampleRoutes] })`, mounted under `/api`
 * after the core's session middleware. Each accepts `?user=<id>` ({@link userFromQuery}), which
 * applies to these two routes only, not to the other routes under `/api`.
 *
 * - `GET /api/hello`: `{"message", "sessionId", "userId"}`, read from the session with `getByKey`.
 * - `POST /api/jobs`: 202 `{"jobId", "sessionId"}` at once; the job runs afterwards, outside
 *   the request, in the request's session (`runWithSession`), and fetches EXAMPLE_JOB_URL
 *   when set (see `createExampleJobs`).
 *
 * Reads its own variable, EXAMPLE_JOB_URL, with `readConfigFrom(service.env, …)`.
 */
export const exampleRoutes: RoutesFactory = ({ env, logger }) => {
  const config = readExampleConfig(env);
  const jobs = createExampleJobs(config.jobUrl, logger);
  const router = Router();

  // The stand-in authentication on the example's own routes only: `router.use` would run it
  // for every request under /api, also for the routes a service adds after this router.
  router.get('/hello', userFromQuery, (_req, res) => {
    const userId = getByKey(SessionMapKey.USER_ID);
    logger.info('said hello');
    const hello: Hello = {
      message: userId === undefined ? 'Hello!' : `Hello, ${userId}!`,
      sessionId: getByKey(SessionMapKey.SESSION_ID) ?? null,
      userId: userId ?? null,
    };
    res.json(hello);
  });

  router.post('/jobs', userFromQuery, (_req, res) => {
    const sessionId = getByKey(SessionMapKey.SESSION_ID);
    // The core's session middleware runs before every route: no session here is a bug.
    if (sessionId === undefined) throw new Error('POST /api/jobs ran outside a session');
    const userId = getByKey(SessionMapKey.USER_ID);
    // What the job needs of the session goes into its message, as it would into a queue's.
    const jobId = jobs.enqueue({ sessionId, ...(userId === undefined ? {} : { userId }) });
    logger.info('example job queued', { 'job.id': jobId });
    res.status(202).json({ jobId, sessionId });
  });

  return router;
};
