import { execFileSync, spawnSync } from 'node:child_process';
import { cpSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { expect } from 'chai';
import { requirePrerequisites, skippedForPrerequisites } from '../support/require-prerequisites.ts';

const projectRoot = fileURLToPath(new URL('../../../', import.meta.url));

/** What deploy-check printed and how it exited. */
interface CheckResult {
  readonly code: number | null;
  readonly lines: string[];
  readonly stderr: string;
}

/** Runs the checker `binary` on the kustomization folder `dir`. */
function deployCheck(binary: string, dir: string): CheckResult {
  const result = spawnSync(binary, [dir], { encoding: 'utf8' });
  return { code: result.status, lines: result.stdout.split('\n').filter((line) => line !== ''), stderr: result.stderr };
}

describe('the Kubernetes manifests, built with kustomize and decoded into the Kubernetes API types', function () {
  let binary = '';
  let copies = '';

  before(function () {
    // The first build downloads kustomize's and Kubernetes' modules.
    this.timeout(600_000);
    requirePrerequisites(this, 'test:process kubernetes-manifests', ['deploy-check']);
    binary = execFileSync('bash', ['tools/stack/build-deploy-check.sh'], { cwd: projectRoot, encoding: 'utf8', stdio: ['ignore', 'pipe', 'inherit'] }).trim();
    copies = mkdtempSync(join(tmpdir(), 'kubernetes-manifests-'));
  });

  after(function () {
    if (skippedForPrerequisites(this)) return;
    rmSync(copies, { recursive: true, force: true });
  });

  /** A copy of deploy/kubernetes in its own folder, with base/`file` changed by `change`. */
  function copyWith(name: string, file: string, change: (text: string) => string): string {
    const root = join(copies, name);
    cpSync(join(projectRoot, 'deploy/kubernetes'), root, { recursive: true });
    const path = join(root, 'base', file);
    const before = readFileSync(path, 'utf8');
    const after = change(before);
    expect(after, 'the change applies').to.not.equal(before);
    writeFileSync(path, after);
    return join(root, 'overlays/stack');
  }

  it('finds no problem in the stack overlay', function () {
    const result = deployCheck(binary, join(projectRoot, 'deploy/kubernetes/overlays/stack'));
    expect({ code: result.code, lines: result.lines, stderr: result.stderr }).to.deep.equal({ code: 0, lines: [], stderr: '' });
  });

  it('finds no problem in the base alone', function () {
    const result = deployCheck(binary, join(projectRoot, 'deploy/kubernetes/base'));
    expect({ code: result.code, lines: result.lines, stderr: result.stderr }).to.deep.equal({ code: 0, lines: [], stderr: '' });
  });

  it('fails on a field the Deployment type does not have, in one line naming the object and the field', function () {
    const overlay = copyWith('unknown-field', 'api.yaml', (text) =>
      text.replace('      terminationGracePeriodSeconds: 15\n', '      terminationGracePeriodSeconds: 15\n      terminationGraceSeconds: 15\n'),
    );
    const result = deployCheck(binary, overlay);
    expect(result.code).to.equal(1);
    expect(result.lines).to.have.length(1);
    expect(result.lines[0]).to.match(/^Deployment session-stack\/api: .*unknown field "terminationGraceSeconds"/);
  });

  it('fails on a kind it has no type for, in one line naming it', function () {
    const overlay = copyWith('unknown-kind', 'victoriametrics.yaml', (text) => `${text}---\napiVersion: example.com/v1\nkind: Widget\nmetadata:\n  name: widget\n`);
    const result = deployCheck(binary, overlay);
    expect(result.code).to.equal(1);
    expect(result.lines).to.deep.equal(['Widget session-stack/widget: unknown apiVersion/kind "example.com/v1 Widget"']);
  });
});
