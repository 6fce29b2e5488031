// The lint configuration every service made from the template shares (eslint.service.js):
// type-aware rules, and the import rules that keep the core behind src/core/index.ts.
import tseslint from 'typescript-eslint';
import { serviceLintConfig } from './eslint.service.js';

export default tseslint.config({ ignores: ['node_modules/'] }, ...serviceLintConfig({ rootDir: import.meta.dirname }));
