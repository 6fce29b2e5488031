import { execFileSync, spawnSync } from 'node:child_process';
import { accessSync, constants } from 'node:fs';
import { delimiter, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { decidePrerequisites, type Prerequisite } from './prerequisite-decision.ts';

const projectRoot = fileURLToPath(new URL('../../../', import.meta.url));

/** Whether `command` is an executable on PATH. */
function onPath(command: string): boolean {
  return (process.env['PATH'] ?? '').split(delimiter).some((dir) => {
    try {
      accessSync(join(dir, command), constants.X_OK);
      return true;
    } catch {
      return false;
    }
  });
}

/** Whether a tools/stack script exits 0 (its output discarded). */
function scriptSucceeds(script: string, ...args: string[]): boolean {
  return spawnSync('bash', [`tools/stack/${script}`, ...args], { cwd: projectRoot, stdio: 'ignore' }).status === 0;
}

/** How each prerequisite is found already there. */
const IS_PRESENT: Readonly<Record<Prerequisite, () => boolean>> = {
  'stack-programs': () =>
    ['build-collector.sh', 'build-jaeger.sh', 'build-victorialogs.sh', 'build-victoriametrics.sh'].every((script) => scriptSucceeds(script, '--if-built')),
  'deploy-check': () => onPath('go') || scriptSucceeds('build-deploy-check.sh', '--if-built'),
  chromium: () => onPath('chromium'),
  'docker-compose': () => onPath('docker-compose'),
  'docker-engine': () => onPath('docker') && spawnSync('docker', ['info'], { stdio: 'ignore', timeout: 30_000 }).status === 0,
  debootstrap: () => onPath('debootstrap'),
};

/** The tools/stack script (and arguments) that provides each prerequisite the tests may provide. */
const PROVIDER: Readonly<Partial<Record<Prerequisite, readonly string[]>>> = {
  chromium: ['install-missing.sh', 'chromium', 'chromium'],
  'docker-compose': ['install-missing.sh', 'docker-compose', 'docker-compose'],
  debootstrap: ['install-missing.sh', 'debootstrap', 'debootstrap'],
  'docker-engine': ['compose/docker-engine.sh', 'start'],
};

/** The suites {@link requirePrerequisites} skipped. */
const skippedSuites = new WeakSet<Mocha.Suite>();

/**
 * Whether {@link requirePrerequisites} skipped the suite of this hook: mocha still runs its
 * `after` hooks, which then have nothing to stop.
 */
export function skippedForPrerequisites(context: Mocha.Context): boolean {
  const suite = context.test?.parent;
  return suite !== undefined && skippedSuites.has(suite);
}

/**
 * For a stack suite's first `before` hook: finds which of `needs` this machine has, decides
 * with {@link decidePrerequisites}, and then provides what is missing (CI, or the opt-in, as
 * root), or prints one line saying why `suite` is skipped and skips it (its tests show as
 * pending; its `after` hooks see {@link skippedForPrerequisites}), or throws the reason (a
 * failure).
 * @throws {Error} with the reason when a missing prerequisite fails the suite, or when
 *   providing one failed.
 */
export function requirePrerequisites(context: Mocha.Context, suite: string, needs: readonly Prerequisite[]): void {
  const present = new Set(needs.filter((need) => IS_PRESENT[need]()));
  const decision = decidePrerequisites(suite, needs, { env: process.env, root: process.getuid?.() === 0, present });
  if (decision.action === 'fail') throw new Error(decision.reason);
  if (decision.action === 'skip') {
    console.log(`      ${decision.reason}`);
    const suite = context.test?.parent;
    if (suite !== undefined) skippedSuites.add(suite);
    context.skip();
  }
  for (const need of decision.provide) {
    const [script, ...args] = PROVIDER[need] ?? [];
    if (script === undefined) throw new Error(`${suite}: nothing provides ${need}`);
    execFileSync('bash', [`tools/stack/${script}`, ...args], { cwd: projectRoot, stdio: ['ignore', 'ignore', 'inherit'] });
  }
}
