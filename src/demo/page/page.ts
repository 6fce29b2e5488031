/**
 * The demo page's script (bundled into assets/page.js by `npm run build:page`): starts the
 * browser telemetry with the configuration the server rendered, and wires the buttons to
 * the demo's routes. Every answer is listed in `#output`; `#session-id` always shows the
 * current session.
 */
import { startBrowserTelemetry, type BrowserTelemetry } from '../../browser/index.ts';
import { PAGE_CONFIG_ELEMENT_ID, readPageTelemetryConfig, type PageAnswer } from './page-config.ts';

function element<T extends HTMLElement>(id: string, type: new () => T): T {
  const found = document.getElementById(id);
  if (!(found instanceof type)) throw new Error(`The page has no #${id}`);
  return found;
}

function startTelemetry(): BrowserTelemetry | undefined {
  try {
    return startBrowserTelemetry(readPageTelemetryConfig(element(PAGE_CONFIG_ELEMENT_ID, HTMLScriptElement).text));
  } catch (error) {
    // The page works without telemetry; say why there is none.
    console.warn('Browser telemetry is off:', error);
    return undefined;
  }
}

function main(): void {
  const telemetry = startTelemetry();
  const output = element('output', HTMLOListElement);
  const sessionView = element('session-id', HTMLElement);
  const showSession = (): void => {
    sessionView.textContent = telemetry?.sessionId() ?? 'telemetry off';
  };
  telemetry?.onSessionChange(showSession);
  showSession();

  let token: string | undefined;
  const show = (answer: PageAnswer): void => {
    const line = document.createElement('li');
    line.textContent = JSON.stringify(answer);
    output.append(line);
    output.dataset['answers'] = String(output.childElementCount);
    showSession();
  };

  const call = async (action: string, method: string, path: string, body?: unknown): Promise<void> => {
    telemetry?.log('button clicked', { attributes: { 'demo.action': action } });
    const headers = new Headers();
    if (token !== undefined) headers.set('authorization', `Bearer ${token}`);
    if (body !== undefined) headers.set('content-type', 'application/json');
    const request = `${method} ${path}`;
    try {
      const response = await fetch(path, { method, headers, ...(body === undefined ? {} : { body: JSON.stringify(body) }) });
      const text = await response.text();
      let parsed: unknown = text;
      try {
        parsed = JSON.parse(text);
      } catch {
        // not JSON: shown as text
      }
      if (action === 'log-in' && response.ok) token = tokenOf(parsed);
      show({ request, status: response.status, traceId: response.headers.get('x-trace-id'), sessionId: response.headers.get('x-session-id'), body: parsed });
    } catch (error) {
      show({ request, status: null, traceId: null, sessionId: null, body: error instanceof Error ? error.message : String(error) });
    }
  };

  element('read-session', HTMLButtonElement).addEventListener('click', () => void call('read-session', 'GET', '/api/session'));
  element('log-in', HTMLButtonElement).addEventListener('click', () => void call('log-in', 'POST', '/api/login', { userId: 'alice' }));
  element('call-downstream', HTMLButtonElement).addEventListener('click', () => void call('call-downstream', 'GET', '/api/downstream'));
}

function tokenOf(body: unknown): string | undefined {
  const token = typeof body === 'object' && body !== null && 'token' in body ? body.token : undefined;
  return typeof token === 'string' ? token : undefined;
}

main();
