import { expect } from 'chai';
import type { OrdersView } from '../../../src/orders/index.ts';
import { startCommand, startServiceProcess, type ServiceProcess } from '../../core/support/service-process.ts';

describe('the orders service started as npm start starts it, behind a trusted caller', function () {
  this.timeout(60_000);

  let service: ServiceProcess | undefined;

  afterEach(async () => {
    await service?.stop();
    service = undefined;
  });

  it('answers the orders of the user its trusted caller puts in baggage, in the caller\'s session', async () => {
    service = await startServiceProcess({ TRUST_INCOMING_BAGGAGE: 'true', OTEL_TRACES_EXPORTER: 'none' }, startCommand());
    const response = await fetch(`${service.url}/api/orders`, { headers: { baggage: 'session.id=orders-session-03,user.id=dave' } });
    expect(response.status).to.equal(200);
    const view = (await response.json()) as OrdersView;
    expect(view).to.include({ sessionId: 'orders-session-03', userId: 'dave' });
    expect(view.orders).to.have.length(2);
  });
});
