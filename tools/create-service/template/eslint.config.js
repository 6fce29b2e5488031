// Type-aware linting: the async rules (no-floating-promises, no-misused-promises)
// catch the mistakes that break context propagation and graceful shutdown. The import rules
// keep the layout's one direction: the core depends on nothing of the service, other code
// reaches it only through src/core/index.ts, and core folders reach each other only through
// their index.ts.
import eslint from '@eslint/js';
import tseslint from 'typescript-eslint';

const CORE_ENTRY_ONLY = 'Import the core through its one public entry, src/core/index.ts.';

export default tseslint.config(
  { ignores: ['node_modules/'] },
  eslint.configs.recommended,
  tseslint.configs.strictTypeChecked,
  {
    languageOptions: {
      parserOptions: { projectService: true, tsconfigRootDir: import.meta.dirname },
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
    // The rest of src/: main.ts and the service's own folders.
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
    // Every test but the core's own (which test its parts one by one).
    files: ['test/**/*.ts'],
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
    files: ['src/core/*/**/*.ts'],
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
    files: ['test/**/*.ts'],
    rules: {
      // chai assertions are property accesses (`expect(x).to.be.true`).
      '@typescript-eslint/no-unused-expressions': 'off',
      '@typescript-eslint/no-non-null-assertion': 'off',
    },
  },
  {
    files: ['eslint.config.js'],
    extends: [tseslint.configs.disableTypeChecked],
  },
);
