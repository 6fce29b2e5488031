import { expect } from 'chai';
import { Router } from 'express';
import { ATTR_SESSION_ID, setByKey, SessionMapKey, type RoutesFactory } from '../../../src/core/index.ts';
import { ordersRoutes, type OrdersView } from '../../../src/orders/index.ts';
import { spanExporter } from '../../core/support/integration-preload.ts';
import { spansOfTrace } from '../../core/support/spans.ts';
import { request, startTestApp, type TestApp } from '../../core/support/test-app.ts';

/** Stands in for whatever established the user (in the stack: `api`'s baggage, trusted). */
const userFromTestHeader: RoutesFactory = () =>
  Router().use((req, _res, next) => {
    const userId = req.headers['x-test-user'];
    if (typeof userId === 'string') setByKey(SessionMapKey.USER_ID, userId);
    next();
  });

describe('GET /api/orders (real SDK, in-memory exporter)', () => {
  let app: TestApp;

  beforeEach(async () => {
    spanExporter.reset();
    app = await startTestApp({ routes: [userFromTestHeader, ordersRoutes] });
  });

  afterEach(async () => {
    await app.close();
  });

  it('lists no orders, with the caller\'s session and trace, when the session has no user', async () => {
    const response = await request(`${app.url}/api/orders`, { headers: { 'x-session-id': 'orders-session-01' } });
    expect(response.status).to.equal(200);
    const traceId = response.headers.get('x-trace-id');
    expect(await response.json()).to.deep.equal({ sessionId: 'orders-session-01', userId: null, traceId, orders: [] } satisfies OrdersView);
  });

  it('lists the user\'s orders, and tags every span of the request with the session, when the session has a user', async () => {
    const response = await request(`${app.url}/api/orders`, { headers: { 'x-session-id': 'orders-session-02', 'x-test-user': 'carol' } });
    const view = (await response.json()) as OrdersView;
    expect(view).to.include({ sessionId: 'orders-session-02', userId: 'carol' });
    expect(view.orders.map((order) => order.id)).to.deep.equal(['order-1001', 'order-1002']);
    const spans = await spansOfTrace(spanExporter, response.headers.get('x-trace-id')!);
    expect(spans.map((span) => span.name)).to.include('GET /api/orders');
    for (const span of spans) expect(span.attributes[ATTR_SESSION_ID], span.name).to.equal('orders-session-02');
  });
});
