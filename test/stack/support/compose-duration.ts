const UNIT_MS: Readonly<Record<string, number>> = { us: 0.001, ms: 1, s: 1000, m: 60_000, h: 3_600_000 };

/**
 * Milliseconds of a compose file duration (`stop_grace_period`, a healthcheck's `interval`):
 * one or more `<number><unit>` parts with units `us`, `ms`, `s`, `m`, `h`, such as `15s`,
 * `1m30s` or `1.5s`.
 * @throws {Error} naming the value when it is not such a duration.
 */
export function parseComposeDuration(text: string): number {
  if (!/^(\d+(\.\d+)?(us|ms|s|m|h))+$/.test(text)) throw new Error(`not a compose duration: ${JSON.stringify(text)}`);
  let total = 0;
  for (const [, value, unit] of text.matchAll(/(\d+(?:\.\d+)?)(us|ms|s|m|h)/g)) total += Number(value) * UNIT_MS[unit!]!;
  return total;
}
