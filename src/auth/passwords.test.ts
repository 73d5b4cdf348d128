import { describe, expect, it } from 'vitest';
import { hashPassword, passwordHashingStats, verifyAgainstDummy, verifyPassword } from './passwords.js';

describe('password hashing', () => {
  it('verifies the right password and refuses a wrong one', async () => {
    const hash = await hashPassword('correct horse battery staple');
    expect(hash).toMatch(/^scrypt\$\d+\$8\$3\$[A-Za-z0-9_-]+\$[A-Za-z0-9_-]+$/);
    expect(await verifyPassword('correct horse battery staple', hash)).toBe(true);
    expect(await verifyPassword('correct horse battery stapler', hash)).toBe(false);
  });

  it('salts every hash', async () => {
    expect(await hashPassword('same password')).not.toBe(await hashPassword('same password'));
  });

  it('treats Unicode compositions of the same text as the same password', async () => {
    const hash = await hashPassword('caf\u00e9 au lait');
    expect(await verifyPassword('cafe\u0301 au lait', hash)).toBe(true);
  });

  it('refuses malformed stored hashes instead of throwing', async () => {
    for (const stored of ['', 'plain', 'bcrypt$x', 'scrypt$1$2$3$4']) {
      expect(await verifyPassword('anything', stored)).toBe(false);
    }
  });

  it('never accepts a password against the dummy hash', async () => {
    expect(await verifyAgainstDummy('anything')).toBe(false);
  });

  it('runs at most two hashes at once and queues the rest, so a burst of sign-ins leaves the thread pool free', async () => {
    const hash = await hashPassword('correct horse battery staple');
    const before = passwordHashingStats().verifications;
    const checks = Array.from({ length: 12 }, (_, i) =>
      verifyPassword(i === 5 ? 'correct horse battery staple' : `wrong guess ${i}`, hash),
    );
    expect(passwordHashingStats()).toMatchObject({ running: 2, waiting: 10 });
    const results = await Promise.all(checks);
    expect(results.filter(Boolean)).toHaveLength(1);
    expect(results[5]).toBe(true);
    expect(passwordHashingStats()).toMatchObject({
      running: 0,
      waiting: 0,
      peakRunning: 2,
      verifications: before + 12,
    });
  });

  it('frees its slot when a hash fails, so the queue keeps moving', async () => {
    // N must be a power of two: scrypt refuses this stored hash and the check fails.
    const broken = 'scrypt$1000$8$3$c2FsdA$a2V5';
    const outcomes = await Promise.allSettled(
      Array.from({ length: 5 }, () => verifyPassword('anything at all', broken)),
    );
    expect(outcomes.every((o) => o.status === 'rejected')).toBe(true);
    expect(passwordHashingStats()).toMatchObject({ running: 0, waiting: 0 });
    const hash = await hashPassword('still works');
    expect(await verifyPassword('still works', hash)).toBe(true);
  });
});
