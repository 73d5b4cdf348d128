import type { LookupFunction } from 'node:net';
import { describe, expect, it } from 'vitest';
import { AddressRefused, hostKey, nonPublicKind, WebhookAddresses } from './webhook-address.js';

/** A resolver with fixed answers, in the shape of dns.lookup. */
const resolver =
  (answers: Record<string, string[]>): LookupFunction =>
  (hostname, options, callback) => {
    const addresses = (answers[hostname.replace(/\.$/, '')] ?? []).map((address) => ({
      address,
      family: address.includes(':') ? 6 : 4,
    }));
    if (addresses.length === 0)
      return callback(
        Object.assign(new Error(`getaddrinfo ENOTFOUND ${hostname}`), { code: 'ENOTFOUND' }),
        '',
      );
    if (options.all) callback(null, addresses);
    else callback(null, addresses[0]!.address, addresses[0]!.family);
  };

describe('nonPublicKind', () => {
  it.each([
    ['127.0.0.1', 'a loopback address'],
    ['127.255.0.9', 'a loopback address'],
    ['::1', 'a loopback address'],
    ['10.0.0.1', 'a private network address'],
    ['172.31.255.255', 'a private network address'],
    ['192.168.0.1', 'a private network address'],
    ['169.254.169.254', 'a link-local address (where cloud metadata services answer)'],
    ['fe80::1', 'a link-local address (where cloud metadata services answer)'],
    ['fd00:ec2::254', 'a unique-local (private) address'],
    ['fc00::1', 'a unique-local (private) address'],
    ['fec0::1', 'a site-local (private) address'],
    ['100.64.0.1', 'a carrier-grade NAT (shared) address'],
    ['100.100.100.200', 'a carrier-grade NAT (shared) address'],
    ['224.0.0.1', 'a multicast address'],
    ['239.255.255.250', 'a multicast address'],
    ['ff02::1', 'a multicast address'],
    ['0.0.0.0', 'an unspecified address'],
    ['0.1.2.3', 'an unspecified address'],
    ['::', 'an unspecified address'],
    ['255.255.255.255', 'the broadcast address'],
    ['240.0.0.1', 'a reserved address'],
    ['192.0.2.1', 'a reserved address'],
    ['2001:db8::1', 'a reserved address'],
    ['::ffff:127.0.0.1', 'an IPv4-mapped address of 127.0.0.1 (a loopback address)'],
    ['::ffff:7f00:1', 'an IPv4-mapped address of 127.0.0.1 (a loopback address)'],
    [
      '::ffff:a9fe:a9fe',
      'an IPv4-mapped address of 169.254.169.254 (a link-local address (where cloud metadata services answer))',
    ],
    // request-filtering-agent refuses every mapped address; so does the subscription.
    ['::ffff:8.8.8.8', 'an IPv4-mapped address of 8.8.8.8'],
    ['::7f00:1', 'an IPv4-compatible address, which embeds an IPv4 address'],
    ['64:ff9b::7f00:1', 'a NAT64 address, which embeds an IPv4 address'],
    ['2002:7f00:1::', 'a 6to4 address, which embeds an IPv4 address'],
    ['2001::1', 'a Teredo address, which embeds an IPv4 address'],
  ])('%s is %s', (address, kind) => {
    expect(nonPublicKind(address)).toBe(kind);
  });

  it.each(['93.184.215.14', '8.8.8.8', '1.1.1.1', '2606:4700:4700::1111', '2a00:1450:4007:80e::200e'])(
    '%s is public',
    (address) => {
      expect(nonPublicKind(address)).toBeUndefined();
    },
  );
});

describe('hostKey', () => {
  it('compares names without case or a final dot, and addresses in one spelling', () => {
    expect(hostKey('HOOKS.Internal.')).toBe('hooks.internal');
    expect(hostKey('[::FFFF:a00:5]')).toBe('10.0.0.5');
    expect(hostKey('[FD00:0:0::5]')).toBe('fd00::5');
  });
});

describe('WebhookAddresses', () => {
  const addresses = new WebhookAddresses({
    allowPrivateHosts: ['hooks.internal', '10.0.0.5'],
    lookup: resolver({
      'hooks.example.test': ['93.184.215.14', '2606:2800:21f:cb07:6820:80da:af6b:8b2c'],
      'loopback.example.test': ['127.0.0.1'],
      'split.example.test': ['93.184.215.14', '10.9.9.9'],
      'hooks.internal': ['10.0.0.7'],
    }),
  });
  const refusal = (url: string) => addresses.refusal(new URL(url));

  it('accepts a name whose every address is public', async () => {
    expect(await refusal('https://hooks.example.test/status')).toBeUndefined();
    expect(await refusal('https://hooks.example.test./status')).toBeUndefined();
  });

  it('refuses a name with any address that is not public, and one that does not exist', async () => {
    expect(await refusal('https://loopback.example.test./hook')).toBe(
      'loopback.example.test. resolves to 127.0.0.1, a loopback address',
    );
    expect(await refusal('https://split.example.test/hook')).toBe(
      'split.example.test resolves to 10.9.9.9, a private network address',
    );
    expect(await refusal('https://nowhere.example.test/hook')).toBe(
      'nowhere.example.test does not resolve (ENOTFOUND)',
    );
  });

  it('refuses private addresses and names by their text, before resolving anything', async () => {
    expect(await refusal('https://[::ffff:127.0.0.1]:3299/a')).toBe(
      '[::ffff:7f00:1] is an IPv4-mapped address of 127.0.0.1 (a loopback address)',
    );
    expect(await refusal('https://localhost./hook')).toBe(
      'localhost. names this machine or a private network',
    );
    expect(await refusal('https://metadata.google.internal/')).toBe(
      'metadata.google.internal names this machine or a private network',
    );
  });

  it('leaves a resolver that fails for now to the caller, which answers 503 rather than refusing', async () => {
    const flaky = new WebhookAddresses({
      allowPrivateHosts: [],
      lookup: (hostname, _options, callback) =>
        callback(Object.assign(new Error(`getaddrinfo EAI_AGAIN ${hostname}`), { code: 'EAI_AGAIN' }), ''),
    });
    await expect(flaky.refusal(new URL('https://hooks.example.test/status'))).rejects.toThrow('EAI_AGAIN');
  });

  it('lets the listed hosts through, by name or address, whatever they resolve to', async () => {
    expect(await refusal('https://hooks.internal/status')).toBeUndefined();
    expect(await refusal('https://HOOKS.INTERNAL./status')).toBeUndefined();
    expect(await refusal('https://10.0.0.5:8443/status')).toBeUndefined();
    expect(await refusal('https://10.0.0.6/status')).toBe('10.0.0.6 is a private network address');
  });

  it('fails a lookup at connection time when the name now resolves to an address that is not public', async () => {
    const lookup = addresses.guardedLookup();
    const answer = (hostname: string, all: boolean) =>
      new Promise<unknown>((resolve, reject) =>
        lookup(hostname, { all }, (error, address) => (error ? reject(error) : resolve(address))),
      );
    await expect(answer('loopback.example.test', false)).rejects.toThrow(AddressRefused);
    await expect(answer('split.example.test', true)).rejects.toThrow(
      'not connected: split.example.test resolves to 10.9.9.9, a private network address',
    );
    expect(await answer('hooks.example.test', false)).toBe('93.184.215.14');
  });
});
