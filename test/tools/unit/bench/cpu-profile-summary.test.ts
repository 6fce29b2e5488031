import { expect } from 'chai';
import { topSelfTimeFrames } from '../../../../tools/bench/cpu-profile-summary.ts';

/** A V8 profile as `node --cpu-prof` writes it: nodes, and samples with the time since the one before. */
function profile(samples: [nodeId: number, deltaMicros: number][]): string {
  const frame = (functionName: string, url: string, lineNumber: number) => ({ functionName, url, lineNumber });
  return JSON.stringify({
    nodes: [
      { id: 1, callFrame: frame('(root)', '', -1) },
      { id: 2, callFrame: frame('(idle)', '', -1) },
      { id: 3, callFrame: frame('handle', 'file:///repo/node_modules/express/lib/application.js', 151) },
      { id: 4, callFrame: frame('', 'file:///repo/src/core/http/access-log.ts', 9) },
      { id: 5, callFrame: frame('writev', '', -1) },
    ],
    startTime: 0,
    endTime: samples.reduce((sum, [, delta]) => sum + delta, 0),
    samples: samples.map(([id]) => id),
    timeDeltas: samples.map(([, delta]) => delta),
  });
}

describe('topSelfTimeFrames', () => {
  it('ranks functions by their share of the busy samples, idle excluded, files shown from the repository or node_modules', () => {
    const json = profile([[3, 100], [3, 100], [4, 100], [5, 100], [2, 100], [2, 100]]);
    expect(topSelfTimeFrames(json, { top: 10, windowSeconds: 1, root: '/repo/' })).to.deep.equal([
      { frame: 'handle (express/lib/application.js:152)', percent: 50 },
      { frame: '(anonymous) (src/core/http/access-log.ts:10)', percent: 25 },
      { frame: 'writev', percent: 25 },
    ]);
  });

  it('counts only the samples of the last windowSeconds, leaving out the start-up before the load', () => {
    // 3 s of start-up in one function, then 1 s of load in another.
    const json = profile([[4, 1_000_000], [4, 1_000_000], [4, 1_000_000], [3, 500_000], [3, 500_000]]);
    expect(topSelfTimeFrames(json, { top: 10, windowSeconds: 1, root: '/repo/' })).to.deep.equal([
      { frame: 'handle (express/lib/application.js:152)', percent: 100 },
    ]);
  });

  it('keeps only the top entries', () => {
    const json = profile([[3, 100], [3, 100], [4, 100], [5, 100]]);
    expect(topSelfTimeFrames(json, { top: 1, windowSeconds: 1, root: '/repo/' }).map((frame) => frame.frame)).to.deep.equal([
      'handle (express/lib/application.js:152)',
    ]);
  });
});
