/**
 * The core of a service made from this template: the one module other code imports.
 *
 * - Run a service: `startService({ routes: [myRoutes] })`, started with the preload
 *   (`node --import ./src/core/preload.ts ./src/main.ts`).
 * - The session: `getByKey` / `setByKey` with `SessionMapKey`, `runWithSession` for work that
 *   does not come in over HTTP, `rotateSession` where a user signs in.
 * - Errors: throw `HttpError` for an answer with a status and a stable code.
 * - Configuration of your own: `readConfigFrom(service.env, (read) => …)`.
 */
export {
  startService,
  createServiceApp,
  type Readiness,
  type RoutesFactory,
  type ServiceAppDependencies,
  type ServiceContext,
  type ServiceOptions,
} from './server/index.ts';
export {
  ATTR_SESSION_ID,
  ATTR_SESSION_PREVIOUS_ID,
  ATTR_USER_ID,
  deriveSessionId,
  getByKey,
  isValidSessionId,
  isValidUserId,
  newSessionId,
  rotateSession,
  runWithSession,
  SESSION_ID_PATTERN,
  SESSION_TELEMETRY,
  sessionContext,
  SessionMapKey,
  setByKey,
  USER_ID_PATTERN,
  USER_ID_RULE,
  type InitialSessionValues,
  type SessionContextOptions,
  type SessionTelemetry,
  type SessionValues,
  type WritableSessionMapKey,
} from './context/index.ts';
export { HttpError, type ErrorBody } from './http/index.ts';
export {
  createBrowserTelemetryRelay,
  RELAY_DEFAULTS,
  type BrowserRelayCounts,
  type BrowserTelemetryRelay,
  type BrowserTelemetryRelayOptions,
} from './otlp-relay/index.ts';
export { chooseLogFormat, createLogger, removeInvisibleCharacters, type LogFormat, type Logger, type LoggerOptions } from './logging/index.ts';
export {
  ConfigError,
  DEFAULT_BAGGAGE_ALLOWED_HOSTS,
  EnvReader,
  readConfigFrom,
  readCoreConfig,
  type CoreConfig,
  type Env,
  type LogLevel,
  type NodeEnv,
} from './config/index.ts';
export {
  BROWSER_TELEMETRY_PATHS,
  isSessionSampled,
  registeredTelemetry,
  startServiceTelemetry,
  type Delivery,
  type Telemetry,
  type TelemetryDelivery,
} from './telemetry/index.ts';
