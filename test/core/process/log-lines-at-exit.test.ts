import { execFile } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import { expect } from 'chai';

const root = fileURLToPath(new URL('../../../', import.meta.url));

/** Runs `body` after creating a stdout logger `logger`; resolves with its exit code and stdout. */
function runWithLogger(body: string): Promise<{ code: number | null; stdout: string }> {
  const script = `import { createLogger } from './src/core/logging/index.ts';\nconst logger = createLogger();\n${body}`;
  return new Promise((resolve) => {
    execFile(process.execPath, ['--input-type=module', '-e', script], { cwd: root }, (error, stdout) => {
      resolve({ code: error === null ? 0 : (error.code as number | null), stdout });
    });
  });
}

const messages = (stdout: string): unknown[] =>
  stdout.split('\n').filter(Boolean).map((line) => (JSON.parse(line) as { message: unknown }).message);

describe('log lines at exit (lines are written at the end of their event-loop turn)', () => {
  it('writes the lines of the last turn when the process calls process.exit in that turn', async () => {
    const { code, stdout } = await runWithLogger(`logger.info('first'); logger.warn('last words'); process.exit(3);`);
    expect(code).to.equal(3);
    expect(messages(stdout)).to.deep.equal(['first', 'last words']);
  });

  it('writes the lines logged just before an uncaught exception ends the process', async () => {
    const { code, stdout } = await runWithLogger(`setTimeout(() => { logger.error('about to fail'); throw new Error('boom'); }, 1);`);
    expect(code).to.equal(1);
    expect(messages(stdout)).to.deep.equal(['about to fail']);
  });
});
