/**
 * Semantic-convention attribute names this project relies on.
 *
 * They are still "development" status, so they are copied here rather than imported from
 * `@opentelemetry/semantic-conventions/incubating`, as that package advises for unstable names.
 */

/** A unique id identifying a session (semconv `session.id`). */
export const ATTR_SESSION_ID = 'session.id';

/** Unique identifier of the user (semconv `user.id`). */
export const ATTR_USER_ID = 'user.id';

/** The previous `session.id` of this user's activity, when a session replaced another (semconv `session.previous_id`). */
export const ATTR_SESSION_PREVIOUS_ID = 'session.previous_id';

/** The event that a session started (semconv `session.start`: `session.id`, and `session.previous_id` when it replaced one). */
export const EVENT_SESSION_START = 'session.start';

/** The event that a session ended (semconv `session.end`: `session.id` of the session that ended). */
export const EVENT_SESSION_END = 'session.end';
