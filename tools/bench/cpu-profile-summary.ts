/** One function's share of a CPU profile's busy time. */
export interface SelfTimeFrame {
  /** `functionName (file:line)`, the file relative to the repository or to node_modules. */
  readonly frame: string;
  /** Share of the samples not idle, in percent (one decimal). */
  readonly percent: number;
}

/** The parts of a V8 `.cpuprofile` (as written by `node --cpu-prof`) this summary reads. */
interface CpuProfile {
  readonly endTime: number;
  readonly samples: readonly number[];
  readonly timeDeltas: readonly number[];
  readonly nodes: readonly {
    readonly id: number;
    readonly callFrame: { readonly functionName: string; readonly url: string; readonly lineNumber: number };
  }[];
}

/** A V8 pseudo-frame for time the thread waited: not cost. */
const IDLE = '(idle)';

/**
 * The `top` functions by self time (samples taken while that function itself ran) in the
 * last `windowSeconds` of a `.cpuprofile` (the load, not the start-up before it), as
 * percentages of the busy samples. Frames of one function at one place are summed whatever
 * called them; `root` strips the repository's own path from file names.
 */
export function topSelfTimeFrames(profileJson: string, options: { top: number; windowSeconds: number; root: string }): SelfTimeFrame[] {
  const profile = JSON.parse(profileJson) as CpuProfile;
  const frameOf = new Map(profile.nodes.map((node) => [node.id, node.callFrame]));
  const windowStart = profile.endTime - options.windowSeconds * 1e6;
  // The last sample is taken at about the end; sample i - 1 came timeDeltas[i] before sample i.
  let at = profile.endTime;
  const hitsByFrame = new Map<string, number>();
  let busy = 0;
  for (let i = profile.samples.length - 1; i >= 0 && at > windowStart; i--) {
    const callFrame = frameOf.get(profile.samples[i]!);
    at -= profile.timeDeltas[i] ?? 0;
    if (callFrame === undefined || callFrame.functionName === IDLE) continue;
    busy += 1;
    const frame = describeFrame(callFrame, options.root);
    hitsByFrame.set(frame, (hitsByFrame.get(frame) ?? 0) + 1);
  }
  return [...hitsByFrame]
    .sort(([frameA, a], [frameB, b]) => b - a || frameA.localeCompare(frameB))
    .slice(0, options.top)
    .map(([frame, hits]) => ({ frame, percent: Math.round((hits / busy) * 1000) / 10 }));
}

function describeFrame(callFrame: CpuProfile['nodes'][number]['callFrame'], root: string): string {
  const name = callFrame.functionName === '' ? '(anonymous)' : callFrame.functionName;
  if (callFrame.url === '') return name;
  const path = callFrame.url.replace(/^file:\/\//, '');
  const inModules = path.lastIndexOf('node_modules/');
  const file = inModules >= 0 ? path.slice(inModules + 'node_modules/'.length) : path.startsWith(root) ? path.slice(root.length) : path;
  return `${name} (${file}:${callFrame.lineNumber + 1})`;
}
