import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { runCreateService } from '../../../tools/create-service/index.ts';

/** What one run of `create-service` printed and returned. */
export interface CreateServiceRun {
  readonly code: number;
  readonly stdout: string;
  readonly stderr: string;
}

/**
 * Runs `create-service <argv>` in this process, as if typed in `cwd`, with this process's
 * environment unless `env` is given, and captures its output.
 */
export async function createService(argv: readonly string[], cwd: string, env: Readonly<Record<string, string | undefined>> = process.env): Promise<CreateServiceRun> {
  let stdout = '';
  let stderr = '';
  const code = await runCreateService(argv, {
    stdout: { write: (text: string) => (stdout += text) },
    stderr: { write: (text: string) => (stderr += text) },
    cwd,
    env,
  });
  return { code, stdout, stderr };
}

/** A fresh, empty temporary directory, and its removal. */
export interface TempDir {
  readonly path: string;
  remove(): void;
}

/** Makes a {@link TempDir} under the system's temporary directory. */
export function makeTempDir(prefix = 'create-service-'): TempDir {
  const path = mkdtempSync(join(tmpdir(), prefix));
  return {
    path,
    remove: () => {
      rmSync(path, { recursive: true, force: true });
    },
  };
}
