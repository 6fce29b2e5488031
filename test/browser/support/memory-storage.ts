import type { SessionStorageLike } from '../../../src/browser/index.ts';

/** Web Storage kept in a Map, as a page's localStorage keeps it (shared by its "pages"). */
export class MemoryStorage implements SessionStorageLike {
  readonly values = new Map<string, string>();
  writes = 0;

  getItem(key: string): string | null {
    return this.values.get(key) ?? null;
  }

  setItem(key: string, value: string): void {
    this.writes += 1;
    this.values.set(key, value);
  }

  removeItem(key: string): void {
    this.values.delete(key);
  }
}

/** Storage that throws on every call, as Safari's private mode or disabled site data does. */
export class ThrowingStorage implements SessionStorageLike {
  calls = 0;

  getItem(): string | null {
    this.calls += 1;
    throw new DOMException('The operation is insecure.', 'SecurityError');
  }

  setItem(): void {
    this.calls += 1;
    throw new DOMException('The quota has been exceeded.', 'QuotaExceededError');
  }

  removeItem(): void {
    this.calls += 1;
    throw new DOMException('The operation is insecure.', 'SecurityError');
  }
}

/** A clock the test moves by hand, in milliseconds since the epoch. */
export class FakeClock {
  time = Date.UTC(2026, 0, 1);

  readonly now = (): number => this.time;

  advanceSeconds(seconds: number): void {
    this.time += seconds * 1000;
  }
}
