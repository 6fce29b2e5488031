import { join, resolve } from 'node:path';
import { parseCreateServiceArgs, USAGE, UsageError } from './create-service-args.ts';
import { changedLockedVersions, pruneLockfile } from './prune-lockfile.ts';
import { LOCKFILE, OwnCodeError, planService, type ServicePlan } from './service-plan.ts';
import { checkTarget, TargetError } from './target-directory.ts';
import { newWriteRecord, removePlan, writePlan } from './write-plan.ts';

/** Exit codes of `create-service`. */
export const EXIT = { DONE: 0, FAILED: 1, USAGE: 2 } as const;

/** Where the command writes and what it reads of its environment. */
export interface CreateServiceIo {
  readonly stdout: { write(text: string): unknown };
  readonly stderr: { write(text: string): unknown };
  /** The directory a relative target is resolved against: where the user typed the command. */
  readonly cwd: string;
  /** The environment npm runs with (PATH). */
  readonly env: Readonly<Record<string, string | undefined>>;
}

/**
 * `create-service <dir> --name <service-name> [--dry-run]`: plans the new project, and
 * unless `--dry-run`, writes it, prunes its lockfile and prints the next two commands.
 * Every failure is one line on stderr; a failed write removes what it created (folders
 * included, the target's missing parents too) and nothing else.
 * @returns the exit code ({@link EXIT}).
 */
export async function runCreateService(argv: readonly string[], io: CreateServiceIo): Promise<number> {
  const fail = (code: number, message: string): number => {
    io.stderr.write(`create-service: ${message}\n`);
    return code;
  };
  let options;
  try {
    options = parseCreateServiceArgs(argv);
  } catch (error) {
    if (error instanceof UsageError) return fail(EXIT.USAGE, `${error.message} (see --help)`);
    throw error;
  }
  if (options.help) {
    io.stdout.write(`${USAGE}\n`);
    return EXIT.DONE;
  }

  const target = resolve(io.cwd, options.dir);
  let state;
  try {
    state = checkTarget(target);
  } catch (error) {
    if (error instanceof TargetError) return fail(EXIT.USAGE, error.message);
    throw error;
  }
  const ownCode = options.ownCode === undefined ? undefined : resolve(io.cwd, options.ownCode);
  let plan;
  try {
    plan = planService(options.serviceName, ownCode);
  } catch (error) {
    // A bad --own-code folder is a usage error; anything else (a file of this repository
    // missing, say) is not the user's doing and propagates with its own message.
    if (error instanceof OwnCodeError) return fail(EXIT.USAGE, error.message);
    throw error;
  }

  if (options.dryRun) {
    io.stdout.write(describePlan(target, plan));
    io.stdout.write('Nothing written (--dry-run).\n');
    return EXIT.DONE;
  }

  const written = newWriteRecord();
  try {
    writePlan(target, plan, state, written);
    await pruneLockfile(target, io.env);
    const changed = changedLockedVersions(join(plan.repositoryRoot, LOCKFILE), join(target, LOCKFILE));
    if (changed.length > 0) throw new Error(`npm changed locked versions while pruning ${LOCKFILE}: ${changed.join(', ')}`);
  } catch (error) {
    removePlan(written);
    return fail(EXIT.FAILED, `${error instanceof Error ? error.message : String(error)} (nothing was left in ${target})`);
  }

  io.stdout.write(`Created ${target} for service ${plan.serviceName}, ${plan.files.length} files (--dry-run lists them).\n`);
  io.stdout.write(`\nNext:\n  cd ${shellWord(options.dir)} && npm ci && npm start\n  npm run test:fast\n`);
  return EXIT.DONE;
}

/** The plan as `--dry-run` lists it: the target, the service name, every file. */
function describePlan(target: string, plan: ServicePlan): string {
  const lines = plan.files.map((file) =>
    file.path === LOCKFILE ? `  ${file.path} (this template's, pruned offline by npm to the dependencies of package.json)` : `  ${file.path}`,
  );
  return `Would create ${target} for service ${plan.serviceName}, ${plan.files.length} files:\n${lines.join('\n')}\n`;
}

/** `word` as one shell word: as it is when only safe characters, else single-quoted. */
function shellWord(word: string): string {
  return /^[\w@%+=:,./-]+$/.test(word) ? word : `'${word.replaceAll("'", String.raw`'\''`)}'`;
}
