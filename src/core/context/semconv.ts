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
