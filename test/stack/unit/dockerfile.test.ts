import { readFileSync } from 'node:fs';
import { expect } from 'chai';
import { DockerfileParser, type Instruction } from 'dockerfile-ast';

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
    expect(argv.join(' ')).to.equal(npmStart);
  });

  it('checks health with node itself, since the slim image has no curl', () => {
    const [healthcheck] = keyword('HEALTHCHECK');
    expect(args(healthcheck!)).to.match(/CMD \["node", "-e", .*\/healthz/);
  });
});

describe('.dockerignore', () => {
  it('lets only package files and src/ into the build context', () => {
    const lines = readFileSync(new URL('../../../.dockerignore', import.meta.url), 'utf8')
      .split('\n')
      .filter((line) => line !== '' && !line.startsWith('#'));
    expect(lines).to.deep.equal(['*', '!package.json', '!package-lock.json', '!src/']);
  });
});
