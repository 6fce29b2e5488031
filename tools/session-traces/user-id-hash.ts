import { createHash } from 'node:crypto';

/**
 * `user.id` as Jaeger stores it: the collector's attributes processor (`action: hash` in
 * otel-collector.yaml) replaces it with the unsalted SHA-256 of the value, in hex.
 */
export function hashUserId(userId: string): string {
  return createHash('sha256').update(userId, 'utf8').digest('hex');
}
