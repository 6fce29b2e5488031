import { fileURLToPath } from 'node:url';
import { expect } from 'chai';
import { ESLint } from 'eslint';

const projectRoot = fileURLToPath(new URL('../../../', import.meta.url));

/** The no-restricted-imports messages ESLint gives `code` when it stands in the file at `path`. */
async function boundaryViolations(path: string, code: string): Promise<string[]> {
  // Only the boundary rule runs, and without type information: building the TypeScript
  // program for the type-aware rules took seconds per instance and proves nothing here.
  const eslint = new ESLint({
    cwd: projectRoot,
    overrideConfig: { languageOptions: { parserOptions: { projectService: false, project: null } } },
    ruleFilter: ({ ruleId }) => ruleId === 'no-restricted-imports',
  });
  const [result] = await eslint.lintText(code, { filePath: `${projectRoot}${path}` });
  return (result?.messages ?? []).filter((message) => message.ruleId === 'no-restricted-imports').map((message) => message.message);
}

describe('the layout\'s import boundaries (eslint.config.js)', function () {
  // Type-aware linting loads the TypeScript project once per ESLint instance.
  this.timeout(60_000);

  it('refuses a core file other than the entry when the demo imports one', async () => {
    const violations = await boundaryViolations('src/demo/demo-routes.ts', "export { getByKey } from '../core/context/index.ts';\n");
    expect(violations).to.have.length(1);
    expect(violations[0]).to.include('src/core/index.ts');
  });

  it('refuses a core file other than the entry when tooling or a test outside the core imports one', async () => {
    expect(await boundaryViolations('tools/session-traces/lookup-args.ts', "export { isValidSessionId } from '../../src/core/context/session-id.ts';\n")).to.have.length(1);
    expect(await boundaryViolations('test/demo/unit/demo-config.test.ts', "export { readCoreConfig } from '../../../src/core/config/index.ts';\n")).to.have.length(1);
  });

  it('accepts the core entry when code outside the core imports it', async () => {
    expect(await boundaryViolations('src/demo/demo-routes.ts', "export { getByKey } from '../core/index.ts';\n")).to.deep.equal([]);
    expect(await boundaryViolations('src/main.ts', "export { startService } from './core/index.ts';\n")).to.deep.equal([]);
  });

  it('refuses another core folder\'s inner file when a core folder imports it, and accepts its index.ts', async () => {
    const inner = await boundaryViolations('src/core/http/error-handler.ts', "export { setByKey } from '../context/session-storage.ts';\n");
    expect(inner).to.have.length(1);
    expect(inner[0]).to.include('index.ts');
    expect(await boundaryViolations('src/core/http/error-handler.ts', "export { setByKey } from '../context/index.ts';\n")).to.deep.equal([]);
  });

  it('holds a core folder\'s subfolders to the same rules: siblings and other core folders through their index.ts, nothing outside the core', async () => {
    const file = 'src/core/telemetry/sdk/start-telemetry.ts';
    expect(await boundaryViolations(file, "export { EdgeSampler } from '../session-bridge/edge-sampler.ts';\n")).to.have.length(1);
    expect(await boundaryViolations(file, "export { EdgeSampler } from '../session-bridge/index.ts';\n")).to.deep.equal([]);
    expect(await boundaryViolations(file, "export { setByKey } from '../../context/session-storage.ts';\n")).to.have.length(1);
    expect(await boundaryViolations(file, "export { setByKey } from '../../context/index.ts';\n")).to.deep.equal([]);
    expect(await boundaryViolations(file, "export { demoRoutes } from '../../../demo/index.ts';\n")).to.have.length(1);
  });

  it('refuses anything outside src/core when the core imports it, except package.json', async () => {
    expect(await boundaryViolations('src/core/server/start-service.ts', "export { demoRoutes } from '../../demo/index.ts';\n")).to.have.length(1);
    expect(await boundaryViolations('src/core/preload.ts', "export { demoRoutes } from '../demo/index.ts';\n")).to.have.length(1);
    expect(
      await boundaryViolations('src/core/telemetry/service-identity.ts', "import packageJson from '../../../package.json' with { type: 'json' };\nexport const name = packageJson.name;\n"),
    ).to.deep.equal([]);
  });

  it('refuses the core, the demo and Node\'s modules when browser code imports them', async () => {
    expect(await boundaryViolations('src/browser/session-fetch.ts', "export { getByKey } from '../core/index.ts';\n")).to.have.length(1);
    expect(await boundaryViolations('src/browser/session-fetch.ts', "export { demoRoutes } from '../demo/index.ts';\n")).to.have.length(1);
    expect(await boundaryViolations('src/browser/session-fetch.ts', "export { randomUUID } from 'node:crypto';\n")).to.have.length(1);
    expect(await boundaryViolations('src/demo/page/page.ts', "export { getByKey } from '../../core/index.ts';\n")).to.have.length(1);
    expect(await boundaryViolations('src/browser/session-fetch.ts', "export { isTracingSuppressed } from '@opentelemetry/core';\n")).to.deep.equal([]);
  });

  it('lets the core\'s own tests reach inside the core', async () => {
    expect(await boundaryViolations('test/core/unit/context/session-id.test.ts', "export { isValidSessionId } from '../../../../src/core/context/session-id.ts';\n")).to.deep.equal([]);
  });
});
