#!/usr/bin/env node
/**
 * `npm run update-core -- <template checkout or git URL>`: merges a newer template's core into
 * this service. See tools/update-core/ and `--help`.
 */
import { runUpdateCore, UPDATE_CORE_EXIT } from './run-update-core.ts';

try {
  process.exitCode = await runUpdateCore(process.argv.slice(2), {
    stdout: process.stdout,
    stderr: process.stderr,
    // npm runs scripts in the package root (the service); INIT_CWD is where the user typed the command.
    serviceDir: process.cwd(),
    cwd: process.env['INIT_CWD'] ?? process.cwd(),
    env: process.env,
  });
} catch (error) {
  process.stderr.write(`update-core: unexpected failure (please report it): ${error instanceof Error ? (error.stack ?? error.message) : String(error)}\n`);
  process.exitCode = UPDATE_CORE_EXIT.FAILED;
}
