import { expect } from 'chai';
import { startCommand, startServiceProcess, type ServiceProcess } from '../../core/support/service-process.ts';

describe('the default downstream (DOWNSTREAM_URL unset)', () => {
  let service: ServiceProcess | undefined;

  afterEach(async () => {
    await service?.stop();
    service = undefined;
  });

  it('calls the service\'s own /api/session on the port it listens on when PORT=0', async () => {
    // startServiceProcess sets PORT=0: the port is only known once the service listens.
    service = await startServiceProcess({ OTEL_TRACES_EXPORTER: 'none' }, startCommand());
    const response = await fetch(`${service.url}/api/downstream`, { headers: { 'x-session-id': 'session-self-01' } });
    expect(response.status, 'GET /api/downstream').to.equal(200);
    const body = (await response.json()) as { status: number; downstream: { sessionId: string | null; traceId: string | null } };
    expect(body.status).to.equal(200);
    // The call reached this very service and carried the session in baggage (127.0.0.1 is allowed by default).
    expect(body.downstream.sessionId).to.equal('session-self-01');
    expect(body.downstream.traceId).to.equal(response.headers.get('x-trace-id'));
  });
});
