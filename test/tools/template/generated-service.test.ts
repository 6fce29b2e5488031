import { existsSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { expect } from 'chai';
import { SERVER_SPAN_KIND, startOtlpSink, waitForServerSpans, type OtlpSink } from '../../core/support/otlp-sink.ts';
import { npmScriptCommand, startServiceProcess, type ServiceProcess } from '../../core/support/service-process.ts';
import { makeTempDir, type TempDir } from '../support/create-service-run.ts';
import { freshMachineEnv, lastLines, runCommand, type CommandOutcome } from '../support/run-command.ts';

const repositoryRoot = fileURLToPath(new URL('../../../', import.meta.url));
const SERVICE = 'template-check';

/** The new route's test, as a user writes it with the helpers the generated README names. */
const ORDER_ROUTES_TEST = `import { expect } from 'chai';
import { orderRoutes } from '../../../src/orders/order-routes.ts';
import { request, startTestApp } from '../../core/support/test-app.ts';

describe('orderRoutes', () => {
  it('answers an order with the session that asked for it', async () => {
    const app = await startTestApp({ routes: [orderRoutes] });
    try {
      const response = await request(\`\${app.url}/api/orders/42\`, { headers: { 'x-session-id': 'order-session-0001' } });
      expect(response.status).to.equal(200);
      expect(await response.json()).to.deep.equal({ id: '42', sessionId: 'order-session-0001' });
    } finally {
      await app.close();
    }
  });
});
`;

/**
 * The TypeScript samples of the README section \`heading\`, each with the file its first line
 * names (\`// src/orders/order-routes.ts\`). Fails when the section has none: the README changed.
 */
function readmeSamples(readme: string, heading: string): { path: string; code: string }[] {
  const section = readme.split(`\n## ${heading}\n`)[1]?.split('\n## ')[0] ?? '';
  const samples = [...section.matchAll(/^```ts\n(\/\/ (\S+)\n[\s\S]*?)^```$/gm)].map((match) => ({ path: match[2]!, code: match[1]! }));
  expect(samples.map((sample) => sample.path), `the samples of "${heading}"`).to.include.members(['src/orders/order-routes.ts', 'src/main.ts']);
  return samples;
}

/** Bound of the generated project's whole CI: `npm ci` from the registry, then its whole suite (`npm test`). */
const CI_TIMEOUT_MS = 25 * 60_000;

/**
 * The generated project's `npm start` as a command line: `node` its own Node 24 (installed by
 * its `npm ci`), the script's relative paths made absolute. The service is spawned directly,
 * not through npm, so SIGTERM reaches it (as test/core/support/service-process.ts does).
 */
function startCommandOf(project: string): string[] {
  const { scripts } = JSON.parse(readFileSync(join(project, 'package.json'), 'utf8')) as { scripts: Record<string, string> };
  const [command, ...args] = (scripts['start'] ?? '').split(' ');
  if (command !== 'node') throw new Error(`npm start of the generated project does not start with node: ${scripts['start'] ?? '(none)'}`);
  return [join(project, 'node_modules', '.bin', 'node'), ...args.map((arg) => (arg.startsWith('./') ? join(project, arg) : arg))];
}

describe('a service made by npm run create-service, on a fresh machine', () => {
  let temp: TempDir;
  let project: string;
  let ci: CommandOutcome;

  before(async () => {
    temp = makeTempDir('generated-service-');
    project = join(temp.path, SERVICE);
    const created = await runCommand([...npmScriptCommand('create-service'), project, '--name', SERVICE], {
      cwd: repositoryRoot,
      env: freshMachineEnv(),
      timeoutMs: 120_000,
    });
    expect(created.code, `create-service failed:\n${created.output}`).to.equal(0);
    // As CI runs this repository: `bash .ci/run` with CI=true and the system's node and npm.
    ci = await runCommand(['bash', '.ci/run'], { cwd: project, env: freshMachineEnv({ CI: 'true' }), timeoutMs: CI_TIMEOUT_MS });
  });

  after(() => {
    temp.remove();
  });

  it('passes its own .ci/run: npm ci brings Node 24, npm test runs its suites, all of them pass', () => {
    const summary = /^(\d+) passed, (\d+) failed$/m.exec(ci.output);
    console.log(`      generated project's .ci/run: exit ${String(ci.code)}, ${summary?.[0] ?? 'no summary line'}`);
    const tail = `its last lines:\n${lastLines(ci.output, 80)}`;
    expect(ci.output, tail).to.match(/^ci: project node v24\./m);
    expect(summary, `the summary line; ${tail}`).not.to.equal(null);
    expect(Number(summary![2]), `failed tests; ${tail}`).to.equal(0);
    expect(Number(summary![1]), `passed tests; ${tail}`).to.be.greaterThan(0);
    expect(ci.code, `exit code; ${tail}`).to.equal(0);
  });

  it("takes a route added as its README says, with a test of its own, to a green npm run test:fast", async () => {
    // What a new user does first: the README's "Adding routes" samples, each written to the
    // file its first line names, and a test for the new route in the integration tier.
    for (const sample of readmeSamples(readFileSync(join(project, 'README.md'), 'utf8'), 'Adding routes')) {
      mkdirSync(dirname(join(project, sample.path)), { recursive: true });
      writeFileSync(join(project, sample.path), sample.code);
    }
    mkdirSync(join(project, 'test', 'orders', 'integration'), { recursive: true });
    writeFileSync(join(project, 'test', 'orders', 'integration', 'order-routes.test.ts'), ORDER_ROUTES_TEST);
    // After .ci/run: dependencies installed, TypeScript's build info written, ESLint's cache cold.
    const startedAt = Date.now();
    const fast = await runCommand(['npm', 'run', 'test:fast'], { cwd: project, env: freshMachineEnv(), timeoutMs: 300_000 });
    // Reported, not asserted: time is measured, never a test's verdict (docs/testing.md has the figures).
    console.log(`      generated project's npm run test:fast with a new route: exit ${String(fast.code)} in ${((Date.now() - startedAt) / 1000).toFixed(1)} s`);
    expect(fast.code, `its last lines:\n${lastLines(fast.output, 80)}`).to.equal(0);
    expect(fast.output).to.include('answers an order with the session that asked for it').and.match(/^\s+\d+ passing/m).and.not.match(/^\s+\d+ failing/m);
  });

  describe('started with npm start', function () {
    this.timeout(60_000);

    let sink: OtlpSink;
    let service: ServiceProcess | undefined;

    beforeEach(async () => {
      expect(existsSync(join(project, 'node_modules', '.bin', 'node')), "the project's own Node, installed by the npm ci of its .ci/run").to.equal(true);
      sink = await startOtlpSink();
    });

    afterEach(async () => {
      await service?.stop();
      service = undefined;
      await sink.close();
    });

    it('exports spans that carry the session id and its own service name', async () => {
      service = await startServiceProcess(
        { OTEL_EXPORTER_OTLP_ENDPOINT: sink.endpoint, OTEL_EXPORTER_OTLP_PROTOCOL: 'http/json', OTEL_BSP_SCHEDULE_DELAY: '100' },
        startCommandOf(project),
      );
      const response = await fetch(`${service.url}/api/hello`, { headers: { 'x-session-id': 'template-session-0001' } });
      expect(response.status).to.equal(200);
      expect(response.headers.get('x-session-id')).to.equal('template-session-0001');
      const traceId = response.headers.get('x-trace-id');
      expect(traceId, 'x-trace-id').to.match(/^[0-9a-f]{32}$/);

      const spans = (await waitForServerSpans(sink, [traceId!])).get(traceId!)!;
      expect(spans.find((span) => span.kind === SERVER_SPAN_KIND)?.name).to.equal('GET /api/hello');
      for (const span of spans) {
        expect(span.attributes['session.id'], span.name).to.equal('template-session-0001');
        expect(span.service, `service.name of ${span.name}`).to.equal(SERVICE);
        expect(span.serviceVersion, `service.version of ${span.name}`).to.equal('0.1.0');
      }
      expect(await service.stop(), 'exit code after SIGTERM').to.equal(0);
    });
  });
});
