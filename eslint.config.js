// This repository's lint configuration: the one every service shares (eslint.service.js),
// with the tooling held to the same import boundary as the tests.
import tseslint from 'typescript-eslint';
import { serviceLintConfig } from './eslint.service.js';

export default tseslint.config(
  // services/ and tools/create-service/template/ hold services' own code (also left out of
  // tsconfig.json), checked inside the project it is generated into (test/tools/template/),
  // where its imports of the core resolve.
  { ignores: ['node_modules/', '.cache/', 'tools/bench/results/', 'services/', 'tools/create-service/template/'] },
  ...serviceLintConfig({
    rootDir: import.meta.dirname,
    outsideCore: ['test/**/*.ts', 'tools/**/*.ts'],
    tests: ['test/**/*.ts', 'tools/bench/**/*.ts'],
  }),
);
