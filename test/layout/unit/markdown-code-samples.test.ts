import { existsSync, readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { expect } from 'chai';
import { planService, TEMPLATE_FOLDER } from '../../../tools/create-service/index.ts';
import { checkSamples, type SampleProblem, type SampleProject, type SourceFileCache } from '../support/check-samples.ts';
import { extractSamples, type MarkdownSample } from '../support/markdown-samples.ts';

const repositoryRoot = fileURLToPath(new URL('../../../', import.meta.url));

/** The markdown files whose samples are checked, each with the project its samples belong to. */
interface MarkdownFile {
  readonly path: string;
  readonly project: () => SampleProject;
}

/** The `src/` and `test/` files of the project create-service generates (with `ownCode`: that service's). */
function generatedProject(name: string, ownCode?: string): SampleProject {
  const files = new Map<string, string>();
  for (const file of planService(name, ownCode === undefined ? undefined : join(repositoryRoot, ownCode)).files) {
    if (/^(?:src|test)\//.test(file.path)) files.set(file.path, file.content.toString('utf8'));
  }
  return { name: ownCode === undefined ? 'the generated project' : `the project generated with ${ownCode}`, sourceFiles: files };
}

/** Every markdown file under `folder` (relative to the repository), sorted. */
function markdownUnder(folder: string): string[] {
  if (!existsSync(join(repositoryRoot, folder))) return [];
  return readdirSync(join(repositoryRoot, folder), { recursive: true, encoding: 'utf8' })
    .filter((path) => path.endsWith('.md'))
    .map((path) => `${folder}/${path.split('\\').join('/')}`)
    .sort();
}

/**
 * The README and the docs pages are the repository's; the template's README is the generated
 * project's; a service's README (services/<name>/) is the project generated with its code.
 */
function markdownFiles(): MarkdownFile[] {
  const repository = (): SampleProject => ({ name: 'the repository' });
  const services = existsSync(join(repositoryRoot, 'services')) ? readdirSync(join(repositoryRoot, 'services')).sort() : [];
  return [
    { path: 'README.md', project: repository },
    ...markdownUnder('docs').map((path) => ({ path, project: repository })),
    { path: `${TEMPLATE_FOLDER}/README.md`, project: () => generatedProject('sample-service') },
    ...services
      .filter((name) => existsSync(join(repositoryRoot, 'services', name, 'README.md')))
      .map((name) => ({ path: `services/${name}/README.md`, project: () => generatedProject(name, `services/${name}`) })),
  ];
}

function describeProblems(problems: readonly SampleProblem[]): string {
  return [...problems].sort((a, b) => a.line - b.line).map((problem) => `${problem.markdownPath}:${problem.line}: ${problem.message}`).join('\n');
}

describe('the TypeScript samples of the markdown files', function () {
  // One program and one linter per project, shared by its files: a few seconds in all.
  this.timeout(60_000);
  const files = markdownFiles();
  const cache: SourceFileCache = new Map();
  const problemsByFile = new Map<string, SampleProblem[]>();

  before(async () => {
    const byProject = new Map<string, { project: SampleProject; samples: MarkdownSample[]; paths: string[] }>();
    for (const file of files) {
      const { samples, problems } = extractSamples(file.path, readFileSync(join(repositoryRoot, file.path), 'utf8'));
      problemsByFile.set(file.path, [...problems]);
      if (samples.length === 0) continue;
      const project = file.project();
      const group = byProject.get(project.name) ?? { project, samples: [], paths: [] };
      group.samples.push(...samples);
      group.paths.push(file.path);
      byProject.set(project.name, group);
    }
    for (const { project, samples } of byProject.values()) {
      for (const problem of await checkSamples(repositoryRoot, project, samples, cache)) problemsByFile.get(problem.markdownPath)!.push(problem);
    }
  });

  for (const file of files) {
    it(`type-check and lint as files of their project in ${file.path}`, () => {
      const problems = problemsByFile.get(file.path) ?? [];
      expect(problems.length, `\n${describeProblems(problems)}\n`).to.equal(0);
    });
  }

  it('report the markdown line of each type error and lint error when a sample has them', async () => {
    const markdown = [
      '# Page',
      '',
      '```ts',
      "import { startService } from './core/index.ts';",
      '',
      "const unused = 'x';",
      'startService({ routes: 42 });',
      '```',
      '',
    ].join('\n');
    const { samples } = extractSamples('docs/example.md', markdown);
    const problems = await checkSamples(repositoryRoot, { name: 'the repository' }, samples, cache);
    const lines = problems.map((problem) => `${problem.line} ${problem.message.split(':')[0]}`);
    expect(lines).to.include('7 src/sample-docs-example-3.ts');
    expect(problems.some((problem) => problem.line === 6 && problem.message.includes("'unused' is assigned a value but never used"))).to.equal(true);
    expect(problems.some((problem) => problem.line === 7 && problem.message.includes('TS2322'))).to.equal(true);
  });

  it('read the file of a sample from its comment, its first line or the default, and prepend the hidden prelude', () => {
    const markdown = [
      '<!-- sample: src/jobs/consumer.ts',
      'declare const job: { sessionId: string };',
      '-->',
      '```ts',
      'console.log(job.sessionId);',
      '```',
      '',
      '```typescript',
      '// src/orders/order-routes.ts',
      'export {};',
      '```',
      '',
      '- a list item:',
      '',
      '  ```ts fragment',
      '  handle(job);',
      '  ```',
      '',
      '```sh',
      'npm start',
      '```',
      '```ts',
      'export {};',
      '```',
    ].join('\n');
    const { samples, problems } = extractSamples('docs/sessions.md', markdown);
    expect(problems).to.deep.equal([]);
    expect(samples.map(({ fenceLine, path, code, preludeLines, fragment }) => ({ fenceLine, path, code, preludeLines, fragment }))).to.deep.equal([
      { fenceLine: 4, path: 'src/jobs/consumer.ts', code: 'declare const job: { sessionId: string };\nconsole.log(job.sessionId);\n', preludeLines: 1, fragment: false },
      { fenceLine: 8, path: 'src/orders/order-routes.ts', code: '// src/orders/order-routes.ts\nexport {};\n', preludeLines: 0, fragment: false },
      { fenceLine: 15, path: 'src/sample-docs-sessions-15.ts', code: 'handle(job);\n', preludeLines: 0, fragment: true },
      { fenceLine: 22, path: 'src/sample-docs-sessions-22.ts', code: 'export {};\n', preludeLines: 0, fragment: false },
    ]);
  });

  it('report a sample whose file is outside src/ and test/ or whose fence is never closed', () => {
    const { problems } = extractSamples('README.md', '<!-- sample: ../outside.ts -->\n```ts\nexport {};\n');
    expect(problems.map((problem) => [problem.line, problem.message])).to.deep.equal([
      [2, 'the fence is never closed'],
      [2, 'the sample\'s file "../outside.ts" is not a .ts file under src/ or test/'],
    ]);
  });
});
