import { expect } from 'chai';
import type { Request, Response } from 'express';
import { errorHandler } from '../../../../src/core/http/error-handler.ts';
import type { Logger } from '../../../../src/core/logging/index.ts';

/** What the handler logged at error level, and the status it answered. */
interface Handled {
  readonly status: number;
  readonly fields: Record<string, unknown>;
}

/** Runs the error handler on `error` for a request to `requestTarget`, with a recording logger. */
function handle(error: unknown, requestTarget: string): Handled {
  let fields: Record<string, unknown> = {};
  let status = 0;
  const logger = {
    error: (_message: string, logged: Record<string, unknown>) => {
      fields = logged;
    },
    info: () => {
      // 4xx only; the tests here answer 500.
    },
  } as unknown as Logger;
  const res = {
    headersSent: false,
    status(code: number) {
      status = code;
      return this;
    },
    json() {
      return this;
    },
  } as unknown as Response;
  errorHandler(logger)(error, { originalUrl: requestTarget } as unknown as Request, res, () => {
    throw new Error('the error handler passed the error on');
  });
  return { status, fields };
}

/**
 * Characters the string built-ins handed to `run` went through, counted while it runs: the
 * input of `decodeURIComponent`, the string `replaceAll`, `replace`, `split` and `includes` were
 * called on, the part of the string `indexOf` went through, and one per `charCodeAt`. A search of each of n
 * spellings in turn costs n times the text; a linear redaction a few times its inputs.
 */
function stringWork(run: () => void): number {
  let work = 0;
  type Cost = (text: string, args: unknown[], result: unknown) => number;
  const whole: Cost = (text) => text.length;
  const costs: [object, string, Cost][] = [
    [globalThis, 'decodeURIComponent', (_this, [text]) => String(text).length],
    [String.prototype, 'replaceAll', whole],
    [String.prototype, 'replace', whole],
    [String.prototype, 'split', whole],
    [String.prototype, 'includes', whole],
    // From where it starts to where it found the string, or to the end.
    [String.prototype, 'indexOf', (text, [searched, from], at) => (at === -1 ? text.length : Number(at) + String(searched).length) - Number(from ?? 0)],
    [String.prototype, 'charCodeAt', () => 1],
  ];
  const saved = costs.map(([owner, name]) => [owner, name, Object.getOwnPropertyDescriptor(owner, name)] as const);
  for (const [owner, name, cost] of costs) {
    const original = Reflect.get(owner, name) as (...args: unknown[]) => unknown;
    Reflect.set(owner, name, function counted(this: string, ...args: unknown[]): unknown {
      const result = Reflect.apply(original, this, args);
      work += cost(this, args, result);
      return result;
    });
  }
  try {
    run();
  } finally {
    for (const [owner, name, descriptor] of saved) if (descriptor !== undefined) Object.defineProperty(owner, name, descriptor);
  }
  return work;
}

describe('errorHandler', () => {
  it('answers 500 and logs the message without any spelling of the request target', () => {
    const target = '/api/orders/caf%C3%A9?secret=1';
    const { status, fields } = handle(new Error(`no order at /orders/café, asked ${target}, query ?secret=1`), target);
    expect(status).to.equal(500);
    expect(fields['exception.message']).to.equal('no order at [request path], asked [request path], query [request path]');
    expect(fields['exception.stacktrace']).to.match(/^Error: no order at \[request path\], asked \[request path\], query \[request path\]\n/);
  });

  // A client chooses the path's length and its number of `/`s, each the start of a spelling.
  for (const kilobytes of [15, 150]) {
    it(`redacts a ${kilobytes} KB path of many segments with work linear in its length`, () => {
      const target = '/a'.repeat(kilobytes * 512);
      const error = new Error(`could not load ${target} (${target.slice(2)})`);
      let handled: Handled | undefined;
      const work = stringWork(() => {
        handled = handle(error, target);
      });
      expect(handled?.fields['exception.message']).to.equal('could not load [request path] ([request path])');
      const inputs = target.length + error.message.length + (error.stack?.length ?? 0);
      expect(work, 'characters through string built-ins').to.be.at.most(10 * inputs);
    });
  }
});
