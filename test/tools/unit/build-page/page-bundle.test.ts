import { readFile } from 'node:fs/promises';
import { fileURLToPath } from 'node:url';
import { expect } from 'chai';
import { buildPageBundle, PAGE_BUNDLE_PATH } from '../../../../tools/build-page/page-bundle.ts';

describe('the demo page bundle (tools/build-page)', function () {
  // esbuild bundles the web SDK in well under a second; a busy machine gets room.
  this.timeout(60_000);

  it('is the committed file when the sources have not changed since npm run build:page', async () => {
    const committed = await readFile(fileURLToPath(new URL(`../../../../${PAGE_BUNDLE_PATH}`, import.meta.url)), 'utf8');
    const rebuilt = await buildPageBundle();
    // Not a deep diff of 100 kB of minified code: a clear instruction.
    expect(rebuilt === committed, `${PAGE_BUNDLE_PATH} is out of date: run npm run build:page and commit it`).to.equal(true);
  });

  it('bundles the page for the browser: one ES module, no Node built-in, no require', async () => {
    const bundle = await buildPageBundle();
    expect(bundle).to.include('web-telemetry-config');
    expect(bundle).not.to.match(/\brequire\(|from ?"node:|process\.env/);
  });
});
