import { context, defaultTextMapGetter, defaultTextMapSetter, propagation, ROOT_CONTEXT, type Baggage } from '@opentelemetry/api';
import { expect } from 'chai';
import { SessionMapKey } from '../../../../../src/core/context/session-map-key.ts';
import { runWithSession } from '../../../../../src/core/context/run-with-session.ts';
import { currentSessionStore, sessionSlotOf, setByKey } from '../../../../../src/core/context/session-storage.ts';
import { outgoingBaggage, SessionBaggagePropagator } from '../../../../../src/core/telemetry/session-bridge/session-baggage-propagator.ts';
import { installContextManager } from '../../../support/context-manager.ts';
import { EVERY_PRINTABLE_ASCII, PROVIDER_USER_IDS } from '../../../support/user-ids.ts';

function entries(baggage: ReturnType<typeof outgoingBaggage>): Record<string, string> {
  return Object.fromEntries((baggage?.getAllEntries() ?? []).map(([key, entry]) => [key, entry.value]));
}

describe('outgoingBaggage', () => {
  const withUser = { propagateUserId: true };
  const withoutUser = { propagateUserId: false };
  const store = { values: { sessionId: 'session-out-1', userId: 'heidi' }, earlySpans: [], response: undefined };

  it('sends session.id and user.id from the store when user ids may travel', () => {
    expect(entries(outgoingBaggage(undefined, store, withUser))).to.deep.equal({
      'session.id': 'session-out-1',
      'user.id': 'heidi',
    });
  });

  it('never sends user.id when user ids may not travel', () => {
    expect(entries(outgoingBaggage(undefined, store, withoutUser))).to.deep.equal({ 'session.id': 'session-out-1' });
  });

  it('never sends session.previous_id: the link between two sessions stays where the rotation happened', () => {
    const rotated = { ...store, values: { ...store.values, previousSessionId: 'session-out-0' } };
    expect(entries(outgoingBaggage(undefined, rotated, withUser))).to.deep.equal({ 'session.id': 'session-out-1', 'user.id': 'heidi' });
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

  it('outside a session sends neither session.id nor user.id, whatever the context baggage holds', () => {
    const current = propagation.createBaggage({
      'session.id': { value: 'leftover-session' },
      'user.id': { value: 'ivan' },
      tenant: { value: 'acme' },
    });
    expect(entries(outgoingBaggage(current, undefined, withoutUser))).to.deep.equal({ tenant: 'acme' });
    expect(entries(outgoingBaggage(current, undefined, withUser))).to.deep.equal({ tenant: 'acme' });
  });

  it('returns undefined when there is nothing to send', () => {
    expect(outgoingBaggage(undefined, undefined, withUser)).to.equal(undefined);
  });

  it('puts the session entries first, then the context entries in their order, index-like keys included', () => {
    const keys = (current: ReturnType<typeof outgoingBaggage>): string[] => (current?.getAllEntries() ?? []).map(([key]) => key);
    const forwarded = propagation.createBaggage({ tenant: { value: 'acme' }, 'session.id': { value: 'old' }, region: { value: 'eu' } });
    expect(keys(outgoingBaggage(forwarded, store, withUser))).to.deep.equal(['session.id', 'user.id', 'tenant', 'region']);
    // An object would order "7" before every other key: the baggage keeps the order anyway.
    const indexLike = propagation.createBaggage({ tenant: { value: 'acme' } }).setEntry('7', { value: 'seven' });
    expect(keys(outgoingBaggage(indexLike, store, withUser))).to.deep.equal(['session.id', 'user.id', 'tenant', '7']);
  });
});

/**
 * Forwarded entries of `count` × `size` bytes each (`f<n>=vvv…`), as a trusted service holds
 * them after admitting a caller's baggage.
 */
function forwardedBaggage(count: number, size: number): Baggage {
  let baggage = propagation.createBaggage();
  for (let index = 0; index < count; index++) {
    const key = `f${index}`;
    baggage = baggage.setEntry(key, { value: 'v'.repeat(size - key.length - 1) });
  }
  return baggage;
}

describe('SessionBaggagePropagator', () => {
  let uninstall: () => void;
  before(() => {
    uninstall = installContextManager();
  });
  after(() => {
    uninstall();
  });

  it('injects the store values at the time of the call, not those of session start', () => {
    const propagator = new SessionBaggagePropagator({ trustIncomingBaggage: false, propagateUserId: true });
    const headers: Record<string, string> = {};
    runWithSession({ sessionId: 'session-inj-1' }, () => {
      setByKey(SessionMapKey.USER_ID, 'judy');
      expect(currentSessionStore()).not.to.equal(undefined);
      propagator.inject(context.active(), headers, defaultTextMapSetter);
    });
    expect(headers['baggage']?.split(',').sort()).to.deep.equal(['session.id=session-inj-1', 'user.id=judy']);
  });

  it('sends session.id and user.id when forwarded entries fill the 8,192 bytes of a baggage header', () => {
    const propagator = new SessionBaggagePropagator({ trustIncomingBaggage: true, propagateUserId: true });
    // 8,190 bytes of forwarded entries (63 × 130, one comma between each): the header's limit is 8,192.
    const forwarded = propagation.setBaggage(ROOT_CONTEXT, forwardedBaggage(63, 130));
    const headers: Record<string, string> = {};
    context.with(forwarded, () => {
      runWithSession({ sessionId: 'session-large-1' }, () => {
        setByKey(SessionMapKey.USER_ID, 'auth0|5f8a9c0e12');
        propagator.inject(context.active(), headers, defaultTextMapSetter);
      });
    });
    const entries = headers['baggage']!.split(',');
    expect(entries.slice(0, 2)).to.deep.equal(['session.id=session-large-1', 'user.id=auth0%7C5f8a9c0e12']);
    expect(headers['baggage']!.length).to.be.at.most(8192);
    // Forwarded entries fill the rest, in their order, as far as the limit lets them.
    expect(entries.slice(2)).to.deep.equal(Array.from({ length: entries.length - 2 }, (_, index) => `f${index}=${'v'.repeat(130 - String(index).length - 2)}`));
  });

  it('sends session.id when the context holds the 180 entries a baggage header may carry', () => {
    const propagator = new SessionBaggagePropagator({ trustIncomingBaggage: true, propagateUserId: false });
    const headers: Record<string, string> = {};
    context.with(propagation.setBaggage(ROOT_CONTEXT, forwardedBaggage(180, 8)), () => {
      runWithSession({ sessionId: 'session-many-1' }, () => {
        propagator.inject(context.active(), headers, defaultTextMapSetter);
      });
    });
    const entries = headers['baggage']!.split(',');
    expect(entries[0]).to.equal('session.id=session-many-1');
    expect(entries).to.have.length(180);
  });

  it('percent-encodes a user id into baggage octets only, and a trusted service reads back exactly that id', () => {
    const edge = new SessionBaggagePropagator({ trustIncomingBaggage: false, propagateUserId: true });
    const trusted = new SessionBaggagePropagator({ trustIncomingBaggage: true, propagateUserId: true });
    for (const id of [...PROVIDER_USER_IDS, EVERY_PRINTABLE_ASCII]) {
      const headers: Record<string, string> = {};
      runWithSession({ sessionId: 'session-encode-1' }, () => {
        setByKey(SessionMapKey.USER_ID, id);
        edge.inject(context.active(), headers, defaultTextMapSetter);
      });
      const header = headers['baggage']!;
      const userEntry = header.split(',').find((entry) => entry.startsWith('user.id='))!;
      expect(userEntry).to.equal(`user.id=${encodeURIComponent(id)}`);
      // W3C baggage-octet: printable ASCII but for space, '"', ',', ';' and '\\'.
      expect(userEntry.slice('user.id='.length), id).to.match(/^[\x21\x23-\x2b\x2d-\x3a\x3c-\x5b\x5d-\x7e]+$/);
      const extracted = trusted.extract(ROOT_CONTEXT, { baggage: header }, defaultTextMapGetter);
      expect(propagation.getBaggage(extracted)?.getEntry('user.id')?.value, id).to.equal(id);
    }
  });

  it('sends no baggage to a destination it cannot see when an allowlist is set', () => {
    const propagator = new SessionBaggagePropagator({ trustIncomingBaggage: false, propagateUserId: false, baggageAllowedHosts: new Set(['orders']) });
    const headers: Record<string, string> = {};
    runWithSession({ sessionId: 'session-inj-2' }, () => {
      // A manual inject: no http/undici hook recorded where it goes.
      propagator.inject(context.active(), headers, defaultTextMapSetter);
    });
    expect(headers).to.deep.equal({});
  });

  it('admits only a valid session.id from an untrusted caller', () => {
    const propagator = new SessionBaggagePropagator({ trustIncomingBaggage: false, propagateUserId: true });
    const extracted = propagator.extract(
      ROOT_CONTEXT,
      { baggage: 'session.id=abc12345,user.id=mallory,planted=evil' },
      defaultTextMapGetter,
    );
    expect(entries(propagation.getBaggage(extracted))).to.deep.equal({ 'session.id': 'abc12345' });
    expect(propagator.fields()).to.deep.equal(['baggage']);
  });

  it('admits no baggage at all from an untrusted caller whose session.id is invalid', () => {
    const propagator = new SessionBaggagePropagator({ trustIncomingBaggage: false, propagateUserId: true });
    const extracted = propagator.extract(ROOT_CONTEXT, { baggage: 'session.id=bad,user.id=mallory' }, defaultTextMapGetter);
    expect(propagation.getBaggage(extracted)).to.equal(undefined);
  });

  it('admits every entry from a trusted caller', () => {
    const propagator = new SessionBaggagePropagator({ trustIncomingBaggage: true, propagateUserId: true });
    const extracted = propagator.extract(
      ROOT_CONTEXT,
      { baggage: 'session.id=abc12345,user.id=bob,tenant=acme' },
      defaultTextMapGetter,
    );
    expect(entries(propagation.getBaggage(extracted))).to.deep.equal({ 'session.id': 'abc12345', 'user.id': 'bob', tenant: 'acme' });
  });

  it('leaves baggage the process set itself alone when the carrier has none', () => {
    const propagator = new SessionBaggagePropagator({ trustIncomingBaggage: false, propagateUserId: true });
    const own = propagation.setBaggage(ROOT_CONTEXT, propagation.createBaggage({ tenant: { value: 'ours' } }));
    const extracted = propagator.extract(own, {}, defaultTextMapGetter);
    expect(entries(propagation.getBaggage(extracted))).to.deep.equal({ tenant: 'ours' });
  });

  it('gives every extracted context an empty session slot of its own, with a new session id when the request brings none', () => {
    const propagator = new SessionBaggagePropagator({ trustIncomingBaggage: false, propagateUserId: true });
    const first = sessionSlotOf(propagator.extract(ROOT_CONTEXT, {}, defaultTextMapGetter));
    const second = sessionSlotOf(propagator.extract(ROOT_CONTEXT, {}, defaultTextMapGetter));
    expect(first?.store).to.equal(undefined);
    expect(first?.sessionId).to.match(/^[0-9a-f]{8}-[0-9a-f]{4}-4[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}$/);
    expect(second).to.not.equal(first);
    expect(second?.sessionId).to.not.equal(first?.sessionId);
  });

  it('decides the session id at extraction: a valid x-session-id, else the admitted baggage session.id, else a new one', () => {
    const untrusted = new SessionBaggagePropagator({ trustIncomingBaggage: false, propagateUserId: true });
    const decided = (carrier: Record<string, string>): string | undefined =>
      sessionSlotOf(untrusted.extract(ROOT_CONTEXT, carrier, defaultTextMapGetter))?.sessionId;
    expect(decided({ 'x-session-id': 'from-header-01', baggage: 'session.id=from-baggage-01' })).to.equal('from-header-01');
    expect(decided({ 'x-session-id': 'bad id', baggage: 'session.id=from-baggage-01' })).to.equal('from-baggage-01');
    expect(decided({ baggage: 'session.id=bad%20id' })).to.match(/^[0-9a-f-]{36}$/);
  });

  it('writes the session of the slot in the active context when no session run is active', () => {
    const propagator = new SessionBaggagePropagator({ trustIncomingBaggage: false, propagateUserId: true });
    const extracted = propagator.extract(ROOT_CONTEXT, { baggage: 'planted=evil' }, defaultTextMapGetter);
    sessionSlotOf(extracted)!.store = { values: { sessionId: 'session-slot-1', userId: 'kim' }, earlySpans: [], response: undefined };
    const headers: Record<string, string> = {};
    context.with(extracted, () => {
      propagator.inject(context.active(), headers, defaultTextMapSetter);
    });
    expect(headers['baggage']?.split(',').sort()).to.deep.equal(['session.id=session-slot-1', 'user.id=kim']);
  });
});
