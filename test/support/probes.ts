import { readFileSync } from 'node:fs';

/** True when `url` answers 2xx; false for any other answer or no answer at all. */
export function answersOk(url: string): Promise<boolean> {
  return fetch(url).then(
    (response) => response.ok,
    () => false,
  );
}

/** Resident memory of process `pid` in MiB (one decimal): `VmHWM` (peak) or `VmRSS` (now), from /proc. */
export function residentMiB(pid: number, field: 'VmHWM' | 'VmRSS'): number {
  const line = readFileSync(`/proc/${pid}/status`, 'utf8').split('\n').find((candidate) => candidate.startsWith(field));
  return Math.round(Number(/(\d+)/.exec(line ?? '')?.[1] ?? 0) / 102.4) / 10;
}
