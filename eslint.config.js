// This repository's lint configuration: the one every service shares (eslint.service.js),
// with the tooling held to the same import boundary as the tests, and the browser code held
// to browser code.
import tseslint from 'typescript-eslint';
import { serviceLintConfig } from './eslint.service.js';

const BROWSER_ONLY = "Browser code imports neither the core, the demo's server side nor Node's modules: it runs in the page.";

export default tseslint.config(
  // services/ and tools/create-service/template/ hold services' own code (also left out of
  // tsconfig.json), checked inside the project it is generated into (test/tools/template/),
  // where its imports of the core resolve. The page's bundle is built (npm run build:page).
  {
    ignores: ['node_modules/', '.cache/', 'tools/bench/results/', 'services/', 'tools/create-service/template/', 'src/demo/page/assets/'],
  },
  ...serviceLintConfig({
    rootDir: import.meta.dirname,
    outsideCore: ['test/**/*.ts', 'tools/**/*.ts'],
    tests: ['test/**/*.ts', 'tools/bench/**/*.ts'],
  }),
  {
    // The page script needs the DOM's types: it is in tsconfig.browser.json only.
    files: ['src/demo/page/page.ts'],
    languageOptions: { parserOptions: { projectService: false, project: './tsconfig.browser.json', tsconfigRootDir: import.meta.dirname } },
  },
  {
    files: ['src/browser/**/*.ts', 'src/demo/page/page.ts', 'src/demo/page/page-config.ts'],
    rules: {
      'no-restricted-imports': [
        'error',
        {
          patterns: [
            { regex: String.raw`^(\.\.?/)+(core|demo)(/|$)`, message: BROWSER_ONLY },
            { regex: '^node:', message: BROWSER_ONLY },
          ],
        },
      ],
    },
  },
);
