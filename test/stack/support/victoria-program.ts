import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { freePort } from '../../core/support/ports.ts';
import { startProgram, waitUntilAnswering, type RunningProgram } from './observability-stack.ts';

/** How to start one of VictoriaMetrics' programs (VictoriaLogs, VictoriaMetrics): the same flags for data, address and health. */
export interface VictoriaProgramOptions {
  /** Its name in failure messages. */
  readonly what: string;
  readonly binary: string;
  /** Flags beside `-storageDataPath` and `-httpListenAddr`. */
  readonly flags?: readonly string[];
  /** Its HTTP port on 127.0.0.1. Default: a free one, chosen again if another process takes it first. */
  readonly port?: number;
  /** Its data directory. Default: a new temporary directory, removed if the program does not start. */
  readonly storageDataPath?: string;
}

/** A started Victoria program, answering `/health`. */
export interface VictoriaProgram extends RunningProgram {
  /** `http://127.0.0.1:<port>`. */
  readonly baseUrl: string;
  readonly port: number;
  readonly storageDataPath: string;
  /** Stops it (like `stop()`) and deletes its data directory. */
  discard(): Promise<void>;
}

/** Attempts at starting on a free port: the port is chosen ahead, and another process may take it first. */
const START_ATTEMPTS = 3;

/**
 * Starts `binary` with `-storageDataPath` and `-httpListenAddr=127.0.0.1:<port>` (and `flags`),
 * and resolves once `/health` answers 2xx. Without `port`, a free port is chosen, and chosen
 * again when the program exits with "address already in use"; with `port`, that port or a
 * failure. Its output (stdout and stderr, the last 20,000 characters) is kept for failure
 * messages.
 */
export async function startVictoriaProgram(options: VictoriaProgramOptions): Promise<VictoriaProgram> {
  const storageDataPath = options.storageDataPath ?? (await mkdtemp(join(tmpdir(), `${options.what.toLowerCase()}-`)));
  for (let attempt = 1; ; attempt++) {
    const port = options.port ?? (await freePort());
    const baseUrl = `http://127.0.0.1:${port}`;
    const program = startProgram(options.binary, [`-storageDataPath=${storageDataPath}`, `-httpListenAddr=127.0.0.1:${port}`, ...(options.flags ?? [])], {});
    try {
      await waitUntilAnswering([`${baseUrl}/health`], program, options.what);
    } catch (error) {
      await program.stop();
      if (options.port === undefined && attempt < START_ATTEMPTS && /address already in use/i.test(program.output())) continue;
      if (options.storageDataPath === undefined) await rm(storageDataPath, { recursive: true, force: true });
      throw error;
    }
    return {
      child: program.child,
      output: () => program.output(),
      stop: () => program.stop(),
      discard: async () => {
        await program.stop();
        await rm(storageDataPath, { recursive: true, force: true });
      },
      baseUrl,
      port,
      storageDataPath,
    };
  }
}
