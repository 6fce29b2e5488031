// The first thing `npm start`, `npm run dev` and the mocha test scripts load, before any .ts
// file: on a Node older than 24 it prints one line naming the cause and the fix and exits 1,
// instead of ERR_UNKNOWN_FILE_EXTENSION ".ts" with a stack. Side effects at import time are
// the point: use it as `node --import ./src/core/node-version/check-node-version.mjs …`,
// `node ./src/core/node-version/check-node-version.mjs && …`, or mocha's `require`.
import process from 'node:process';
import { nodeVersionProblem } from './node-version-problem.mjs';

const problem = nodeVersionProblem(process.version, process.execPath);
if (problem !== undefined) {
  process.stderr.write(`${problem}\n`);
  process.exit(1);
}
