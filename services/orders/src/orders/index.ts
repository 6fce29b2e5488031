/** The orders service's own routes. */
export { ordersRoutes, type Order, type OrdersView } from './orders-routes.ts';
