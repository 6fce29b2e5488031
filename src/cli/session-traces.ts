#!/usr/bin/env node
/**
 * `session-traces <sessionId>` (or `npm run trace -- <sessionId>`): every trace of a session
 * across services, from Jaeger. See src/trace-lookup/ and the README.
 */
import { once } from 'node:events';
import { runLookup } from '../trace-lookup/run-lookup.ts';

process.exitCode = await runLookup(process.argv.slice(2), {
  env: process.env,
  stdout: process.stdout,
  stderr: process.stderr,
  interrupted: () => once(process, 'SIGINT').then(() => undefined),
});
