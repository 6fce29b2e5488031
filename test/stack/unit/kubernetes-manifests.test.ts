import { readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { expect } from 'chai';

const projectRoot = fileURLToPath(new URL('../../../', import.meta.url));

/** The text of the project file `path`. */
function read(path: string): string {
  return readFileSync(`${projectRoot}${path}`, 'utf8');
}

describe('the Kubernetes overlay of the stack', () => {
  // kustomize reads no file outside the kustomization's folder: Jaeger's configuration is copied.
  for (const file of ['jaeger.yaml', 'jaeger-ui.json']) {
    it(`holds the repository's ${file}, unchanged`, () => {
      expect(read(`deploy/kubernetes/overlays/stack/config/${file}`)).to.equal(read(file));
    });
  }
});
