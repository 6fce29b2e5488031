import { expect } from 'chai';
import { nodeVersionProblem, REQUIRED_NODE_MAJOR } from '../../../../src/core/node-version/node-version-problem.mjs';

describe('nodeVersionProblem', () => {
  it('accepts Node 24 and newer', () => {
    expect(REQUIRED_NODE_MAJOR).to.equal(24);
    for (const version of ['v24.0.0', 'v24.21.0', 'v25.1.0', 'v100.0.0']) expect(nodeVersionProblem(version, '/x/node'), version).to.equal(undefined);
  });

  it('names the version, its path, the node package install script and the fixes when Node is older than 24', () => {
    for (const version of ['v23.11.0', 'v22.18.0', 'v20.19.5', 'v18.20.4', 'v8.0.0']) {
      const problem = nodeVersionProblem(version, '/usr/bin/node');
      expect(problem, version).to.be.a('string');
      expect(problem).to.include(`Node ${version} (/usr/bin/node)`);
      expect(problem).to.include('"node" devDependency').and.include('install script');
      expect(problem).to.include('npm rebuild node --ignore-scripts=false').and.include('put Node 24 first on PATH');
      expect(problem).not.to.include('\n');
    }
  });

  it('counts a version it cannot read as too old', () => {
    expect(nodeVersionProblem('unknown', '/x/node')).to.be.a('string');
  });
});
