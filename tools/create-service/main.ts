#!/usr/bin/env node
/**
 * `npm run create-service -- <dir> --name <service-name> [--dry-run]`: a new service project
 * with this template's core. See tools/create-service/ and `--help`.
 */
import { EXIT, runCreateService } from './run-create-service.ts';

try {
  process.exitCode = await runCreateService(process.argv.slice(2), {
    stdout: process.stdout,
    stderr: process.stderr,
    // npm runs scripts in the package root; INIT_CWD is where the user typed the command.
    cwd: process.env['INIT_CWD'] ?? process.cwd(),
    env: process.env,
  });
} catch (error) {
  process.stderr.write(`create-service: unexpected failure (please report it): ${error instanceof Error ? (error.stack ?? error.message) : String(error)}\n`);
  process.exitCode = EXIT.FAILED;
}
