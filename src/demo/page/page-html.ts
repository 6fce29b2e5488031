import { createHash } from 'node:crypto';
import { PAGE_CONFIG_ELEMENT_ID, type PageTelemetryConfig } from './page-config.ts';

/** Where the page loads its script from. */
export const PAGE_SCRIPT_PATH = '/assets/page.js';

/** The page and the Content-Security-Policy it is served with. */
export interface PageDocument {
  readonly html: string;
  readonly contentSecurityPolicy: string;
}

const STYLE = `body{font:16px/1.5 system-ui,sans-serif;margin:2rem auto;max-width:60rem;padding:0 1rem}
button{font:inherit;margin-right:.5rem;padding:.3rem .8rem}
#output{font:13px/1.4 ui-monospace,monospace;overflow-wrap:anywhere}`;

/**
 * The demo page: three buttons (`#read-session`, `#log-in`, `#call-downstream`), the current
 * session in `#session-id`, the answers in `#output`, the telemetry configuration as a JSON
 * data block (`#web-telemetry-config`, never executed) and the bundled script.
 *
 * The policy lets the page run its own script only, connect to its own origin only (the API
 * and the telemetry export), and use its one inline style (by hash); nothing else.
 */
export function renderPage(config: PageTelemetryConfig): PageDocument {
  const styleHash = createHash('sha256').update(STYLE).digest('base64');
  const html = `<!doctype html>
<html lang="en">
<head>
<meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<title>Session demo</title>
<link rel="icon" href="data:,">
<style>${STYLE}</style>
<script type="application/json" id="${PAGE_CONFIG_ELEMENT_ID}">${jsonForHtml(config)}</script>
<script type="module" src="${PAGE_SCRIPT_PATH}"></script>
</head>
<body>
<main>
<h1>Session demo</h1>
<p>Browser session: <code id="session-id">(starting)</code></p>
<p>
<button type="button" id="read-session">Read session</button>
<button type="button" id="log-in">Log in</button>
<button type="button" id="call-downstream">Call downstream</button>
</p>
<ol id="output" data-answers="0"></ol>
</main>
</body>
</html>
`;
  const contentSecurityPolicy = [
    "default-src 'none'",
    "script-src 'self'",
    "connect-src 'self'",
    `style-src 'sha256-${styleHash}'`,
    'img-src data:',
    "base-uri 'none'",
    "form-action 'none'",
    "frame-ancestors 'none'",
  ].join('; ');
  return { html, contentSecurityPolicy };
}

/**
 * `value` as JSON that can stand inside a `<script>` element: `<`, `>` and `&` escaped as
 * `\u003c`…, so no `</script>` or `<!--` in a value ends the block early.
 */
export function jsonForHtml(value: unknown): string {
  return JSON.stringify(value).replace(/[<>&\u2028\u2029]/g, (character) => `\\u${character.charCodeAt(0).toString(16).padStart(4, '0')}`);
}
