/** What the telemetry says about itself: lost spans and records, export failures in words. */
export { NO_DELIVERY, TELEMETRY_LOSS_REPORT, TelemetryLossMonitor, type Delivery, type TelemetryDelivery } from './telemetry-loss-monitor.ts';
export { DiagnosticsToLogger } from './diag-to-logger.ts';
export { describeTelemetryError } from './describe-telemetry-error.ts';
