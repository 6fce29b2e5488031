import { join } from 'node:path';
import { expect } from 'chai';
import { cloneTemplate, ToolError } from '../../../../tools/update-core/index.ts';
import { makeTempDir, type TempDir } from '../../support/create-service-run.ts';

describe('cloneTemplate', () => {
  let temp: TempDir;

  beforeEach(() => {
    temp = makeTempDir('template-plans-');
  });

  afterEach(() => {
    temp.remove();
  });

  const cloneError = (env: Readonly<Record<string, string | undefined>>): ToolError => {
    try {
      // Loopback port 1: refused at once, nothing leaves the machine.
      cloneTemplate('https://user:secret@127.0.0.1:1/x.git', temp.path, join(temp.path, 'clone'), env);
    } catch (error) {
      if (error instanceof ToolError) return error;
      throw error;
    }
    throw new Error('cloneTemplate did not fail');
  };

  it('throws a ToolError without the password of the URL when git cannot clone it', () => {
    const error = cloneError({ ...process.env, GIT_TERMINAL_PROMPT: '0' });
    expect(error.message).to.match(/^git clone of https:\/\/\*\*\*@127\.0\.0\.1:1\/x\.git failed: \S/);
    expect(error.message).not.to.include('secret');
  });

  it('throws a ToolError without the password of the URL when git cannot start', () => {
    const error = cloneError({ PATH: join(temp.path, 'no-bin') });
    expect(error.message).to.match(/^cannot run git clone .*ENOENT/);
    expect(error.message).not.to.include('secret');
  });
});
