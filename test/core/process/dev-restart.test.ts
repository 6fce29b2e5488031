import { spawn, type ChildProcess } from 'node:child_process';
import { once } from 'node:events';
import { appendFileSync, copyFileSync, mkdirSync, mkdtempSync, rmSync, symlinkSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { expect } from 'chai';
import { closedPort } from '../support/ports.ts';
import { waitFor } from '../support/service-process.ts';

const projectRoot = fileURLToPath(new URL('../../../', import.meta.url));

/** The bound for stopping the old process on a restart when no collector answers. */
const STOP_BOUND_MS = 1000;

/**
 * A tiny service in a temporary folder laid out as a project made from the template: this
 * repository's package.json (its `dev` script), node_modules and src/core linked in, and a
 * src/main.ts of its own that the test can change.
 */
function tinyProject(): string {
  const root = mkdtempSync(join(tmpdir(), 'dev-loop-'));
  copyFileSync(join(projectRoot, 'package.json'), join(root, 'package.json'));
  symlinkSync(join(projectRoot, 'node_modules'), join(root, 'node_modules'));
  mkdirSync(join(root, 'src'));
  symlinkSync(join(projectRoot, 'src/core'), join(root, 'src/core'));
  writeFileSync(join(root, 'src/main.ts'), "import { startService } from './core/index.ts';\n\nstartService();\n");
  return root;
}

describe('npm run dev', () => {
  let root: string | undefined;
  let npm: ChildProcess | undefined;

  afterEach(async () => {
    if (npm?.pid !== undefined && npm.exitCode === null && npm.signalCode === null) {
      const closed = once(npm, 'close');
      process.kill(-npm.pid, 'SIGKILL');
      await closed;
    }
    npm = undefined;
    if (root !== undefined) rmSync(root, { recursive: true, force: true });
    root = undefined;
  });

  it('restarts the service when a file under src/ changes, stopping the old one within a second when no collector answers', async function () {
    this.timeout(120_000);
    root = tinyProject();
    // Its own process group: the test ends npm, the watcher and the service together.
    const child = spawn('npm', ['run', 'dev'], {
      cwd: root,
      detached: true,
      env: { PATH: process.env['PATH'] ?? '', PORT: '0', HOST: '127.0.0.1', OTEL_EXPORTER_OTLP_ENDPOINT: `http://127.0.0.1:${await closedPort()}` },
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    npm = child;
    let output = '';
    child.stdout.on('data', (chunk: Buffer) => (output += chunk.toString('utf8')));
    child.stderr.on('data', (chunk: Buffer) => (output += chunk.toString('utf8')));
    const lines = (): Record<string, unknown>[] =>
      output
        .split('\n')
        .filter((line) => line.startsWith('{'))
        .map((line) => JSON.parse(line) as Record<string, unknown>);
    const count = (message: string): number => lines().filter((line) => line['message'] === message).length;

    await waitFor('the first "listening" line', () => count('listening') === 1, 60_000, () => output);
    const changed = performance.now();
    appendFileSync(join(root, 'src/main.ts'), '// changed\n');
    await waitFor('the second "listening" line', () => count('listening') === 2, 60_000, () => output);
    const restart = performance.now() - changed;

    const stopping = lines().find((line) => line['message'] === 'shutting down');
    const stopped = lines().find((line) => line['message'] === 'shutdown complete');
    expect(stopping, output).to.include({ signal: 'SIGTERM' });
    const stopMs = Date.parse(String(stopped?.['timestamp'])) - Date.parse(String(stopping?.['timestamp']));
    expect(stopMs, `the old service took ${stopMs} ms to stop; the whole restart ${Math.round(restart)} ms`).to.be.below(STOP_BOUND_MS);
    expect(restart, 'the whole restart (the new process starting included), generous for a busy machine').to.be.below(10_000);

    // Ctrl-C in a terminal: SIGINT to the whole foreground group (npm, the watcher, the service).
    const closed = once(child, 'close');
    const interrupted = performance.now();
    process.kill(-child.pid!, 'SIGINT');
    await closed;
    const exitMs = performance.now() - interrupted;
    console.log(`      restart ${Math.round(restart)} ms (old service stopped in ${stopMs} ms); Ctrl-C to exit ${Math.round(exitMs)} ms`);
    expect(exitMs, `Ctrl-C to exit took ${Math.round(exitMs)} ms`).to.be.below(STOP_BOUND_MS);
    // One graceful shutdown, not cut short: the signal's copies (the terminal's and the watcher's) count as one.
    expect(count('shutdown complete'), output).to.equal(2);
    expect(output).not.to.include('exiting at once on a second signal');
  });
});
