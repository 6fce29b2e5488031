/**
 * Browser telemetry for any web front-end: OpenTelemetry's web SDK (3.0 line), one session
 * per browser (`session.id`, `session.previous_id`, the `session.start` / `session.end`
 * events), the session on every span, log record and trusted fetch, and the server's session
 * sampling rule. Browser code only: it imports neither the core nor Node's modules.
 *
 * ```ts
 * const telemetry = startBrowserTelemetry({ sampleRatio: 0.5 });
 * telemetry.onSessionChange(() => render(telemetry.sessionId()));
 * ```
 */
export {
  startBrowserTelemetry,
  type BrowserLogDetails,
  type BrowserLogLevel,
  type BrowserTelemetry,
} from './start-browser-telemetry.ts';
export { BROWSER_TELEMETRY_DEFAULTS, type BrowserTelemetryOptions } from './browser-telemetry-options.ts';
export {
  isValidSessionId,
  SESSION_ID_PATTERN,
  type BrowserSession,
  type SessionChange,
  type SessionChangeReason,
} from './browser-session.ts';
export { ACTIVITY_WRITE_INTERVAL_MS, SESSION_STORAGE_KEY } from './session-manager.ts';
export { SESSION_ID_HEADER } from './session-fetch.ts';
export { isSessionSampled } from './session-sampling.ts';
export type { SessionStorageLike } from './guarded-storage.ts';
