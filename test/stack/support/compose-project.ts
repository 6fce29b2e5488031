import { execFileSync } from 'node:child_process';
import { fileURLToPath } from 'node:url';

const projectRoot = fileURLToPath(new URL('../../../', import.meta.url));

/** Runs a script of tools/stack/, its progress on this process's stderr. */
export function runScript(script: string, ...args: string[]): void {
  execFileSync('bash', [`tools/stack/${script}`, ...args], { cwd: projectRoot, stdio: ['ignore', 'inherit', 'inherit'] });
}

/**
 * The repository's docker-compose.yml, unmodified, run by a real compose implementation
 * under its own project name (so a user's own `docker compose up` is left alone).
 */
export class ComposeProject {
  readonly name: string;

  constructor(name: string) {
    this.name = name;
  }

  /** `docker-compose -p <name> <args>`; returns stdout; throws with the output on failure. */
  run(args: string[], options: { quiet?: boolean } = {}): string {
    return execFileSync('docker-compose', ['-p', this.name, '-f', 'docker-compose.yml', ...args], {
      cwd: projectRoot,
      stdio: ['ignore', 'pipe', options.quiet === true ? 'pipe' : 'inherit'],
      maxBuffer: 64 * 1024 * 1024,
    }).toString('utf8');
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
