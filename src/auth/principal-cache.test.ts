import { describe, expect, it } from 'vitest';
import { InProcessBroadcast } from '../live/broadcast.js';
import { PrincipalCache, type CachedPrincipal, type PrincipalNotice } from './principal-cache.js';
import type { Principal } from './principal.js';

const principal = (userId: string): Principal => ({
  userId,
  email: `${userId}@example.test`,
  name: userId,
  role: 'agent',
  organizationId: null,
  locale: null,
  via: 'token',
});
const entry = (userId: string): CachedPrincipal => ({ principal: principal(userId), userId });

/** A broadcast several caches share, standing for LISTEN/NOTIFY between processes. */
function sharedBus() {
  const broadcast = new InProcessBroadcast<PrincipalNotice>();
  const listeners: ((listening: boolean) => void)[] = [];
  const shared = {
    listening: false,
    onListening: (listener: (listening: boolean) => void) => void listeners.push(listener),
    set(listening: boolean) {
      this.listening = listening;
      for (const listener of listeners) listener(listening);
    },
  };
  return { broadcast, shared };
}

describe('PrincipalCache', () => {
  it('keeps at most maxEntries, the least recently used out first', () => {
    const cache = new PrincipalCache({ broadcast: new InProcessBroadcast(), maxEntries: 2 });
    cache.set('t:a', entry('a'), cache.mark());
    cache.set('t:b', entry('b'), cache.mark());
    expect(cache.get('t:a')?.userId).toBe('a');
    cache.set('t:c', entry('c'), cache.mark());
    expect(cache.size).toBe(2);
    expect(cache.get('t:b')).toBeUndefined();
    expect(cache.get('t:a')?.userId).toBe('a');
    expect(cache.get('t:c')?.userId).toBe('c');
  });

  it('keeps an entry ttlMs on the monotonic clock: kept at 29.999 s, gone at 30 s', () => {
    let now = 1000;
    const cache = new PrincipalCache({ broadcast: new InProcessBroadcast(), monotonic: () => now });
    cache.set('t:a', entry('a'), cache.mark());
    now += 29_999;
    expect(cache.get('t:a')).toBeDefined();
    now += 1;
    expect(cache.get('t:a')).toBeUndefined();
    expect(cache.size).toBe(0);
  });

  it('forgets every credential of a user, or one credential, and drops a lookup that raced the change', async () => {
    const cache = new PrincipalCache({ broadcast: new InProcessBroadcast() });
    cache.set('t:a1', entry('a'), cache.mark());
    cache.set('s:a2', entry('a'), cache.mark());
    cache.set('t:b', entry('b'), cache.mark());
    await cache.forgetCredential('t:b');
    expect(cache.get('t:b')).toBeUndefined();
    expect(cache.get('t:a1')).toBeDefined();

    const before = cache.mark();
    await cache.forgetUser('a');
    expect(cache.get('t:a1')).toBeUndefined();
    expect(cache.get('s:a2')).toBeUndefined();
    // A lookup that started before the change read the user as it was: it is not kept.
    cache.set('t:a1', entry('a'), before);
    expect(cache.get('t:a1')).toBeUndefined();
  });

  it('across processes, keeps nothing while not listening and forgets everything when listening resumes', () => {
    const { broadcast, shared } = sharedBus();
    const cache = new PrincipalCache({ broadcast, shared });
    cache.set('t:a', entry('a'), cache.mark());
    expect(cache.size).toBe(0);
    shared.set(true);
    cache.set('t:a', entry('a'), cache.mark());
    expect(cache.size).toBe(1);
    shared.set(false);
    expect(cache.size).toBe(0);
    shared.set(true);
    expect(cache.get('t:a')).toBeUndefined();
    cache.close();
  });

  it('a change in one process is forgotten by the other before it is answered', async () => {
    const { broadcast, shared } = sharedBus();
    const first = new PrincipalCache({ broadcast, shared });
    const second = new PrincipalCache({ broadcast, shared });
    shared.set(true);
    second.set('t:a', entry('a'), second.mark());
    await first.forgetUser('a');
    expect(second.get('t:a')).toBeUndefined();
    first.close();
    second.close();
  });

  it('waits for a process that does not answer at most confirmWithinMs, and logs it; one that is gone is not waited for', async () => {
    const { broadcast, shared } = sharedBus();
    const warnings: string[] = [];
    const cache = new PrincipalCache({
      broadcast,
      shared,
      confirmWithinMs: 50,
      log: { warn: (_obj, message) => void warnings.push(message) },
    });
    shared.set(true);
    // A process that says it is here but never answers.
    broadcast.publish({ type: 'here', from: 'silent' });
    await cache.forgetUser('a');
    expect(warnings).toHaveLength(1);

    const change = cache.forgetUser('b');
    broadcast.publish({ type: 'gone', from: 'silent' });
    await change;
    expect(warnings).toHaveLength(1);
    cache.close();
  });
});
