import { accessSync, constants, mkdirSync } from 'node:fs';
import { delimiter, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { chromium, type Browser, type Page } from 'playwright-core';

const projectRoot = fileURLToPath(new URL('../../../', import.meta.url));

/** Where tests keep what a person looks at after a run (screenshots); ignored by git. */
export const ARTEFACT_DIR = join(projectRoot, 'test-artefacts');

/** How long one browser action (a click, a navigation) may take on a busy 2-core machine. */
const ACTION_TIMEOUT_MS = 60_000;

/**
 * Debian's `chromium` found on PATH (/usr/bin/chromium). tools/stack/e2e-prerequisites.sh
 * installs it when missing in CI or with SESSION_SERVICE_INSTALL=1; playwright-core never
 * downloads a browser of its own.
 */
export function chromiumExecutable(): string {
  for (const dir of (process.env['PATH'] ?? '').split(delimiter)) {
    const candidate = join(dir, 'chromium');
    try {
      accessSync(candidate, constants.X_OK);
      return candidate;
    } catch {
      // not in this directory
    }
  }
  throw new Error("Debian's chromium is not on PATH: `apt-get install chromium`, or run `SESSION_SERVICE_INSTALL=1 bash tools/stack/e2e-prerequisites.sh` as root");
}

/** Debian's Chromium, headless, with one page open. */
export interface HeadlessChromium {
  readonly browser: Browser;
  readonly page: Page;
  /**
   * The requests the page made to anything but loopback: each was aborted, since the tests
   * talk only to loopback. Empty unless the page reached out.
   */
  offLoopbackRequests(): string[];
  /** Errors the page threw and console errors it logged, for failure messages. */
  pageErrors(): string[];
  /** Saves a full-page screenshot as test-artefacts/`name`.png and returns its path. */
  screenshot(name: string): Promise<string>;
  close(): Promise<void>;
}

const LOOPBACK_HOSTS = new Set(['127.0.0.1', 'localhost', '[::1]']);

/**
 * Launches {@link chromiumExecutable} headless through playwright-core, with one page of
 * 2048×1152. As root, Chromium's sandbox is off (`--no-sandbox`: Chromium refuses to run
 * sandboxed as root); as another user, on.
 */
export async function launchHeadlessChromium(): Promise<HeadlessChromium> {
  const browser = await chromium.launch({
    executablePath: chromiumExecutable(),
    headless: true,
    chromiumSandbox: process.getuid?.() !== 0,
    timeout: ACTION_TIMEOUT_MS,
  });
  try {
    const page = await browser.newPage({ viewport: { width: 2048, height: 1152 } });
    page.setDefaultTimeout(ACTION_TIMEOUT_MS);
    const offLoopback: string[] = [];
    await page.route(
      (url) => !LOOPBACK_HOSTS.has(url.hostname),
      async (route) => {
        offLoopback.push(route.request().url());
        await route.abort('blockedbyclient');
      },
    );
    const errors: string[] = [];
    page.on('pageerror', (error) => errors.push(`page error: ${error.message}`));
    page.on('console', (message) => {
      if (message.type() === 'error') errors.push(`console error: ${message.text()}`);
    });
    return {
      browser,
      page,
      offLoopbackRequests: () => [...offLoopback],
      pageErrors: () => [...errors],
      screenshot: async (name) => {
        mkdirSync(ARTEFACT_DIR, { recursive: true });
        const path = join(ARTEFACT_DIR, `${name}.png`);
        await page.screenshot({ path, fullPage: true });
        return path;
      },
      close: () => browser.close(),
    };
  } catch (error) {
    await browser.close();
    throw error;
  }
}
