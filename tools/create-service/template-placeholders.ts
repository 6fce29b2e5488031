/** Replaced by the service name in every template file. */
export const SERVICE_NAME_PLACEHOLDER = '__SERVICE_NAME__';

/** Replaced by the name and version of the template repository (`session-context-service 0.1.0`). */
export const TEMPLATE_PLACEHOLDER = '__TEMPLATE__';

/** What the placeholders stand for. */
export interface PlaceholderValues {
  readonly serviceName: string;
  /** The template repository's package name and version. */
  readonly template: string;
}

/** `text` with every placeholder replaced. */
export function fillPlaceholders(text: string, values: PlaceholderValues): string {
  return text.replaceAll(SERVICE_NAME_PLACEHOLDER, values.serviceName).replaceAll(TEMPLATE_PLACEHOLDER, values.template);
}
