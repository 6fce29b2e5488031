import { expect } from 'chai';
import { decidePrerequisites, systemChangesAllowed, type Prerequisite } from '../support/prerequisite-decision.ts';

const COMPOSE_NEEDS: Prerequisite[] = ['stack-programs', 'chromium', 'docker-compose', 'docker-engine', 'debootstrap'];

describe('systemChangesAllowed', () => {
  it('allows installing and starting daemons when CI=true or SESSION_SERVICE_INSTALL=1, and only then', () => {
    expect(systemChangesAllowed({ CI: 'true' })).to.equal(true);
    expect(systemChangesAllowed({ SESSION_SERVICE_INSTALL: '1' })).to.equal(true);
    expect(systemChangesAllowed({})).to.equal(false);
    expect(systemChangesAllowed({ CI: '1', SESSION_SERVICE_INSTALL: 'yes' })).to.equal(false);
  });
});

describe('decidePrerequisites', () => {
  const everything = new Set<Prerequisite>(COMPOSE_NEEDS);

  it('runs a suite whose prerequisites are all there, without the opt-in and without root', () => {
    expect(decidePrerequisites('test:compose', COMPOSE_NEEDS, { env: {}, root: false, present: everything })).to.deep.equal({ action: 'run', provide: [] });
  });

  it('skips outside CI without the opt-in, naming what is missing, the variable and how to install it yourself', () => {
    const decision = decidePrerequisites('test:compose', COMPOSE_NEEDS, {
      env: {},
      root: true,
      present: new Set(['stack-programs', 'chromium', 'debootstrap']),
    });
    expect(decision).to.deep.equal({
      action: 'skip',
      reason:
        'test:compose skipped: needs docker-compose, a running Docker engine; set SESSION_SERVICE_INSTALL=1 to let the tests install and start them (as root), ' +
        'or apt-get install docker-compose; apt-get install docker.io and start dockerd yourself',
    });
  });

  it('provides what is missing, in order, as root when the user opted in', () => {
    const decision = decidePrerequisites('test:e2e log-store-ui', ['stack-programs', 'chromium'], {
      env: { SESSION_SERVICE_INSTALL: '1' },
      root: true,
      present: new Set(['stack-programs']),
    });
    expect(decision).to.deep.equal({ action: 'run', provide: ['chromium'] });
  });

  it('provides what is missing as root in CI without the variable', () => {
    const decision = decidePrerequisites('test:compose', COMPOSE_NEEDS, { env: { CI: 'true' }, root: true, present: new Set(['stack-programs']) });
    expect(decision).to.deep.equal({ action: 'run', provide: ['chromium', 'docker-compose', 'docker-engine', 'debootstrap'] });
  });

  it('fails, never skips, when it may install but is not root, in CI or opted in', () => {
    for (const env of [{ CI: 'true' }, { SESSION_SERVICE_INSTALL: '1' }]) {
      const decision = decidePrerequisites('test:e2e compose-file', ['docker-compose'], { env, root: false, present: new Set() });
      expect(decision.action, JSON.stringify(env)).to.equal('fail');
      expect(decision).to.have.property('reason').that.includes('only root may install or start').and.includes('apt-get install docker-compose');
    }
  });

  it("fails in CI and skips elsewhere, even opted in, when Go's builds are missing: the tests do not install Go", () => {
    const situation = { root: true, present: new Set<Prerequisite>() };
    const inCi = decidePrerequisites('test:e2e session-traces', ['stack-programs'], { ...situation, env: { CI: 'true' } });
    expect(inCi).to.deep.equal({
      action: 'fail',
      reason: 'test:e2e session-traces needs the collector, Jaeger, VictoriaLogs and VictoriaMetrics built with Go: install Go (https://go.dev/dl), then bash tools/stack/e2e-prerequisites.sh builds them',
    });
    const optedIn = decidePrerequisites('test:e2e session-traces', ['stack-programs'], { ...situation, env: { SESSION_SERVICE_INSTALL: '1' } });
    expect(optedIn.action).to.equal('skip');
    expect(optedIn).to.have.property('reason').that.matches(/^test:e2e session-traces skipped: needs the collector, Jaeger, VictoriaLogs and VictoriaMetrics built with Go; install Go/);
  });

  it('never skips in CI', () => {
    const subsets: Prerequisite[][] = [[], ['chromium'], ['stack-programs'], ['docker-engine', 'docker-compose'], COMPOSE_NEEDS];
    for (const present of subsets) {
      for (const root of [true, false]) {
        const decision = decidePrerequisites('test:compose', COMPOSE_NEEDS, { env: { CI: 'true' }, root, present: new Set(present) });
        expect(decision.action, `${present.join(',')} root=${String(root)}`).not.to.equal('skip');
      }
    }
  });
});
