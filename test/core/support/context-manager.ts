import { context } from '@opentelemetry/api';
import { AsyncLocalStorageContextManager } from '@opentelemetry/context-async-hooks';

/**
 * Installs the real AsyncLocalStorage context manager for unit tests that need OpenTelemetry
 * contexts (baggage, active spans) without the whole SDK. Call from `before`; returns the
 * teardown for `after`.
 */
export function installContextManager(): () => void {
  const manager = new AsyncLocalStorageContextManager().enable();
  context.setGlobalContextManager(manager);
  return () => {
    context.disable();
  };
}
