import { describe, expect, it } from 'vitest';
import type { DNSResolver } from 'mailauth';
import { cachingResolver } from './authentication.js';

/** A resolver that counts the lookups it answers, with the answers and failures a test gives it. */
function countingResolver(answers: Record<string, string[][] | string[] | string>) {
  const asked: string[] = [];
  const resolve: DNSResolver = async (name, type) => {
    asked.push(`${type} ${name}`);
    const answer = answers[`${type} ${name}`];
    if (answer === undefined)
      throw Object.assign(new Error(`queryTxt ENOTFOUND ${name}`), { code: 'ENOTFOUND' });
    if (typeof answer === 'string')
      throw Object.assign(new Error(`queryTxt ${answer} ${name}`), { code: answer });
    return answer;
  };
  return { resolve, asked };
}

describe('cachingResolver', () => {
  it('asks once for the same name, also when lookups overlap, and again once the answer is a minute old', async () => {
    const dns = countingResolver({ 'TXT example.test': [['v=spf1 -all']] });
    const clock = { now: 0 };
    const resolve = cachingResolver(dns.resolve, { now: () => clock.now });
    const [first, second] = await Promise.all([
      resolve('example.test', 'TXT'),
      resolve('EXAMPLE.test', 'txt'),
    ]);
    expect(first).toEqual([['v=spf1 -all']]);
    expect(second).toEqual([['v=spf1 -all']]);
    clock.now = 59_999;
    await resolve('example.test', 'TXT');
    expect(dns.asked).toEqual(['TXT example.test']);
    clock.now = 60_000;
    await resolve('example.test', 'TXT');
    expect(dns.asked).toEqual(['TXT example.test', 'TXT example.test']);
  });

  it('remembers that a name has no record as long as an answer, and a failed lookup for ten seconds', async () => {
    const dns = countingResolver({ 'TXT _dmarc.down.test': 'ETIMEOUT' });
    const clock = { now: 0 };
    const resolve = cachingResolver(dns.resolve, { now: () => clock.now });
    await expect(resolve('_dmarc.none.test', 'TXT')).rejects.toMatchObject({ code: 'ENOTFOUND' });
    await expect(resolve('_dmarc.down.test', 'TXT')).rejects.toMatchObject({ code: 'ETIMEOUT' });
    clock.now = 9_999;
    await expect(resolve('_dmarc.none.test', 'TXT')).rejects.toMatchObject({ code: 'ENOTFOUND' });
    await expect(resolve('_dmarc.down.test', 'TXT')).rejects.toMatchObject({ code: 'ETIMEOUT' });
    expect(dns.asked).toHaveLength(2);
    clock.now = 10_000;
    await expect(resolve('_dmarc.down.test', 'TXT')).rejects.toMatchObject({ code: 'ETIMEOUT' });
    await expect(resolve('_dmarc.none.test', 'TXT')).rejects.toMatchObject({ code: 'ENOTFOUND' });
    expect(dns.asked).toEqual(['TXT _dmarc.none.test', 'TXT _dmarc.down.test', 'TXT _dmarc.down.test']);
  });

  it('keeps the types of one name apart, and forgets the oldest name past its size', async () => {
    const dns = countingResolver({
      'TXT a.test': [['txt']],
      'A a.test': ['192.0.2.1'],
      'TXT b.test': [['b']],
    });
    const resolve = cachingResolver(dns.resolve, { now: () => 0, maxEntries: 2 });
    expect(await resolve('a.test', 'TXT')).toEqual([['txt']]);
    expect(await resolve('a.test', 'A')).toEqual(['192.0.2.1']);
    await resolve('b.test', 'TXT');
    await resolve('a.test', 'A');
    await resolve('a.test', 'TXT');
    expect(dns.asked).toEqual(['TXT a.test', 'A a.test', 'TXT b.test', 'TXT a.test']);
  });
});
