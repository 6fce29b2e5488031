/**
 * One readable sentence for an error the OpenTelemetry SDK reports through its global error
 * handler (almost always a failed export), instead of the SDK's default, a JSON dump of the
 * error's properties and stack.
 *
 * Examples: "Telemetry export failed: nothing accepts connections at 127.0.0.1:4318
 * (ECONNREFUSED)"; "Telemetry export failed: the collector answered HTTP 503 (Service
 * Unavailable)".
 */
export function describeTelemetryError(error: unknown): string {
  const reason = telemetryErrorReason(error);
  return isExportFailure(error) ? `Telemetry export failed: ${reason}` : `Telemetry error: ${reason}`;
}

/** Why `error` happened, in words: the part of {@link describeTelemetryError} after the colon. */
export function telemetryErrorReason(error: unknown): string {
  if (!(error instanceof Error)) return typeof error === 'string' ? error : String(error);
  const { code, address, port } = error as ErrorDetails;
  if (typeof code === 'string' && typeof address === 'string') {
    const where = typeof port === 'number' ? `${address}:${port}` : address;
    return `${(NETWORK_REASONS[code] ?? 'the connection to %s failed').replace('%s', where)} (${code})`;
  }
  // OTLPExporterError carries the HTTP status as a number in `code`.
  if (typeof code === 'number') return `the collector answered HTTP ${code}${error.message === '' ? '' : ` (${error.message})`}`;
  return error.name === 'Error' ? error.message : `${error.name}: ${error.message}`;
}

interface ErrorDetails {
  readonly code?: unknown;
  readonly address?: unknown;
  readonly port?: unknown;
}

function isExportFailure(error: unknown): boolean {
  if (!(error instanceof Error)) return false;
  const { code, address } = error as ErrorDetails;
  return (typeof code === 'string' && typeof address === 'string') || typeof code === 'number' || error.name === 'OTLPExporterError';
}

const NETWORK_REASONS: Readonly<Record<string, string>> = {
  ECONNREFUSED: 'nothing accepts connections at %s',
  ECONNRESET: 'the connection to %s was reset',
  ETIMEDOUT: 'the connection to %s timed out',
  EHOSTUNREACH: '%s is unreachable',
  ENETUNREACH: 'the network of %s is unreachable',
};
