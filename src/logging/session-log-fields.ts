import { currentSessionStore } from '../context/session-storage.ts';
import { TELEMETRY_KEY_BY_SESSION_KEY, type SessionMapKey } from '../context/session-map-key.ts';

/**
 * An object whose enumerable getters read the current session (`session.id`, `user.id`).
 *
 * Given to winston as `defaultMeta`: winston copies it into each record with
 * `Object.assign` inside the logging call, so the getters run synchronously in the caller's
 * async context. A winston *format* would not do: formats run inside the logger's stream and
 * can run later, outside that context, once the stream buffers under load.
 * Unset values read as `undefined`, which the JSON format leaves out.
 */
export function sessionLogFields(): Readonly<Record<string, string | undefined>> {
  const fields: Record<string, string | undefined> = {};
  for (const [key, field] of Object.entries(TELEMETRY_KEY_BY_SESSION_KEY) as [SessionMapKey, string][]) {
    Object.defineProperty(fields, field, {
      enumerable: true,
      get: () => currentSessionStore()?.values[key],
    });
  }
  return fields;
}
