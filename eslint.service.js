// The lint configuration every service shares: this repository's and each service generated
// from it (create-service copies this file). Type-aware linting: the async rules
// (no-floating-promises, no-misused-promises) catch the mistakes that break context
// propagation and graceful shutdown. The import rules keep the layout's one direction: the
// core depends on nothing of the service, other code reaches it only through
// src/core/index.ts, and core folders reach each other only through their index.ts.
import eslint from '@eslint/js';
import tseslint from 'typescript-eslint';

const CORE_ENTRY_ONLY = 'Import the core through its one public entry, src/core/index.ts.';

/**
 * The shared configuration, for `tseslint.config(...)`.
 * @param {object} options
 * @param {string} options.rootDir the project's root (`import.meta.dirname` of eslint.config.js)
 * @param {string[]} [options.outsideCore] files outside src/ that may import the core's entry
 *   only (default every test but the core's own, which test its parts one by one)
 * @param {string[]} [options.tests] files written with chai (default `test/**`)
 */
export function serviceLintConfig({ rootDir, outsideCore = ['test/**/*.ts'], tests = ['test/**/*.ts'] }) {
  return [
    eslint.configs.recommended,
    ...tseslint.configs.strictTypeChecked,
    {
      languageOptions: {
        parserOptions: { projectService: true, tsconfigRootDir: rootDir },
      },
      rules: {
        '@typescript-eslint/consistent-type-imports': 'error',
        '@typescript-eslint/no-unused-vars': ['error', { argsIgnorePattern: '^_' }],
        '@typescript-eslint/restrict-template-expressions': ['error', { allowNumber: true }],
        'no-restricted-properties': [
          'error',
          { property: 'enterWith', message: 'Context only through run(); enterWith leaks the store into unrelated work.' },
        ],
      },
    },
    {
      // The rest of src/: main.ts and the service's own folders (here also the demo).
      files: ['src/**/*.ts'],
      ignores: ['src/core/**'],
      rules: {
        'no-restricted-imports': [
          'error',
          { patterns: [{ group: ['**/core/*/**', '**/core/*.ts', '!**/core/index.ts'], message: CORE_ENTRY_ONLY }] },
        ],
      },
    },
    {
      files: outsideCore,
      ignores: ['test/core/**'],
      rules: {
        'no-restricted-imports': [
          'error',
          { patterns: [{ group: ['**/src/core/*/**', '**/src/core/*.ts', '!**/src/core/index.ts'], message: CORE_ENTRY_ONLY }] },
        ],
      },
    },
    {
      // Core folders: a sibling folder only through its index.ts; nothing outside the core.
      files: ['src/core/*/*.ts'],
      rules: {
        'no-restricted-imports': [
          'error',
          {
            patterns: [
              { regex: String.raw`^\.\./[^./][^/]*/(?!index\.ts$)`, message: 'Import another core folder through its index.ts.' },
              { regex: String.raw`^\.\./\.\./(?!\.\./package\.json$)`, message: 'The core depends on nothing outside src/core.' },
            ],
          },
        ],
      },
    },
    {
      // A core folder's own subfolders (src/core/telemetry/sdk/): the same rules one level down.
      files: ['src/core/*/*/*.ts'],
      rules: {
        'no-restricted-imports': [
          'error',
          {
            patterns: [
              { regex: String.raw`^\.\./[^./][^/]*/(?!index\.ts$)`, message: 'Import a sibling subfolder through its index.ts.' },
              { regex: String.raw`^\.\./\.\./[^./][^/]*/(?!index\.ts$)`, message: 'Import another core folder through its index.ts.' },
              { regex: String.raw`^\.\./\.\./\.\./(?!\.\./package\.json$)`, message: 'The core depends on nothing outside src/core.' },
            ],
          },
        ],
      },
    },
    {
      files: ['src/core/*.ts'],
      rules: {
        'no-restricted-imports': [
          'error',
          {
            patterns: [
              { regex: String.raw`^\./[^/]+/(?!index\.ts$)`, message: 'Import a core folder through its index.ts.' },
              { regex: String.raw`^\.\./(?!\.\./package\.json$)`, message: 'The core depends on nothing outside src/core.' },
            ],
          },
        ],
      },
    },
    {
      files: tests,
      rules: {
        // chai assertions are property accesses (`expect(x).to.be.true`).
        '@typescript-eslint/no-unused-expressions': 'off',
        '@typescript-eslint/no-non-null-assertion': 'off',
      },
    },
    {
      // Plain JavaScript; the Node version check must run on Node versions that cannot run .ts files.
      files: ['eslint.config.js', 'eslint.service.js', 'src/core/node-version/*.mjs'],
      ...tseslint.configs.disableTypeChecked,
    },
  ];
}
