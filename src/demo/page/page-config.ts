import type { BrowserTelemetryOptions } from '../../browser/index.ts';

/** The id of the page's `<script type="application/json">` block holding {@link PageTelemetryConfig}. */
export const PAGE_CONFIG_ELEMENT_ID = 'web-telemetry-config';

/** One line of the page's `#output`, as JSON: what the page asked and what came back. */
export interface PageAnswer {
  /** `METHOD path`. */
  readonly request: string;
  /** The answer's status; `null` when the request failed. */
  readonly status: number | null;
  /** The answer's `x-trace-id` and `x-session-id`. */
  readonly traceId: string | null;
  readonly sessionId: string | null;
  /** The answer's body: parsed JSON, else its text (or the error's message). */
  readonly body: unknown;
}

/** The browser telemetry settings the server renders into the page. */
export interface PageTelemetryConfig {
  readonly serviceName: string;
  readonly exportBaseUrl: string;
  readonly idleTimeoutSeconds: number;
  readonly maxDurationSeconds: number;
  readonly sampleRatio: number;
}

/**
 * The options the page starts its telemetry with, read from the JSON the server rendered.
 * @throws {Error} when the text is not JSON or a field is missing or of the wrong type
 *   (ranges are checked by `startBrowserTelemetry`).
 */
export function readPageTelemetryConfig(text: string): BrowserTelemetryOptions {
  const value: unknown = JSON.parse(text);
  if (typeof value !== 'object' || value === null) throw new Error('The page telemetry config is not a JSON object');
  const fields = value as Record<string, unknown>;
  return {
    serviceName: field(fields, 'serviceName', 'string'),
    exportBaseUrl: field(fields, 'exportBaseUrl', 'string'),
    idleTimeoutSeconds: field(fields, 'idleTimeoutSeconds', 'number'),
    maxDurationSeconds: field(fields, 'maxDurationSeconds', 'number'),
    sampleRatio: field(fields, 'sampleRatio', 'number'),
  };
}

function field<T extends 'string' | 'number'>(fields: Record<string, unknown>, name: keyof PageTelemetryConfig, type: T): T extends 'string' ? string : number {
  const value = fields[name];
  if (typeof value !== type) throw new Error(`The page telemetry config's ${name} must be a ${type}`);
  return value as T extends 'string' ? string : number;
}
