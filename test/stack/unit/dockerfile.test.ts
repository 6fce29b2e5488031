import { readFileSync } from 'node:fs';
import { expect } from 'chai';
import { DockerfileParser, type Instruction } from 'dockerfile-ast';
import { COPIED_FILES, COPIED_FOLDERS, LOCKFILE, TEMPLATE_FOLDER } from '../../../tools/create-service/index.ts';

describe('Dockerfile', () => {
  const dockerfile = DockerfileParser.parse(readFileSync(new URL('../../../Dockerfile', import.meta.url), 'utf8'));
  const instructions = dockerfile.getInstructions();
  const froms = dockerfile.getFROMs();
  const runtime = instructions.slice(instructions.indexOf(froms.at(-1)!));
  const keyword = (name: string): Instruction[] => runtime.filter((instruction) => instruction.getKeyword() === name);
  const args = (instruction: Instruction): string => instruction.getRawArgumentsContent() ?? '';

  it('is multi-stage and runs on the pinned official node:24-slim image', () => {
    expect(froms.length).to.be.at.least(2);
    for (const from of froms) expect(from.getImage()).to.equal('node:24-slim');
  });

  it('installs production dependencies only', () => {
    const installs = instructions.filter((instruction) => instruction.getKeyword() === 'RUN' && args(instruction).includes('npm ci'));
    expect(installs).to.have.length(1);
    expect(args(installs[0]!)).to.include('--omit=dev');
  });

  it('holds runtime code only: the service sources, never the tooling, whose packages are not production dependencies', () => {
    const copies = keyword('COPY').map(args).filter((copy) => !copy.includes('node_modules'));
    expect(copies).to.deep.equal(['package.json ./', 'src ./src']);
    const { dependencies } = JSON.parse(readFileSync(new URL('../../../package.json', import.meta.url), 'utf8')) as { dependencies: Record<string, string> };
    // The lookup command's table and spinner; the benchmark's comparison libraries.
    for (const tooling of ['cli-table3', 'yocto-spinner', 'autocannon', 'cls-rtracer', 'express-http-context']) {
      expect(dependencies, tooling).not.to.have.property(tooling);
    }
  });

  it('runs as a non-root user', () => {
    const users = keyword('USER').map(args);
    expect(users).to.have.length(1);
    expect(users[0]).not.to.match(/^(root|0)(:|$)/);
  });

  it('starts node with the telemetry preload in exec form, so SIGTERM reaches node', () => {
    const [cmd] = keyword('CMD');
    const argv = JSON.parse(args(cmd!)) as string[];
    expect(argv).to.deep.equal(['node', '--import', './src/core/preload.ts', './src/main.ts']);
    const npmStart = (JSON.parse(readFileSync(new URL('../../../package.json', import.meta.url), 'utf8')) as { scripts: { start: string } }).scripts.start;
    // npm start first checks the Node version (npm may run it on any Node); the image's Node is its base's, 24.
    expect(`node --import ./src/core/node-version/check-node-version.mjs ${argv.slice(1).join(' ')}`).to.equal(npmStart);
  });

  it('checks health with node itself, since the slim image has no curl', () => {
    const [healthcheck] = keyword('HEALTHCHECK');
    expect(args(healthcheck!)).to.match(/CMD \["node", "-e", .*\/healthz/);
  });
});

describe('.dockerignore', () => {
  it('lets into the build context only the package files, src/, and what the orders image generates its project from', () => {
    const lines = readFileSync(new URL('../../../.dockerignore', import.meta.url), 'utf8')
      .split('\n')
      .filter((line) => line !== '' && !line.startsWith('#'));
    expect(lines).to.deep.equal([
      '*',
      '!package.json',
      '!package-lock.json',
      '!src/',
      // The generator, and the files a generated project copies (services/orders/Dockerfile).
      '!test/core/',
      '!tools/create-service/',
      '!tools/session-traces/',
      '!tools/update-core/',
      '!services/orders/',
      '!tsconfig.json',
      '!Dockerfile',
      '!.dockerignore',
      '!.mocharc.json',
      '!eslint.service.js',
      '!otel-collector.yaml',
      '!jaeger.yaml',
      '!jaeger-ui.json',
    ]);
  });

  it('lets in every file the generator reads, so the orders image can generate its project', () => {
    const allowed = readFileSync(new URL('../../../.dockerignore', import.meta.url), 'utf8')
      .split('\n')
      .filter((line) => line.startsWith('!'))
      .map((line) => line.slice(1).replace(/\/$/, ''));
    for (const needed of [...COPIED_FOLDERS, ...COPIED_FILES, TEMPLATE_FOLDER, LOCKFILE, 'package.json', 'tsconfig.json', 'services/orders']) {
      expect(allowed.some((entry) => needed === entry || needed.startsWith(`${entry}/`)), needed).to.equal(true);
    }
  });
});

describe('services/orders/Dockerfile', () => {
  const text = (path: string): string => readFileSync(new URL(`../../../${path}`, import.meta.url), 'utf8');
  /** The instructions from the dependencies stage on, without comments: what packages a project. */
  const packagingStages = (dockerfile: string): string[] => {
    const instructions = DockerfileParser.parse(dockerfile).getInstructions().map((instruction) => instruction.getTextContent().replace(/\s+/g, ' ').trim());
    return instructions.slice(instructions.findIndex((instruction) => instruction.includes(' AS dependencies')));
  };

  it('generates orders from the template with its own code, then packages it exactly as the generated project\'s Dockerfile would', () => {
    const orders = text('services/orders/Dockerfile');
    expect(orders).to.include('RUN node tools/create-service/main.ts /service --name orders --own-code services/orders');
    // The generated project's Dockerfile is this repository's, copied: orders packages /service the same way.
    const fromService = (instruction: string): string =>
      instruction.replace('COPY --from=project /service/package.json /service/package-lock.json ./', 'COPY package.json package-lock.json ./')
        .replace('COPY --from=project /service/package.json ./', 'COPY package.json ./')
        .replace('COPY --from=project /service/src ./src', 'COPY src ./src');
    expect(packagingStages(orders).map(fromService)).to.deep.equal(packagingStages(text('Dockerfile')));
  });
});
