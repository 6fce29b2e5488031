/** The browser telemetry relay: browsers' OTLP/HTTP JSON forwarded to the service's collector, bounded, sanitized, untraced. */
export { createBrowserTelemetryRelay, type BrowserTelemetryRelay } from './browser-telemetry-relay.ts';
export { RELAY_DEFAULTS, type BrowserTelemetryRelayOptions } from './relay-options.ts';
export { FAILURE_REASONS, REFUSAL_REASONS, type BrowserRelayCounts, type FailureReason, type RefusalReason } from './relay-counters.ts';
export { relayUpstreams, type RelayTarget, type RelayUpstreams } from './relay-upstream.ts';
export { MAX_OTLP_DEPTH, OTLP_BATCH_FIELD, sanitizeOtlpRequest } from './sanitize-otlp-request.ts';
export { TokenBucket, type TokenBucketOptions } from './token-bucket.ts';
