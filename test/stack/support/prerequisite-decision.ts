/**
 * The variable by which a user lets the tests change the machine outside CI: install Debian
 * packages (chromium, docker-compose, docker.io, debootstrap) and start dockerd, as root.
 * `CI=true` implies it. tools/stack/lib.sh (`system_changes_allowed`) applies the same rule.
 */
export const OPT_IN_VARIABLE = 'SESSION_SERVICE_INSTALL';

/** What a stack suite can need beyond npm. */
export type Prerequisite = 'stack-programs' | 'deploy-check' | 'chromium' | 'docker-compose' | 'docker-engine' | 'debootstrap';

/** How each prerequisite is named to the user, and how they get it themselves. */
const DESCRIBED: Readonly<Record<Prerequisite, { readonly name: string; readonly yourself: string }>> = {
  'stack-programs': {
    name: 'the collector, Jaeger, VictoriaLogs and VictoriaMetrics built with Go',
    yourself: 'install Go (https://go.dev/dl), then bash tools/stack/e2e-prerequisites.sh builds them',
  },
  'deploy-check': {
    name: 'Go, to build the Kubernetes manifest checker tools/deploy-check',
    yourself: 'install Go (https://go.dev/dl); bash tools/stack/build-deploy-check.sh builds it',
  },
  chromium: { name: "Debian's chromium", yourself: 'apt-get install chromium' },
  'docker-compose': { name: 'docker-compose', yourself: 'apt-get install docker-compose' },
  'docker-engine': { name: 'a running Docker engine', yourself: 'apt-get install docker.io and start dockerd' },
  debootstrap: { name: 'debootstrap', yourself: 'apt-get install debootstrap' },
};

/** What the tests may provide themselves, as root, where they may change the machine. */
const PROVIDED_BY_THE_TESTS: ReadonlySet<Prerequisite> = new Set(['chromium', 'docker-compose', 'docker-engine', 'debootstrap']);

/** The machine and the user's choice, as far as the decision goes. */
export interface Situation {
  /** The environment: `CI` and {@link OPT_IN_VARIABLE} are read. */
  readonly env: Readonly<Record<string, string | undefined>>;
  readonly root: boolean;
  /** The prerequisites already there (on PATH, built, answering). */
  readonly present: ReadonlySet<Prerequisite>;
}

/**
 * What a suite does about its prerequisites:
 * - `run`, after the tests provide `provide` (install, start), in that order;
 * - `skip` (outside CI only), printing `reason`: mocha shows the suite's tests as pending;
 * - `fail`, with `reason`: in CI a missing prerequisite is a failure, never a skip.
 */
export type Decision =
  | { readonly action: 'run'; readonly provide: readonly Prerequisite[] }
  | { readonly action: 'skip'; readonly reason: string }
  | { readonly action: 'fail'; readonly reason: string };

/** Whether `env` lets the tests change the machine: `CI=true`, or {@link OPT_IN_VARIABLE}=1. */
export function systemChangesAllowed(env: Readonly<Record<string, string | undefined>>): boolean {
  return env['CI'] === 'true' || env[OPT_IN_VARIABLE] === '1';
}

/**
 * Decides whether the suite `suite`, which needs `needs`, runs, is skipped or fails in
 * `situation`. Nothing missing: it runs. Something the tests cannot provide missing (Go's
 * builds): it fails in CI and is skipped elsewhere. Outside CI without the opt-in, anything
 * missing skips it, the reason naming what is missing, the variable, and how to get it
 * yourself. Where the tests may change the machine, they provide what is missing as root, and
 * the suite fails without root.
 */
export function decidePrerequisites(suite: string, needs: readonly Prerequisite[], situation: Situation): Decision {
  const missing = needs.filter((need) => !situation.present.has(need));
  if (missing.length === 0) return { action: 'run', provide: [] };
  const ci = situation.env['CI'] === 'true';
  const allowed = systemChangesAllowed(situation.env);
  const names = missing.map((need) => DESCRIBED[need].name).join(', ');
  const yourself = missing.map((need) => DESCRIBED[need].yourself).join('; ');
  const beyondTheTests = missing.filter((need) => !PROVIDED_BY_THE_TESTS.has(need));
  if (beyondTheTests.length > 0) {
    const reason = `${suite} needs ${names}: ${yourself}`;
    return ci ? { action: 'fail', reason } : { action: 'skip', reason: `${suite} skipped: needs ${names}; ${yourself}` };
  }
  if (!allowed) {
    return {
      action: 'skip',
      reason: `${suite} skipped: needs ${names}; set ${OPT_IN_VARIABLE}=1 to let the tests install and start them (as root), or ${yourself} yourself`,
    };
  }
  if (!situation.root) return { action: 'fail', reason: `${suite} needs ${names}, which only root may install or start: run as root, or ${yourself} yourself` };
  return { action: 'run', provide: missing };
}
