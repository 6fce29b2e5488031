import { fileURLToPath } from 'node:url';
import { build, type BuildOptions } from 'esbuild';

const projectRoot = fileURLToPath(new URL('../../', import.meta.url));

/** The committed bundle the demo serves, relative to the project root. */
export const PAGE_BUNDLE_PATH = 'src/demo/page/assets/page.js';

/**
 * How the page script is bundled: src/demo/page/page.ts and what it imports (src/browser,
 * the web SDK), one minified ES module for browsers of ES2022. No source map: with the
 * sources in it, it would be seven times the bundle; without them, of no use.
 */
export const PAGE_BUNDLE_OPTIONS: Readonly<BuildOptions> = Object.freeze({
  absWorkingDir: projectRoot,
  entryPoints: ['src/demo/page/page.ts'],
  outfile: PAGE_BUNDLE_PATH,
  bundle: true,
  format: 'esm',
  platform: 'browser',
  target: 'es2022',
  minify: true,
  sourcemap: false,
  legalComments: 'eof',
  charset: 'utf8',
  logLevel: 'silent',
});

/** The bundle as {@link PAGE_BUNDLE_OPTIONS} builds it now, in memory. */
export async function buildPageBundle(): Promise<string> {
  const result = await build({ ...PAGE_BUNDLE_OPTIONS, write: false });
  const [bundle, ...others] = result.outputFiles;
  if (bundle === undefined || others.length > 0) throw new Error(`esbuild wrote ${result.outputFiles.length} files, expected the bundle alone`);
  return bundle.text;
}
