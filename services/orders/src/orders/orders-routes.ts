import { trace } from '@opentelemetry/api';
import { Router } from 'express';
import { getByKey, SessionMapKey, type RoutesFactory } from '../core/index.ts';

/** One order as `GET /api/orders` lists it. */
export interface Order {
  readonly id: string;
  readonly item: string;
  readonly quantity: number;
}

/** What `GET /api/orders` answers: the caller's session as this service sees it, and its orders. */
export interface OrdersView {
  readonly sessionId: string | null;
  readonly userId: string | null;
  readonly traceId: string | null;
  readonly orders: readonly Order[];
}

/** The sample store: every signed-in user has the same two orders; anonymous callers none. */
const SAMPLE_ORDERS: readonly Order[] = [
  { id: 'order-1001', item: 'notebook', quantity: 2 },
  { id: 'order-1002', item: 'pencil', quantity: 12 },
];

/**
 * `GET /api/orders`: the orders of the session's user (`user.id`, adopted from the trusted
 * caller's baggage), with the session as this service sees it, so a caller can check that its
 * session, user and trace arrived.
 */
export const ordersRoutes: RoutesFactory = ({ logger }) => {
  const router = Router();
  router.get('/orders', (_req, res) => {
    const userId = getByKey(SessionMapKey.USER_ID) ?? null;
    const orders = userId === null ? [] : SAMPLE_ORDERS;
    logger.info('orders listed', { 'orders.count': orders.length });
    const view: OrdersView = {
      sessionId: getByKey(SessionMapKey.SESSION_ID) ?? null,
      userId,
      traceId: trace.getActiveSpan()?.spanContext().traceId ?? null,
      orders,
    };
    res.json(view);
  });
  return router;
};
