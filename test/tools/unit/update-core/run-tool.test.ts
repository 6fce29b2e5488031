import { expect } from 'chai';
import { runTool, ToolError } from '../../../../tools/update-core/index.ts';
import { makeTempDir, type TempDir } from '../../support/create-service-run.ts';

describe('runTool', () => {
  let temp: TempDir;

  beforeEach(() => {
    temp = makeTempDir('run-tool-');
  });

  afterEach(() => {
    temp.remove();
  });

  it('throws a ToolError that hides the credentials of a URL argument when the command cannot start', () => {
    let thrown: unknown;
    try {
      runTool('no-such-tool-of-update-core', ['clone', '--', 'https://user:secret@127.0.0.1:1/x.git', 'into'], temp.path);
    } catch (error) {
      thrown = error;
    }
    expect(thrown).to.be.instanceOf(ToolError);
    const error = thrown as ToolError;
    expect(error.message).to.match(/^cannot run no-such-tool-of-update-core clone -- https:\/\/\*\*\*@127\.0\.0\.1:1\/x\.git into in .*ENOENT/);
    expect(error.message).not.to.include('secret');
    // Node's own error keeps the arguments as given: it must not travel along.
    expect(error.cause).to.equal(undefined);
  });
});
