import { expect } from 'chai';
import { ComposeProject, runScript } from '../support/compose-project.ts';
import { driveSession, type DrivenSession } from '../support/e2e-stack.ts';
import { isPortFree } from '../../core/support/ports.ts';
import { answersOk } from '../../core/support/probes.ts';
import { waitFor, type ServiceProcess } from '../../core/support/service-process.ts';
import {
  expectDownstreamAcrossServices,
  expectEveryRequestFound,
  expectFoundByHashedUser,
  expectSessionTags,
} from '../support/session-checks.ts';

const API_URL = 'http://127.0.0.1:3000';
const JAEGER_URL = 'http://127.0.0.1:16686';

/** `api` as the compose file publishes it, in the shape driveSession takes. */
const api = { url: API_URL } as ServiceProcess;

describe('docker compose up: the unmodified docker-compose.yml, every container real', function () {
  // First run: debootstrap, Go builds, image builds with npm ci inside.
  this.timeout(40 * 60_000);

  const compose = new ComposeProject('session-context-compose-test');
  const startedAt = Date.now();
  const run = Date.now().toString(36);
  const sessions: DrivenSession[] = [];

  before(async () => {
    runScript('compose/docker-engine.sh', 'start');
    runScript('compose/build-stand-in-images.sh');
    compose.run(['down', '-v', '--remove-orphans'], { quiet: true });
    for (const port of [3000, 16686]) {
      if (!(await isPortFree(port))) throw new Error(`Port ${port}, published by docker-compose.yml, is in use`);
    }
    console.log('      docker-compose up --build -d');
    compose.run(['up', '--build', '-d']);
    const withHealthcheck = ['api', 'orders', 'jaeger'];
    await waitFor(
      'api, orders and Jaeger to report healthy',
      () => withHealthcheck.every((service) => compose.health(service) === 'healthy'),
      120_000,
      () => withHealthcheck.map((service) => `${service}: ${compose.health(service)}`).join(', '),
    );
    // The collector's image has no healthcheck: ask its health_check extension directly, so no
    // span of the first test is sent before it can receive.
    const collectorHealth = `http://${compose.containerAddress('otel-collector')}:13133/`;
    await waitFor('the collector to report healthy', () => answersOk(collectorHealth), 60_000);
  });

  after(() => {
    try {
      compose.run(['down', '-v'], { quiet: true });
    } finally {
      runScript('compose/docker-engine.sh', 'stop');
    }
  });

  it('starts every container and publishes the service and the Jaeger query API on the host', async () => {
    const running = compose.run(['ps', '--services', '--filter', 'status=running'], { quiet: true }).trim().split('\n').sort();
    expect(running).to.deep.equal(['api', 'jaeger', 'orders', 'otel-collector']);
    expect(await answersOk(`${API_URL}/readyz`)).to.equal(true);
    expect(await answersOk(`${JAEGER_URL}/api/services`)).to.equal(true);
  });

  it('runs the service containers as a non-root user', () => {
    for (const service of ['api', 'orders']) {
      expect(compose.run(['exec', '-T', service, 'id', '-u'], { quiet: true }).trim(), service).not.to.equal('0');
    }
  });

  it('finds each session in Jaeger: every request, the downstream trace across both services, session.id on every span, user.id hashed', async () => {
    for (const [i, user] of ['alice', 'bob', 'carol'].entries()) {
      sessions.push(await driveSession(api, `compose-${run}-session-${i}`, `${user}@example.com`));
    }
    for (const session of sessions) {
      await expectEveryRequestFound(JAEGER_URL, session, startedAt);
      await expectDownstreamAcrossServices(JAEGER_URL, session, startedAt);
      await expectSessionTags(JAEGER_URL, session, startedAt);
    }
    await expectFoundByHashedUser(JAEGER_URL, sessions[0]!, startedAt);
  });

  it('loses no span sent after a restarted collector is healthy again', async () => {
    compose.run(['restart', 'otel-collector'], { quiet: true });
    const health = `http://${compose.containerAddress('otel-collector')}:13133/`;
    await waitFor('the collector to report healthy after its restart', () => answersOk(health), 60_000);
    const session = await driveSession(api, `compose-${run}-after-restart`, 'dave@example.com');
    await expectEveryRequestFound(JAEGER_URL, session, startedAt);
    await expectDownstreamAcrossServices(JAEGER_URL, session, startedAt);
  });

  it("lets the last request's spans reach Jaeger when the api container is stopped", async () => {
    // The batch processor waits 5 s by default: only the graceful shutdown's flush gets these out.
    const session = await driveSession(api, `compose-${run}-before-stop`);
    compose.run(['stop', 'api'], { quiet: true });
    expect(compose.exitCode('api'), 'exit code of the stopped api container').to.equal(0);
    await expectEveryRequestFound(JAEGER_URL, session, startedAt);
  });
});
