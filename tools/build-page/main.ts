/**
 * `npm run build:page`: bundles the demo page's script into src/demo/page/assets/page.js,
 * which is committed (the production image has no esbuild) and checked to be current by
 * test/tools/unit/build-page/page-bundle.test.ts.
 */
import { writeFile } from 'node:fs/promises';
import { fileURLToPath } from 'node:url';
import { buildPageBundle, PAGE_BUNDLE_PATH } from './page-bundle.ts';

const bundle = await buildPageBundle();
await writeFile(fileURLToPath(new URL(`../../${PAGE_BUNDLE_PATH}`, import.meta.url)), bundle);
process.stdout.write(`${PAGE_BUNDLE_PATH}: ${Buffer.byteLength(bundle)} bytes\n`);
