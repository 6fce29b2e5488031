import { spawnSync } from 'node:child_process';
import { existsSync, readFileSync, statSync, symlinkSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { expect } from 'chai';
import { ESLint } from 'eslint';
import { parse } from 'yaml';
import {
  COPIED_FILES,
  COPIED_FOLDERS,
  DEMO_DEPENDENCIES,
  KEPT_SCRIPTS,
  listFiles,
  planService,
  REPLACED_SCRIPTS,
  RESERVED_SERVICE_NAMES,
  SERVICE_NAME_PLACEHOLDER,
  TEMPLATE_FOLDER,
  TEMPLATE_PLACEHOLDER,
} from '../../../../tools/create-service/index.ts';
import { readTemplateRecord } from '../../../../tools/update-core/index.ts';
import { createService, makeTempDir, type TempDir } from '../../support/create-service-run.ts';

const repositoryRoot = fileURLToPath(new URL('../../../../', import.meta.url));
const SERVICE = 'orders-api';

interface PackageJson {
  name: string;
  version: string;
  private?: boolean;
  type?: string;
  engines?: Record<string, string>;
  scripts: Record<string, string>;
  dependencies: Record<string, string>;
  devDependencies: Record<string, string>;
}
interface Lockfile {
  name: string;
  packages: Record<string, { name?: string; version?: string }>;
}
interface ComposeFile {
  services: Record<string, Record<string, unknown>>;
  volumes?: Record<string, unknown>;
}

/** The packages named by the import specifiers (static, dynamic, re-exports) of a source file. */
function importedPackages(source: string): string[] {
  const packages: string[] = [];
  for (const [, specifier] of source.matchAll(/(?:\bfrom\s+|\bimport\s*\(?\s*)'([^']+)'/g)) {
    if (specifier === undefined || /^(?:\.|\/|node:)/.test(specifier) || !/^[@a-z0-9]/.test(specifier)) continue;
    const parts = specifier.split('/');
    packages.push(specifier.startsWith('@') ? parts.slice(0, 2).join('/') : parts[0]!);
  }
  return packages;
}

/** The variables a configuration reader reads (`read.integer('PORT', …)`). */
function variablesRead(source: string): string[] {
  return [...source.matchAll(/\bread\.\w+\(\s*'([A-Z][A-Z0-9_]*)'/g)].map(([, name]) => name!);
}

/** The lines of a shell script that are neither comments nor blank. */
function commands(script: string): string[] {
  return script.split('\n').filter((line) => line.trim() !== '' && !line.trim().startsWith('#'));
}

describe('the project create-service generates', function () {
  this.timeout(60_000);

  let temp: TempDir;
  let project: string;
  /** Every file of the generated project, by path. */
  let files: Map<string, string>;
  const read = (path: string): string => {
    const text = files.get(path);
    if (text === undefined) throw new Error(`the generated project has no ${path}`);
    return text;
  };
  const readRoot = (path: string): string => readFileSync(join(repositoryRoot, path), 'utf8');
  const json = (path: string): unknown => JSON.parse(read(path));

  before(async () => {
    temp = makeTempDir();
    project = join(temp.path, SERVICE);
    const run = await createService([project, '--name', SERVICE], temp.path);
    expect(run.code, run.stderr).to.equal(0);
    files = new Map(listFiles(project).map((file) => [file.path, readFileSync(file.absolutePath, 'utf8')]));
  });

  after(() => {
    temp.remove();
  });

  it('writes exactly the files of its plan', () => {
    expect([...files.keys()]).to.deep.equal(planService(SERVICE).files.map((file) => file.path));
  });

  it('names package.json after the service: version 0.1.0, private, ESM, the same engines', () => {
    const pkg = json('package.json') as PackageJson;
    const root = JSON.parse(readRoot('package.json')) as PackageJson;
    expect(pkg).to.include({ name: SERVICE, version: '0.1.0', private: true, type: 'module' });
    expect(pkg.engines).to.deep.equal(root.engines);
  });

  it('keeps the scripts to start, check and test the service: test:fast as here, npm test every tier it has', () => {
    const pkg = json('package.json') as PackageJson;
    const root = JSON.parse(readRoot('package.json')) as PackageJson;
    expect(Object.keys(pkg.scripts).sort()).to.deep.equal([...KEPT_SCRIPTS, 'test'].sort());
    for (const name of KEPT_SCRIPTS) expect(pkg.scripts[name], name).to.equal(REPLACED_SCRIPTS[name] ?? root.scripts[name]);
    expect(pkg.scripts['test:fast']).to.equal(root.scripts['test:fast']);
    expect(pkg.scripts['test']).to.equal(
      'npm run typecheck && npm run lint && npm run test:unit && npm run test:integration && npm run test:load && npm run test:process',
    );
  });

  it('names in its scripts only files it has', () => {
    const pkg = json('package.json') as PackageJson;
    // Every path-like word of a script (`-p tsconfig.browser.json`, `--import ./src/core/preload.ts`,
    // `import=./test/…`), globs aside: a script naming a file left behind fails on the first run.
    const named = Object.entries(pkg.scripts).flatMap(([script, text]) =>
      text
        .split(/\s+/)
        .map((word) => word.replace(/^['"]|['"]$/g, '').replace(/^[\w-]+=/, '').replace(/^\.\//, ''))
        .filter((word) => /\.(?:json|ts|js|sh)$/.test(word) && !word.includes('*'))
        .map((path) => ({ script, path })),
    );
    expect(named.map(({ path }) => path)).to.include('src/core/preload.ts');
    for (const { script, path } of named) expect(files.has(path), `script ${script} names ${path}`).to.equal(true);
  });

  it("depends on this repository's dependencies at the same versions, without jose", () => {
    const pkg = json('package.json') as PackageJson;
    const root = JSON.parse(readRoot('package.json')) as PackageJson;
    expect(pkg.dependencies).not.to.have.property('jose');
    const expected = Object.fromEntries(Object.entries(root.dependencies).filter(([name]) => !DEMO_DEPENDENCIES.includes(name)));
    expect(pkg.dependencies).to.deep.equal(expected);
    for (const [name, version] of Object.entries(pkg.devDependencies)) expect(version, name).to.equal(root.devDependencies[name]);
  });

  it('declares every package its code imports', () => {
    const pkg = json('package.json') as PackageJson;
    const declared = new Set([...Object.keys(pkg.dependencies), ...Object.keys(pkg.devDependencies)]);
    const runtime = new Set(Object.keys(pkg.dependencies));
    for (const [path, text] of files) {
      if (!/\.(?:ts|js)$/.test(path)) continue;
      for (const name of importedPackages(text)) {
        // What runs in production (src/) must not need a dev dependency: the image omits them.
        expect(path.startsWith('src/') ? runtime.has(name) : declared.has(name), `${path} imports ${name}`).to.equal(true);
      }
    }
  });

  it('keeps only dependencies it uses: each imported by its code, or a tool its scripts or tsconfig name', () => {
    const pkg = json('package.json') as PackageJson;
    const imports = (under: (path: string) => boolean): Set<string> =>
      new Set([...files].filter(([path]) => under(path) && /\.(?:ts|js)$/.test(path)).flatMap(([, text]) => importedPackages(text)));
    const fromSource = imports((path) => path.startsWith('src/'));
    const fromAnything = imports(() => true);
    const scripts = Object.values(pkg.scripts).join(' ');
    const types = (json('tsconfig.json') as { compilerOptions: { types?: string[] } }).compilerOptions.types ?? [];
    // The tools the scripts run, by the command that runs them.
    const tools: Record<string, RegExp> = { typescript: /\btsc\b/, eslint: /\beslint\b/, mocha: /\bmocha\b/, node: /\bnode\b/ };
    for (const name of Object.keys(pkg.dependencies)) expect(fromSource.has(name), `dependency ${name} is imported by src/`).to.equal(true);
    for (const name of Object.keys(pkg.devDependencies)) {
      const typesOf = name.startsWith('@types/') ? name.slice('@types/'.length) : undefined;
      const used =
        fromAnything.has(name) ||
        (tools[name]?.test(scripts) ?? false) ||
        (typesOf !== undefined && (fromAnything.has(typesOf) || types.includes(typesOf)));
      expect(used, `dev dependency ${name} is used`).to.equal(true);
    }
  });

  it('locks the versions this repository locks, without jose, under the service name', () => {
    const lock = json('package-lock.json') as Lockfile;
    const rootLock = JSON.parse(readRoot('package-lock.json')) as Lockfile;
    expect(lock.name).to.equal(SERVICE);
    expect(lock.packages['']?.name).to.equal(SERVICE);
    expect(Object.keys(lock.packages).filter((path) => /(?:^|\/)node_modules\/jose$/.test(path))).to.deep.equal([]);
    for (const [path, entry] of Object.entries(lock.packages)) {
      if (path !== '') expect(entry.version, path).to.equal(rootLock.packages[path]?.version);
    }
  });

  it('contains nothing of the demo: no demo file, no TOKEN_SECRET, no jose, no demo route or import', () => {
    expect([...files.keys()].filter((path) => /(?:^|\/)demo(?:\/|$)/.test(path)), 'demo files').to.deep.equal([]);
    const traces = [/TOKEN_SECRET/, /from 'jose'/, /\bdemoRoutes\b/, /src\/demo\b/, /\/demo\/index\.ts/];
    const found = [...files].flatMap(([path, text]) => traces.filter((trace) => trace.test(text)).map((trace) => `${path}: ${trace.source}`));
    expect(found, 'files that still carry the demo').to.deep.equal([]);
  });

  it("contains of this repository's tooling only the session lookup and update-core: the core, the example, their tests and the project's top-level files besides", () => {
    const allowed = [
      /^src\/main\.ts$/,
      /^src\/core\//,
      /^src\/example\//,
      /^test\/core\//,
      /^test\/example\//,
      /^tools\/(?:session-traces|update-core)\//,
      /^\.ci\/run$/,
      /^[^/]+$/,
    ];
    expect([...files.keys()].filter((path) => !allowed.some((pattern) => pattern.test(path)))).to.deep.equal([]);
    const topLevel = [...files.keys()].filter((path) => !path.includes('/')).sort();
    expect(topLevel).to.deep.equal(
      ['.dockerignore', '.gitignore', '.mocharc.json', 'Dockerfile', 'README.md', 'docker-compose.yml', 'eslint.config.js', 'eslint.service.js', 'jaeger-ui.json', 'jaeger.yaml', 'otel-collector.yaml', 'package-lock.json', 'package.json', 'template.json', 'tsconfig.json'].sort(),
    );
  });

  it("records in template.json the template's name, version and commit, and whether its core's files differed from that commit", () => {
    const root = JSON.parse(readRoot('package.json')) as PackageJson;
    const git = (args: string[]): string | undefined => {
      const result = spawnSync('git', args, { cwd: repositoryRoot, encoding: 'utf8' });
      return result.status === 0 ? result.stdout.trim() : undefined;
    };
    const head = git(['rev-parse', 'HEAD']);
    const record = readTemplateRecord(project);
    expect(record).to.include({ template: root.name, version: root.version });
    if (head === undefined) {
      expect(record.commit, 'not a git checkout').to.equal(null);
      return;
    }
    const sources = [...COPIED_FOLDERS, ...COPIED_FILES, 'package.json', 'package-lock.json', 'tsconfig.json'];
    const changes = git(['status', '--porcelain', '--untracked-files=all', '--', ...sources]);
    expect(record).to.deep.equal({ template: root.name, version: root.version, commit: head, dirty: changes !== '' });
  });

  it('fills in every placeholder of the template', () => {
    const left = [...files].filter(([, text]) => text.includes(SERVICE_NAME_PLACEHOLDER) || text.includes(TEMPLATE_PLACEHOLDER)).map(([path]) => path);
    expect(left).to.deep.equal([]);
    const root = JSON.parse(readRoot('package.json')) as PackageJson;
    expect(read('README.md')).to.match(new RegExp(`^# ${SERVICE}\n`)).and.include(`Made from ${root.name} ${root.version} with`);
  });

  it("copies the core, the core's tests, Dockerfile, .mocharc.json and otel-collector.yaml byte for byte", () => {
    const copied = [
      ...COPIED_FOLDERS.flatMap((folder) => listFiles(join(repositoryRoot, folder)).map((file) => `${folder}/${file.path}`)),
      ...COPIED_FILES,
    ];
    expect(copied.length).to.be.greaterThan(50);
    for (const path of copied) expect(readFileSync(join(project, path)).equals(readFileSync(join(repositoryRoot, path))), path).to.equal(true);
  });

  it('lets only its package files and src/ into its image build context, as its Dockerfile copies', () => {
    const lines = read('.dockerignore').split('\n').filter((line) => line !== '' && !line.startsWith('#'));
    expect(lines).to.deep.equal(['*', '!package.json', '!package-lock.json', '!src/']);
  });

  it("derives tsconfig.json: this repository's compiler options, including only what the project has", () => {
    const tsconfig = json('tsconfig.json') as { compilerOptions: unknown; include: string[]; exclude?: string[] };
    const root = JSON.parse(readRoot('tsconfig.json')) as { compilerOptions: unknown };
    expect(tsconfig.compilerOptions).to.deep.equal(root.compilerOptions);
    expect(tsconfig.include).to.deep.equal(['src', 'test', 'tools', 'eslint.config.js', 'eslint.service.js']);
    expect(tsconfig).not.to.have.property('exclude');
  });

  it("lints with the rules this repository's eslint.config.js applies to the core, the service's code and the tests", async () => {
    // Both build on the shared eslint.service.js (copied byte for byte); the project's own
    // eslint.config.js is evaluated in the project, with this repository's packages (the
    // project has no node_modules of its own yet).
    const templateRoot = join(repositoryRoot, TEMPLATE_FOLDER);
    expect(read('eslint.config.js')).to.equal(readFileSync(join(templateRoot, 'eslint.config.js'), 'utf8'));
    if (!existsSync(join(project, 'node_modules'))) symlinkSync(join(repositoryRoot, 'node_modules'), join(project, 'node_modules'), 'dir');
    const rootLint = new ESLint({ cwd: repositoryRoot });
    const projectLint = new ESLint({ cwd: project });
    const samples = [
      'src/core/index.ts',
      'src/core/preload.ts',
      'src/core/context/session-storage.ts',
      'src/main.ts',
      'src/example/example-routes.ts',
      'test/core/unit/context/session-id.test.ts',
      'test/core/support/otlp-sink.ts',
      'test/example/integration/example-routes.test.ts',
      'eslint.config.js',
    ];
    for (const sample of samples) {
      const inRoot = (await rootLint.calculateConfigForFile(join(repositoryRoot, sample))) as { rules?: unknown } | undefined;
      const inProject = (await projectLint.calculateConfigForFile(join(project, sample))) as { rules?: unknown } | undefined;
      expect(inRoot?.rules, `rules of ${sample} in this repository`).to.be.an('object');
      expect(inProject?.rules, `rules of ${sample}`).to.deep.equal(inRoot?.rules);
    }
  });

  it("lists every variable the core and the example read in the README's configuration table", () => {
    const variables = [...variablesRead(read('src/core/config/core-config.ts')), ...variablesRead(read('src/example/example-config.ts'))];
    expect(variables).to.include.members(['PORT', 'TRUST_INCOMING_BAGGAGE', 'EXAMPLE_JOB_URL']);
    const rows = read('README.md').split('\n').filter((line) => line.startsWith('| `'));
    for (const name of variables) expect(rows.some((row) => row.startsWith(`| \`${name}\` |`)), name).to.equal(true);
    expect(rows.find((row) => row.startsWith('| `OTEL_SERVICE_NAME` |'))).to.include(`\`${SERVICE}\``);
  });

  it('shows in its README quick start the two commands create-service prints', () => {
    const quickStart = read('README.md').split('## Quick start')[1]?.split('\n## ')[0] ?? '';
    expect(quickStart).to.match(/^npm ci && npm start\b/m).and.match(/^npm run test:fast\b/m);
  });

  it("runs the service, the collector and Jaeger in docker-compose.yml, the latter two as this repository's compose file does", () => {
    const compose = parse(read('docker-compose.yml')) as ComposeFile;
    const rootCompose = parse(readRoot('docker-compose.yml')) as ComposeFile;
    expect(Object.keys(compose.services)).to.deep.equal([SERVICE, ...RESERVED_SERVICE_NAMES]);
    const service = compose.services[SERVICE]!;
    expect(service).to.deep.include({ build: '.', image: `${SERVICE}:local`, stop_grace_period: '15s', ports: ['3000:3000'] });
    expect(service['environment']).to.deep.equal({ OTEL_SERVICE_NAME: SERVICE, OTEL_EXPORTER_OTLP_ENDPOINT: 'http://otel-collector:4318' });
    for (const name of RESERVED_SERVICE_NAMES) expect(compose.services[name], name).to.deep.equal(rootCompose.services[name]);
    // The named volumes those services keep their data in.
    expect(compose.volumes).to.deep.equal(rootCompose.volumes);
    expect(read('otel-collector.yaml')).to.equal(readRoot('otel-collector.yaml'));
    expect(read('jaeger.yaml')).to.equal(readRoot('jaeger.yaml'));
  });

  it("runs the steps of this repository's .ci/run, and is executable", () => {
    expect(commands(read('.ci/run'))).to.deep.equal(commands(readRoot('.ci/run')));
    expect(statSync(join(project, '.ci/run')).mode & 0o111, 'execute bits').to.equal(0o111);
  });
});
