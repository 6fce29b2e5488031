import type { Page } from 'playwright-core';
import { ACTIVITY_WRITE_INTERVAL_MS, SESSION_STORAGE_KEY } from '../../../src/browser/index.ts';
import { waitFor } from '../../core/support/service-process.ts';

/**
 * The demo page's session as the tests see it. The page's Content-Security-Policy
 * (`script-src 'self'`) forbids `eval`, which Playwright's `waitForFunction` runs in the page:
 * waits here go through locators (matched by Playwright's own selector engine) or poll
 * `page.evaluate`, which the DevTools protocol runs outside the page's policy.
 */

/** A session id the browser module mints: `crypto.randomUUID()`. */
const MINTED_SESSION_ID = /^[0-9a-f]{8}-[0-9a-f]{4}-4[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}$/;

/** Waits until the page shows a session id in `#session-id`, and returns it. */
export async function shownSessionOnceStarted(page: Page): Promise<string> {
  const shown = page.locator('#session-id', { hasText: MINTED_SESSION_ID });
  await shown.waitFor();
  return shown.innerText();
}

/**
 * Waits until the page's session has been idle for longer than `idleTimeoutSeconds`, by the
 * page's own clock and the last activity it stored, so that the next activity starts a new
 * session. The page writes its last activity at most once per ACTIVITY_WRITE_INTERVAL_MS:
 * the activity it holds in memory may be that much newer than the stored one.
 */
export async function waitUntilIdlePast(page: Page, idleTimeoutSeconds: number): Promise<void> {
  // An expression, not a function: this program is type-checked without the DOM's types.
  const idle = `(() => {
    const stored = JSON.parse(localStorage.getItem(${JSON.stringify(SESSION_STORAGE_KEY)}) ?? 'null');
    return typeof stored?.lastActivityTimestamp === 'number' && Date.now() > stored.lastActivityTimestamp + ${idleTimeoutSeconds * 1000 + ACTIVITY_WRITE_INTERVAL_MS};
  })()`;
  await waitFor(`the page's session idle past ${idleTimeoutSeconds} s`, async () => (await page.evaluate(idle)) === true, (idleTimeoutSeconds + 60) * 1000);
}
