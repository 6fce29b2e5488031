import { expect } from 'chai';
import { startCommand, startServiceProcess, type ServiceProcess } from '../../core/support/service-process.ts';

describe('the demo token secret (TOKEN_SECRET)', () => {
  let service: ServiceProcess | undefined;

  afterEach(async () => {
    await service?.stop('SIGKILL');
    service = undefined;
  });

  it('is never written to the output, even at the most verbose log level, when tokens are issued and refused', async () => {
    const secret = `marker-secret-${'x'.repeat(32)}`;
    service = await startServiceProcess({ TOKEN_SECRET: secret, LOG_LEVEL: 'silly', OTEL_TRACES_EXPORTER: 'console' }, startCommand());
    const login = await fetch(`${service.url}/api/login`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: '{"userId":"alice"}' });
    expect(login.status, 'POST /api/login').to.equal(200);
    const { token } = (await login.json()) as { token: string };
    expect((await fetch(`${service.url}/api/session`, { headers: { authorization: `Bearer ${token}` } })).status).to.equal(200);
    expect((await fetch(`${service.url}/api/session`, { headers: { authorization: 'Bearer forged.token.value' } })).status).to.equal(401);
    expect(await service.stop('SIGTERM')).to.equal(0);
    expect(JSON.stringify(service.logLines()) + service.stderr()).not.to.include(secret);
  });
});
