import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { expect } from 'chai';
import { SERVER_SPAN_KIND, startOtlpSink, waitForServerSpans, type OtlpSink } from '../../core/support/otlp-sink.ts';
import { npmScriptCommand, startServiceProcess, type ServiceProcess } from '../../core/support/service-process.ts';
import { makeTempDir, type TempDir } from '../support/create-service-run.ts';
import { freshMachineEnv, lastLines, runCommand, type CommandOutcome } from '../support/run-command.ts';

const repositoryRoot = fileURLToPath(new URL('../../../', import.meta.url));
const SERVICE = 'template-check';

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

  it("runs the developer's loop, npm run test:fast, green in well under a minute", async () => {
    // After .ci/run: dependencies installed, TypeScript's build info written, ESLint's cache cold.
    const startedAt = Date.now();
    const fast = await runCommand(['npm', 'run', 'test:fast'], { cwd: project, env: freshMachineEnv(), timeoutMs: 180_000 });
    const seconds = (Date.now() - startedAt) / 1000;
    console.log(`      generated project's npm run test:fast: exit ${String(fast.code)} in ${seconds.toFixed(1)} s`);
    expect(fast.code, `its last lines:\n${lastLines(fast.output, 80)}`).to.equal(0);
    expect(fast.output).to.match(/^\s+\d+ passing/m).and.not.match(/^\s+\d+ failing/m);
    // The bound; measured 19 s cold on an idle 2-core machine.
    expect(seconds).to.be.below(60);
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
