import { context, defaultTextMapGetter, defaultTextMapSetter, propagation } from '@opentelemetry/api';
import { expect } from 'chai';
import { SessionMapKey } from '../../../src/context/session-map-key.ts';
import { runWithSession } from '../../../src/context/run-with-session.ts';
import { currentSessionStore, setByKey } from '../../../src/context/session-storage.ts';
import { outgoingBaggage, SessionBaggagePropagator } from '../../../src/telemetry/session-baggage-propagator.ts';
import { installContextManager } from '../../support/context-manager.ts';

function entries(baggage: ReturnType<typeof outgoingBaggage>): Record<string, string> {
  return Object.fromEntries((baggage?.getAllEntries() ?? []).map(([key, entry]) => [key, entry.value]));
}

describe('outgoingBaggage', () => {
  const withUser = { propagateUserId: true };
  const withoutUser = { propagateUserId: false };
  const store = { values: { sessionId: 'session-out-1', userId: 'heidi' }, earlySpans: [] };

  it('sends session.id and user.id from the store when user ids may travel', () => {
    expect(entries(outgoingBaggage(undefined, store, withUser))).to.deep.equal({
      'session.id': 'session-out-1',
      'user.id': 'heidi',
    });
  });

  it('never sends user.id when user ids may not travel', () => {
    expect(entries(outgoingBaggage(undefined, store, withoutUser))).to.deep.equal({ 'session.id': 'session-out-1' });
  });

  it('overrides stale session entries in the context with the store values', () => {
    const stale = propagation.createBaggage({ 'session.id': { value: 'old-session' }, 'user.id': { value: 'old-user' } });
    expect(entries(outgoingBaggage(stale, store, withUser))).to.deep.equal({
      'session.id': 'session-out-1',
      'user.id': 'heidi',
    });
  });

  it('keeps other entries of the context baggage', () => {
    const current = propagation.createBaggage({ tenant: { value: 'acme' } });
    expect(entries(outgoingBaggage(current, store, withoutUser))).to.deep.equal({
      tenant: 'acme',
      'session.id': 'session-out-1',
    });
  });

  it('outside a session, passes the context baggage on, minus a user.id that may not travel', () => {
    const current = propagation.createBaggage({ 'user.id': { value: 'ivan' }, tenant: { value: 'acme' } });
    expect(entries(outgoingBaggage(current, undefined, withoutUser))).to.deep.equal({ tenant: 'acme' });
    expect(entries(outgoingBaggage(current, undefined, withUser))).to.deep.equal({ tenant: 'acme', 'user.id': 'ivan' });
  });

  it('returns undefined when there is nothing to send', () => {
    expect(outgoingBaggage(undefined, undefined, withUser)).to.equal(undefined);
  });
});

describe('SessionBaggagePropagator', () => {
  let uninstall: () => void;
  before(() => {
    uninstall = installContextManager();
  });
  after(() => {
    uninstall();
  });

  it('injects the store values at the time of the call, not those of session start', () => {
    const propagator = new SessionBaggagePropagator({ propagateUserId: true });
    const headers: Record<string, string> = {};
    runWithSession({ sessionId: 'session-inj-1' }, () => {
      setByKey(SessionMapKey.USER_ID, 'judy');
      expect(currentSessionStore()).not.to.equal(undefined);
      propagator.inject(context.active(), headers, defaultTextMapSetter);
    });
    expect(headers['baggage']?.split(',').sort()).to.deep.equal(['session.id=session-inj-1', 'user.id=judy']);
  });

  it('sends no baggage to a destination it cannot see when an allowlist is set', () => {
    const propagator = new SessionBaggagePropagator({ propagateUserId: false, baggageAllowedHosts: new Set(['orders']) });
    const headers: Record<string, string> = {};
    runWithSession({ sessionId: 'session-inj-2' }, () => {
      // A manual inject: no http/undici hook recorded where it goes.
      propagator.inject(context.active(), headers, defaultTextMapSetter);
    });
    expect(headers).to.deep.equal({});
  });

  it('extracts incoming baggage as W3C does', () => {
    const propagator = new SessionBaggagePropagator({ propagateUserId: false });
    const extracted = propagator.extract(context.active(), { baggage: 'session.id=abc12345,k=v' }, defaultTextMapGetter);
    expect(propagation.getBaggage(extracted)?.getEntry('session.id')?.value).to.equal('abc12345');
    expect(propagator.fields()).to.deep.equal(['baggage']);
  });
});
