import { spawnSync } from 'node:child_process';
import { accessSync, constants, existsSync, mkdirSync, mkdtempSync, readFileSync, rmSync, symlinkSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { delimiter, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { expect } from 'chai';

const projectRoot = fileURLToPath(new URL('../../../', import.meta.url));

/** The ordinary commands the stack scripts use, linked into the test's PATH. */
const ORDINARY = ['bash', 'dirname', 'sha256sum', 'cut', 'mkdir', 'date', 'id', 'cat', 'mktemp', 'rm', 'mv', 'tail', 'seq', 'sleep', 'nohup'];
/** Commands that change the machine (or stand for it): each a shim that records its call and fails. */
const RECORDED = ['apt-get', 'apt', 'dpkg', 'dockerd', 'docker', 'debootstrap'];

/** Where `command` is on this process's PATH. */
function which(command: string): string {
  for (const dir of (process.env['PATH'] ?? '').split(delimiter)) {
    const candidate = join(dir, command);
    try {
      accessSync(candidate, constants.X_OK);
      return candidate;
    } catch {
      // not here
    }
  }
  throw new Error(`${command} is not on PATH`);
}

/**
 * A machine without chromium, docker-compose, Go or a Docker engine: a PATH of the ordinary
 * commands and recording shims, and an empty cache folder (nothing built).
 */
interface BareMachine {
  readonly env: Record<string, string>;
  /** The recorded calls, one `command args` a line. */
  calls(): string[];
  remove(): void;
}

function bareMachine(): BareMachine {
  const root = mkdtempSync(join(tmpdir(), 'stack-prerequisites-'));
  const bin = join(root, 'bin');
  const log = join(root, 'calls.log');
  mkdirSync(bin);
  for (const command of ORDINARY) symlinkSync(which(command), join(bin, command));
  for (const command of RECORDED) {
    // `docker info` only asks whether an engine answers: the shim says none does.
    writeFileSync(join(bin, command), `#!/bin/bash\n[[ "$0 $1" == */docker\\ info ]] || echo "${command} $*" >> '${log}'\nexit 1\n`, { mode: 0o755 });
  }
  return {
    env: { PATH: bin, HOME: root, SESSION_SERVICE_CACHE: join(root, 'cache') },
    calls: () => (existsSync(log) ? readFileSync(log, 'utf8').split('\n').filter((line) => line !== '') : []),
    remove: () => {
      rmSync(root, { recursive: true, force: true });
    },
  };
}

/** Runs `command args` in the project root with exactly `env`, to completion. */
function run(command: string, args: string[], env: Record<string, string>): { code: number | null; output: string } {
  const result = spawnSync(command, args, { cwd: projectRoot, env, encoding: 'utf8', timeout: 120_000 });
  return { code: result.status, output: `${result.stdout}${result.stderr}` };
}

const bash = which('bash');
const node = process.execPath;
const mocha = join(projectRoot, 'node_modules/mocha/bin/mocha.js');
const root = process.getuid?.() === 0;

describe('the stack prerequisites outside CI (a machine without chromium, docker-compose, Go or Docker)', function () {
  this.timeout(180_000);

  let machine: BareMachine;

  beforeEach(() => {
    machine = bareMachine();
  });

  afterEach(() => {
    machine.remove();
  });

  it('installs and starts nothing when CI and SESSION_SERVICE_INSTALL are unset, even as root, and says what the suites will skip', () => {
    const result = run(bash, ['tools/stack/e2e-prerequisites.sh'], machine.env);
    expect(result.code, result.output).to.equal(0);
    expect(result.output).to.include('collector: not built: Go is not on PATH (https://go.dev/dl); the suites that run it are skipped');
    expect(result.output).to.include(
      "chromium is missing; not installing Debian's chromium outside CI: set SESSION_SERVICE_INSTALL=1 to let the tests install it (as root), or install it yourself (apt-get install chromium)",
    );
    expect(result.output).to.include('chromium: missing; the suites that need it are skipped');
    expect(result.output).to.include('docker-compose: missing; the suites that need it are skipped');
    expect(machine.calls()).to.deep.equal([]);
  });

  it('neither installs nor starts a Docker engine without the opt-in, and exits 3 (not allowed)', () => {
    const result = run(bash, ['tools/stack/compose/docker-engine.sh', 'start'], machine.env);
    expect(result.code, result.output).to.equal(3);
    expect(result.output).to.include('no Docker engine answers; not installing or starting one outside CI: set SESSION_SERVICE_INSTALL=1');
    expect(machine.calls()).to.deep.equal([]);
  });

  it('installs a missing package with SESSION_SERVICE_INSTALL=1 as root, and refuses without root', () => {
    const result = run(bash, ['tools/stack/install-missing.sh', 'chromium', 'chromium'], { ...machine.env, SESSION_SERVICE_INSTALL: '1' });
    expect(result.code, result.output).not.to.equal(0);
    if (root) {
      expect(machine.calls()).to.deep.equal(['apt-get update -qq']);
    } else {
      expect(result.output).to.include('chromium is missing: install it (apt-get install chromium) or run as root');
      expect(machine.calls()).to.deep.equal([]);
    }
  });

  it('shows a suite whose prerequisite is missing as pending, with one line saying why and how to opt in', () => {
    const result = run(node, [mocha, 'test/stack/e2e/compose-file.test.ts'], machine.env);
    expect(result.code, result.output).to.equal(0);
    expect(result.output).to.include(
      'test:e2e compose-file skipped: needs docker-compose; set SESSION_SERVICE_INSTALL=1 to let the tests install and start them (as root), or apt-get install docker-compose yourself',
    );
    expect(result.output).to.match(/\n\s+0 passing.*\n\s+\d+ pending/);
    expect(machine.calls()).to.deep.equal([]);
  });

  it('fails the suite, never skips it, with CI=true when its prerequisite cannot be had', () => {
    const result = run(node, [mocha, 'test/stack/e2e/compose-file.test.ts'], { ...machine.env, CI: 'true' });
    expect(result.code, result.output).not.to.equal(0);
    expect(result.output).to.match(/\n\s+1 failing/).and.not.match(/pending/);
    // As root CI installs it (here the shim fails); otherwise the reason says root is needed.
    if (root) expect(machine.calls()).to.deep.equal(['apt-get update -qq']);
    else expect(result.output).to.include('only root may install or start');
  });
});
