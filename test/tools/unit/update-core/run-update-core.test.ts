import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { expect } from 'chai';
import { formatTemplateRecord, runUpdateCore, TEMPLATE_RECORD_FILE, UPDATE_CORE_EXIT } from '../../../../tools/update-core/index.ts';
import { makeTempDir, type TempDir } from '../../support/create-service-run.ts';

describe('runUpdateCore', () => {
  let temp: TempDir;
  let stdout: string;
  let stderr: string;
  const run = (argv: string[]): Promise<number> =>
    runUpdateCore(argv, {
      stdout: { write: (text: string) => (stdout += text) },
      stderr: { write: (text: string) => (stderr += text) },
      serviceDir: temp.path,
      cwd: temp.path,
      env: process.env,
    });

  beforeEach(() => {
    temp = makeTempDir('update-core-unit-');
    stdout = '';
    stderr = '';
  });

  afterEach(() => {
    temp.remove();
  });

  it('prints its usage and exits 0 with --help', async () => {
    expect(await run(['--help'])).to.equal(UPDATE_CORE_EXIT.DONE);
    expect(stdout).to.match(/^Usage: npm run update-core -- <template>/);
  });

  it('exits 2 naming --base when the service has no template.json', async () => {
    expect(await run(['../template'])).to.equal(UPDATE_CORE_EXIT.USAGE);
    expect(stderr).to.match(/^update-core: \S+template\.json is missing: .*--base <commit>\n$/);
  });

  it('exits 2 with the recorded reason when template.json has no commit', async () => {
    const record = { template: 'session-context-service', version: '0.1.0', commit: null, dirty: false, reason: 'the template was not a git checkout' };
    writeFileSync(join(temp.path, TEMPLATE_RECORD_FILE), formatTemplateRecord(record));
    expect(await run(['../template'])).to.equal(UPDATE_CORE_EXIT.USAGE);
    expect(stderr).to.equal('update-core: template.json records no commit (the template was not a git checkout); give the template commit this service was made from with --base <commit>\n');
  });

  it('exits 2 when the template folder does not exist', async () => {
    writeFileSync(join(temp.path, TEMPLATE_RECORD_FILE), formatTemplateRecord({ template: 't', version: '0.1.0', commit: 'a'.repeat(40), dirty: false }));
    expect(await run(['no-such-template'])).to.equal(UPDATE_CORE_EXIT.USAGE);
    expect(stderr).to.equal(`update-core: the template ${join(temp.path, 'no-such-template')} does not exist: give a checkout of the template or its git URL\n`);
  });

  it('exits 2 when template.json is not a record', async () => {
    writeFileSync(join(temp.path, TEMPLATE_RECORD_FILE), '{"template": "t"}\n');
    expect(await run(['../template'])).to.equal(UPDATE_CORE_EXIT.USAGE);
    expect(stderr).to.match(/is not a template record: it needs "template", "version", "commit"/);
  });
});
