import { EventEmitter } from 'node:events';
import { context, createContextKey, ROOT_CONTEXT, type Context } from '@opentelemetry/api';
import { expect } from 'chai';
import { runListenersInContext } from '../../../../../src/core/telemetry/http-server/request-listener-context.ts';
import { installContextManager } from '../../../support/context-manager.ts';

const KEY = createContextKey('request');

/** A fresh emitter class per test: the methods are replaced on its prototype. */
function emitterIn(ctx: Context | undefined): EventEmitter {
  const Emitter = class extends EventEmitter {};
  const emitter = new Emitter();
  if (ctx !== undefined) runListenersInContext(emitter, ctx);
  return emitter;
}

/** The request marker of the context a listener ran in. */
const marker = (): unknown => context.active().getValue(KEY);

describe('runListenersInContext', () => {
  let uninstall: () => void;
  before(() => {
    uninstall = installContextManager();
  });
  after(() => {
    uninstall();
  });

  it('runs listeners added with on, addListener, prependListener, once and prependOnceListener in the emitter\'s context, wherever the event is emitted', () => {
    const emitter = emitterIn(ROOT_CONTEXT.setValue(KEY, 'request-1'));
    const seen: [string, unknown][] = [];
    emitter.on('e', () => seen.push(['on', marker()]));
    emitter.addListener('e', () => seen.push(['addListener', marker()]));
    emitter.prependListener('e', () => seen.push(['prependListener', marker()]));
    emitter.once('e', () => seen.push(['once', marker()]));
    emitter.prependOnceListener('e', () => seen.push(['prependOnceListener', marker()]));
    context.with(ROOT_CONTEXT.setValue(KEY, 'elsewhere'), () => emitter.emit('e'));
    expect(seen).to.deep.equal([
      ['prependOnceListener', 'request-1'],
      ['prependListener', 'request-1'],
      ['on', 'request-1'],
      ['addListener', 'request-1'],
      ['once', 'request-1'],
    ]);
  });

  it('calls a once listener once, and passes the event\'s arguments and the emitter as this', () => {
    const emitter = emitterIn(ROOT_CONTEXT.setValue(KEY, 'request-2'));
    const calls: unknown[][] = [];
    emitter.once('e', function (this: unknown, ...args: unknown[]) {
      calls.push([this === emitter, ...args]);
    });
    emitter.emit('e', 1, 'two');
    emitter.emit('e', 3);
    expect(calls).to.deep.equal([[true, 1, 'two']]);
    expect(emitter.listenerCount('e')).to.equal(0);
  });

  it('removes a listener by the function that was added, for on and once alike, and lists the originals', () => {
    const emitter = emitterIn(ROOT_CONTEXT.setValue(KEY, 'request-3'));
    const onListener = (): void => {
      throw new Error('removed: never called');
    };
    const onceListener = (): void => {
      throw new Error('removed: never called');
    };
    emitter.on('e', onListener);
    emitter.once('e', onceListener);
    expect(emitter.listeners('e')).to.deep.equal([onListener, onceListener]);
    emitter.removeListener('e', onListener);
    emitter.off('e', onceListener);
    expect(emitter.listenerCount('e')).to.equal(0);
    expect(emitter.emit('e')).to.equal(false);
  });

  it('leaves the listeners of an emitter without a context as they are', () => {
    const withContext = emitterIn(ROOT_CONTEXT.setValue(KEY, 'request-4'));
    // Same prototype, already patched: an emitter of that class without a context of its own.
    const without = new (Object.getPrototypeOf(withContext) as { constructor: new () => EventEmitter }).constructor();
    let seen: unknown = 'not called';
    const listener = (): void => {
      seen = marker();
    };
    without.on('e', listener);
    expect(without.listeners('e')).to.deep.equal([listener]);
    expect(without.rawListeners('e')).to.deep.equal([listener]);
    context.with(ROOT_CONTEXT.setValue(KEY, 'emitter\'s caller'), () => without.emit('e'));
    expect(seen).to.equal('emitter\'s caller');
  });
});
