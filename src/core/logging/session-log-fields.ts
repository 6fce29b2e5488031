import { currentSessionStore, SESSION_KEYS, SESSION_TELEMETRY } from '../context/index.ts';

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
  for (const key of SESSION_KEYS) {
    Object.defineProperty(fields, SESSION_TELEMETRY[key].name, {
      enumerable: true,
      get: () => currentSessionStore()?.values[key],
    });
  }
  return fields;
}
