import { parseArgs } from 'node:util';
import { SERVICE_NAME_RULE, serviceNameProblem } from './service-name.ts';

/** What the command was asked for, validated. */
export interface CreateServiceOptions {
  /** The target directory as given (relative to where the command was typed, or absolute). */
  readonly dir: string;
  readonly serviceName: string;
  /** `--dry-run`: list the files, write nothing. */
  readonly dryRun: boolean;
  /** `--own-code <dir>`: the service's own code, in place of the example (as given). */
  readonly ownCode: string | undefined;
  readonly help: boolean;
}

/** The command line was wrong; the message says how, in one line. Exit code 2. */
export class UsageError extends Error {
  constructor(message: string, options?: ErrorOptions) {
    super(message, options);
    this.name = 'UsageError';
  }
}

/** The text of `--help`. */
export const USAGE = `Usage: npm run create-service -- <dir> --name <service-name> [--dry-run] [--own-code <folder>]

Creates a new service project in <dir> (a new or empty directory): this template's core and
its tests, an example router with its tests, package.json, package-lock.json, tsconfig.json,
ESLint config, README.md, Dockerfile, docker-compose.yml (the service, the OpenTelemetry
Collector and Jaeger), .ci/run, the session lookup (npm run trace), npm run update-core and
template.json (this template's version and commit, update-core's merge base). Nothing of the
demo or of this repository's other tooling.

Options:
  --name <service-name>  the package name, the compose service and the default service.name:
                         ${SERVICE_NAME_RULE.replace(' (', '\n                         (').replace(', that YAML', ',\n                         that YAML')}
  --dry-run              list every file it would write, and write nothing
  --own-code <folder>    the service's own src/ and test/ files, in place of the example:
                         rebuilds an existing service on this template's core
                         (services/orders is built this way); a generated service's
                         folder serves as is (its copy of the core is left out)
  -h, --help             this text

A relative <dir> is taken from the directory you run npm in.
Exit codes: 0 created (or listed), 1 failed while writing (nothing is left behind), 2 usage error.`;

/**
 * Parses and validates the command line (with `node:util` parseArgs).
 * @throws {UsageError} for anything wrong, before anything is read or written.
 */
export function parseCreateServiceArgs(argv: readonly string[]): CreateServiceOptions {
  let parsed;
  try {
    parsed = parseArgs({
      args: [...argv],
      allowPositionals: true,
      strict: true,
      options: {
        name: { type: 'string' },
        'dry-run': { type: 'boolean', default: false },
        'own-code': { type: 'string' },
        help: { type: 'boolean', short: 'h', default: false },
      },
    });
  } catch (error) {
    throw new UsageError(error instanceof Error ? error.message : String(error), { cause: error });
  }
  const { values, positionals } = parsed;
  const ownCode = values['own-code'];
  if (values.help) return { dir: positionals[0] ?? '', serviceName: values.name ?? '', dryRun: values['dry-run'], ownCode, help: true };
  const [dir, ...more] = positionals;
  if (dir === undefined) throw new UsageError('give the directory to create: npm run create-service -- <dir> --name <service-name>');
  if (more.length > 0) throw new UsageError(`give one directory, got ${positionals.length}: ${positionals.map((p) => JSON.stringify(p)).join(' ')}`);
  if (dir.trim() === '') throw new UsageError('the directory to create is empty');
  if (values.name === undefined) throw new UsageError('--name <service-name> is required: it names the package, the compose service and service.name');
  const problem = serviceNameProblem(values.name);
  if (problem !== undefined) throw new UsageError(problem);
  if (ownCode?.trim() === '') throw new UsageError('--own-code needs the folder of the service\'s own code');
  return { dir, serviceName: values.name, dryRun: values['dry-run'], ownCode, help: false };
}
