/**
 * The example: routes that read and set the session, and a background job that runs in the
 * session and calls out. Copy what you need, then delete this folder, test/example/ and its
 * line in src/main.ts.
 */
export { exampleRoutes, type Hello } from './example-routes.ts';
export { readExampleConfig, type ExampleConfig } from './example-config.ts';
export { createExampleJobs, type ExampleJob, type ExampleJobs } from './example-jobs.ts';
export { userFromQuery } from './user-from-query.ts';
