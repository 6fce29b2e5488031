import { readFileSync } from 'node:fs';

/**
 * True when `url` answers 2xx within `timeoutMs` (default 5 s); false for any other answer or
 * no answer in time, so a probe inside a wait cannot outlast the wait's deadline by more.
 */
export function answersOk(url: string, timeoutMs = 5000): Promise<boolean> {
  return fetch(url, { signal: AbortSignal.timeout(timeoutMs) })
    .then(async (response) => {
      await response.arrayBuffer();
      return response.ok;
    })
    .catch(() => false);
}

/** Resident memory of process `pid` in MiB (one decimal): `VmHWM` (peak) or `VmRSS` (now), from /proc. */
export function residentMiB(pid: number, field: 'VmHWM' | 'VmRSS'): number {
  const line = readFileSync(`/proc/${pid}/status`, 'utf8').split('\n').find((candidate) => candidate.startsWith(field));
  return Math.round(Number(/(\d+)/.exec(line ?? '')?.[1] ?? 0) / 102.4) / 10;
}
