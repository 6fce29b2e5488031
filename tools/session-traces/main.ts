#!/usr/bin/env node
/**
 * `session-traces <sessionId>` (or `npm run trace -- <sessionId>`): every trace of a session
 * across services, from Jaeger. See docs/session-lookup.md.
 */
import { once } from 'node:events';
import { EXIT, runLookup } from './index.ts';

try {
  process.exitCode = await runLookup(process.argv.slice(2), {
    env: process.env,
    stdout: process.stdout,
    stderr: process.stderr,
    interrupted: () => once(process, 'SIGINT').then(() => undefined),
  });
} catch (error) {
  // A bug, not an answer about the session: exit 2, never Node's 1, which means "none found".
  process.stderr.write(`session-traces: unexpected failure (please report it): ${error instanceof Error ? (error.stack ?? error.message) : String(error)}\n`);
  process.exitCode = EXIT.FAILED;
}
