import { expect } from 'chai';
import { ConcurrencyLimit } from '../../../../../tools/session-traces/http/concurrency-limit.ts';
import { rejection } from '../../../support/session-traces/rejection.ts';

/** A task the test ends: `finish()` settles it. */
function gate(): { task: () => Promise<void>; started: () => boolean; finish: () => void } {
  const { promise, resolve } = Promise.withResolvers<undefined>();
  let started = false;
  return {
    task: async () => {
      started = true;
      await promise;
    },
    started: () => started,
    finish: () => {
      resolve(undefined);
    },
  };
}

/** Lets every pending promise callback run. */
const settle = (): Promise<void> => new Promise((resolve) => {
  setImmediate(resolve);
});

describe('ConcurrencyLimit', () => {
  it('starts at most limit tasks, and the next in order as each one ends, when more are given', async () => {
    const limit = new ConcurrencyLimit(2);
    const tasks = [gate(), gate(), gate(), gate()];
    const runs = tasks.map((task) => limit.run(task.task));
    await settle();
    expect(tasks.map((task) => task.started())).to.deep.equal([true, true, false, false]);
    tasks[1]!.finish();
    await settle();
    expect(tasks.map((task) => task.started())).to.deep.equal([true, true, true, false]);
    for (const task of tasks) task.finish();
    await Promise.all(runs);
    expect(tasks.every((task) => task.started())).to.equal(true);
  });

  it('frees the slot of a task that fails', async () => {
    const limit = new ConcurrencyLimit(1);
    const failure = new Error('task failed');
    expect(await rejection(limit.run(() => Promise.reject(failure)))).to.equal(failure);
    expect(await limit.run(() => Promise.resolve('next'))).to.equal('next');
  });

  it("never starts a waiting task whose signal aborts, rejects with the signal's reason, and keeps the queue going", async () => {
    const limit = new ConcurrencyLimit(1);
    const [first, abandoned, last] = [gate(), gate(), gate()];
    const stop = new AbortController();
    const running = limit.run(first.task);
    const waiting = rejection(limit.run(abandoned.task, stop.signal));
    const after = limit.run(last.task);
    const reason = new Error('stopped');
    stop.abort(reason);
    expect(await waiting).to.equal(reason);
    first.finish();
    last.finish();
    await Promise.all([running, after]);
    expect([first.started(), abandoned.started(), last.started()]).to.deep.equal([true, false, true]);
  });

  it('rejects at once when the signal is already aborted', async () => {
    const reason = new Error('already stopped');
    const task = gate();
    expect(await rejection(new ConcurrencyLimit(1).run(task.task, AbortSignal.abort(reason)))).to.equal(reason);
    expect(task.started()).to.equal(false);
  });

  for (const bad of [0, -1, 1.5, Number.NaN]) {
    it(`refuses a limit of ${bad}`, () => {
      expect(() => new ConcurrencyLimit(bad)).to.throw(RangeError, /whole number of at least 1/);
    });
  }
});
