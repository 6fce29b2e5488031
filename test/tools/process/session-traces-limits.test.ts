import { expect } from 'chai';
import { npmScriptCommand } from '../../core/support/service-process.ts';
import { startCommand, type CommandResult } from '../support/cli-process.ts';
import { startCountingJaeger, type CountingJaeger } from '../support/session-traces/counting-jaeger.ts';
import { startFakeJaeger, type FakeJaeger } from '../support/session-traces/fake-jaeger.ts';

/** Runs `command` (from the project's folder) with at most `openFiles` open files (`ulimit -n`) and `env` besides PATH. */
async function runWithOpenFileLimit(openFiles: number, command: readonly string[], env: Record<string, string>): Promise<CommandResult> {
  return startCommand('bash', ['-c', `ulimit -n ${openFiles} && exec "$@"`, 'bash', ...command], env).exited;
}

/**
 * A lookup in a process that has used up its open files first: every connection it tries
 * fails with EMFILE, before Jaeger is asked anything.
 */
const LOOKUP_WITHOUT_FILES = `
import { openSync } from 'node:fs';
const { runLookup } = await import(${JSON.stringify(new URL('../../../tools/session-traces/index.ts', import.meta.url).href)});
const held = [];
try { for (;;) held.push(openSync('/dev/null', 'r')); } catch (error) { if (error.code !== 'EMFILE') throw error; }
process.exitCode = await runLookup(['session-0001'], {
  env: process.env, stdout: process.stdout, stderr: process.stderr, interrupted: () => new Promise(() => {}),
});
`;

describe('session-traces under an open-file limit', function () {
  this.timeout(60_000);

  let counting: CountingJaeger | undefined;
  let jaeger: FakeJaeger | undefined;

  afterEach(async () => {
    await counting?.close();
    await jaeger?.close();
    counting = undefined;
    jaeger = undefined;
  });

  it('searches all 1,000 services of a Jaeger, 8 at once, and exits 1 (none found) when the process may open 256 files', async () => {
    // A session lookup searches twice per service: by session.id and by session.previous_id.
    counting = await startCountingJaeger({ services: 1000, expectedSearches: 2000, batch: 8 });
    const run = await runWithOpenFileLimit(256, [...npmScriptCommand('trace'), 'session-0001'], { JAEGER_URL: counting.url });
    expect(run.stderr).to.equal('session-traces: no traces of session session-0001 in the last 24h (searched 1000 services)\n');
    expect(run.code).to.equal(1);
    expect(counting.searches()).to.equal(2000);
    expect(counting.maxPending(), 'searches at once').to.equal(8);
  });

  it('says the process ran out of open files, not that Jaeger is down, and exits 2, when no connection can be opened', async () => {
    // Never asked (checked below); an answer would only be refused.
    jaeger = await startFakeJaeger((_request, response) => {
      response.writeHead(500).end();
    });
    const run = await runWithOpenFileLimit(64, [process.execPath, '--input-type=module', '--eval', LOOKUP_WITHOUT_FILES], { JAEGER_URL: jaeger.url });
    expect(run.stderr).to.equal(
      `session-traces: Jaeger at ${jaeger.url} could not be asked: this machine could not open a connection (EMFILE: too many open files); raise the open-file limit (ulimit -n)\n`,
    );
    expect(run.code).to.equal(2);
    expect(jaeger.requests).to.deep.equal([]);
  });
});
