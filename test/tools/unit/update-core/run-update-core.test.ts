import { mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { expect } from 'chai';
import { formatTemplateRecord, runUpdateCore, TEMPLATE_RECORD_FILE, UPDATE_CORE_EXIT } from '../../../../tools/update-core/index.ts';
import { makeTempDir, type TempDir } from '../../support/create-service-run.ts';
import { commitFakeTemplate, makeFakeService } from '../../support/fake-template.ts';

describe('runUpdateCore', () => {
  let temp: TempDir;
  let stdout: string;
  let stderr: string;
  const run = (argv: string[], serviceDir = temp.path, env: Readonly<Record<string, string | undefined>> = process.env): Promise<number> =>
    runUpdateCore(argv, {
      stdout: { write: (text: string) => (stdout += text) },
      stderr: { write: (text: string) => (stderr += text) },
      serviceDir,
      cwd: temp.path,
      env,
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

  it('exits 3 without showing the token of the URL when git cannot start', async () => {
    writeFileSync(join(temp.path, TEMPLATE_RECORD_FILE), formatTemplateRecord({ template: 't', version: '0.1.0', commit: 'a'.repeat(40), dirty: false }));
    const noGit = join(temp.path, 'bin');
    mkdirSync(noGit);
    expect(await run(['https://user:secret@127.0.0.1:1/x.git'], temp.path, { PATH: noGit })).to.equal(UPDATE_CORE_EXIT.FAILED);
    expect(stderr).to.match(/^update-core: cannot run git clone .*https:\/\/\*\*\*@127\.0\.0\.1:1\/x\.git.*ENOENT/);
    expect(stderr).not.to.include('secret');
  });

  describe('against a template', () => {
    let template: string;
    let service: string;
    let baseCommit: string;

    beforeEach(() => {
      template = join(temp.path, 'template');
      service = join(temp.path, 'service');
      mkdirSync(template);
      const core = { 'a.ts': 'export const a = 1;\n', 'b.ts': 'export const b = 1;\n' };
      baseCommit = commitFakeTemplate(template, core);
      makeFakeService(service, baseCommit, core);
    });

    it('exits 3 naming the files already written, template.json unmoved, when a write fails partway', async () => {
      commitFakeTemplate(template, { 'a.ts': 'export const a = 2;\n', 'b.ts': 'export const b = 1;\n', 'sub/c.ts': 'export const c = 1;\n' });
      // The service's own file where the template now puts a folder: no user, root included, can write src/core/sub/c.ts.
      writeFileSync(join(service, 'src', 'core', 'sub'), 'the service own file\n');
      const record = readFileSync(join(service, TEMPLATE_RECORD_FILE), 'utf8');
      expect(await run(['template'], service)).to.equal(UPDATE_CORE_EXIT.FAILED);
      expect(stderr).to.match(/^update-core: cannot write src\/core\/sub\/c\.ts \((EEXIST|ENOTDIR): [^\n]*\); template\.json was not moved [^\n]*\. Already changed \(1; [^\n]*\):\n {2}src\/core\/a\.ts\n$/);
      expect(stderr).not.to.include('    at ');
      expect(readFileSync(join(service, TEMPLATE_RECORD_FILE), 'utf8')).to.equal(record);
      expect(readFileSync(join(service, 'src', 'core', 'a.ts'), 'utf8')).to.equal('export const a = 2;\n');
    });

    it('exits 3 with one line naming the commit when the newer create-service fails to load', async () => {
      const broken = commitFakeTemplate(template, { 'a.ts': 'export const a = 2;\n' }, "throw new Error('broken at load');\n");
      const record = readFileSync(join(service, TEMPLATE_RECORD_FILE), 'utf8');
      expect(await run(['template'], service)).to.equal(UPDATE_CORE_EXIT.FAILED);
      expect(stderr).to.equal(`update-core: cannot load tools/create-service/index.ts of the template at ${broken.slice(0, 12)}: broken at load\n`);
      expect(readFileSync(join(service, TEMPLATE_RECORD_FILE), 'utf8')).to.equal(record);
      expect(readFileSync(join(service, 'src', 'core', 'a.ts'), 'utf8')).to.equal('export const a = 1;\n');
    });
  });
});
