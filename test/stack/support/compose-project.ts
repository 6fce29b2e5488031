import { execFileSync } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import { isPortFree } from '../../core/support/ports.ts';
import { waitFor } from '../../core/support/service-process.ts';

const projectRoot = fileURLToPath(new URL('../../../', import.meta.url));

/** Runs a script of tools/stack/, its progress on this process's stderr. */
export function runScript(script: string, ...args: string[]): void {
  execFileSync('bash', [`tools/stack/${script}`, ...args], { cwd: projectRoot, stdio: ['ignore', 'inherit', 'inherit'] });
}

/**
 * A compose file of the repository (docker-compose.yml unless told), unmodified, run by a real
 * compose implementation under its own project name (so a user's own `docker compose up` is
 * left alone).
 */
export class ComposeProject {
  readonly name: string;
  readonly file: string;
  readonly env: Readonly<Record<string, string>>;

  /** `env`: variables the compose file substitutes, beside this process's environment. */
  constructor(name: string, file = 'docker-compose.yml', env: Readonly<Record<string, string>> = {}) {
    this.name = name;
    this.file = file;
    this.env = env;
  }

  /** `docker-compose -p <name> -f <file> <args>`; returns stdout; throws with the output on failure. */
  run(args: string[], options: { quiet?: boolean } = {}): string {
    return execFileSync('docker-compose', ['-p', this.name, '-f', this.file, ...args], {
      cwd: projectRoot,
      env: { ...process.env, ...this.env },
      stdio: ['ignore', 'pipe', options.quiet === true ? 'pipe' : 'inherit'],
      maxBuffer: 64 * 1024 * 1024,
    }).toString('utf8');
  }

  /**
   * Starts the Docker engine and builds the stand-in images (tools/stack/compose), removes what
   * an earlier run of this project left (its volumes included), checks that the ports the file
   * publishes are free, runs `up --build -d`, and resolves once every service of
   * `withHealthcheck` reports healthy.
   */
  async upFromScratch(publishedPorts: readonly number[], withHealthcheck: readonly string[]): Promise<void> {
    runScript('compose/docker-engine.sh', 'start');
    runScript('compose/build-stand-in-images.sh');
    this.run(['down', '-v', '--remove-orphans'], { quiet: true });
    for (const port of publishedPorts) {
      if (!(await isPortFree(port))) throw new Error(`Port ${port}, published by ${this.file}, is in use`);
    }
    console.log(`      docker-compose -f ${this.file} up --build -d`);
    this.run(['up', '--build', '-d']);
    await waitFor(
      `${withHealthcheck.join(', ')} to report healthy`,
      () => withHealthcheck.every((service) => this.health(service) === 'healthy'),
      120_000,
      () => withHealthcheck.map((service) => `${service}: ${this.health(service)}`).join(', '),
    );
  }

  /** Removes the project's containers and volumes, then stops the Docker engine (only if the tests started it). */
  downAndStopEngine(): void {
    try {
      this.run(['down', '-v'], { quiet: true });
    } finally {
      runScript('compose/docker-engine.sh', 'stop');
    }
  }

  /** The id of the container of `service`. */
  containerId(service: string): string {
    return this.run(['ps', '-q', service], { quiet: true }).trim();
  }

  /** The address of `service`'s container on the project network (created by this test). */
  containerAddress(service: string): string {
    return execFileSync('docker', ['inspect', '-f', '{{range .NetworkSettings.Networks}}{{.IPAddress}}{{end}}', this.containerId(service)])
      .toString('utf8')
      .trim();
  }

  /** Docker's health status of `service`'s container (`healthy`, `starting`, ...), or `none`. */
  health(service: string): string {
    return execFileSync('docker', ['inspect', '-f', '{{if .State.Health}}{{.State.Health.Status}}{{else}}none{{end}}', this.containerId(service)])
      .toString('utf8')
      .trim();
  }

  /** The exit code of `service`'s stopped container. */
  exitCode(service: string): number {
    return Number(execFileSync('docker', ['inspect', '-f', '{{.State.ExitCode}}', this.containerId(service)]).toString('utf8').trim());
  }
}
