import dns, { type LookupAddress } from 'node:dns';
import { isIP, type LookupFunction } from 'node:net';
import ipaddr from 'ipaddr.js';

/** Where status webhooks may connect: public addresses, and the private hosts the operator lists. */
export interface WebhookReach {
  /** Host names and addresses a webhook may reach although they are private (WEBHOOK_ALLOW_PRIVATE_HOSTS). */
  allowPrivateHosts: readonly string[];
  /** Resolves host names; dns.lookup unless a test injects another. */
  lookup?: LookupFunction;
}

/** A webhook the desk will not connect to: sending it again gets the same answer, so it fails at once. */
export class AddressRefused extends Error {
  readonly permanent = true;
}

/** What kind of address each of ipaddr.js's special ranges is, as a refusal names it. */
const RANGE_KINDS: Record<string, string> = {
  unspecified: 'an unspecified address',
  broadcast: 'the broadcast address',
  multicast: 'a multicast address',
  loopback: 'a loopback address',
  linkLocal: 'a link-local address (where cloud metadata services answer)',
  private: 'a private network address',
  carrierGradeNat: 'a carrier-grade NAT (shared) address',
  uniqueLocal: 'a unique-local (private) address',
  deprecatedSiteLocal: 'a site-local (private) address',
  reserved: 'a reserved address',
  rfc6052: 'a NAT64 address, which embeds an IPv4 address',
  rfc6145: 'an IPv4-translated address, which embeds an IPv4 address',
  '6to4': 'a 6to4 address, which embeds an IPv4 address',
  teredo: 'a Teredo address, which embeds an IPv4 address',
};

/**
 * What kind of non-public address `address` (an IP address) is, or undefined for a public one. Public
 * is ipaddr.js's "unicast", the test request-filtering-agent applies at connection time, so that
 * what is accepted at subscription is also what the delivery connects to.
 */
export function nonPublicKind(address: string): string | undefined {
  if (isIP(address) === 0) return 'not an IP address';
  const parsed = ipaddr.parse(address);
  if (parsed.kind() === 'ipv6' && (parsed as ipaddr.IPv6).isIPv4MappedAddress()) {
    const v4 = (parsed as ipaddr.IPv6).toIPv4Address().toString();
    return `an IPv4-mapped address of ${v4}${nonPublicKind(v4) ? ` (${nonPublicKind(v4)})` : ''}`;
  }
  const range: string = parsed.range();
  if (range !== 'unicast') return RANGE_KINDS[range] ?? `a special-purpose address (${range})`;
  // ::a.b.c.d, the deprecated IPv4-compatible form, which some stacks still route as the IPv4 address.
  if (parsed.kind() === 'ipv6' && (parsed as ipaddr.IPv6).parts.slice(0, 6).every((p) => p === 0))
    return 'an IPv4-compatible address, which embeds an IPv4 address';
  return undefined;
}

/** A host as compared with the allow list: lowercase, without brackets or a final dot, an address in canonical form. */
export function hostKey(hostname: string): string {
  const host = hostname
    .toLowerCase()
    .replace(/^\[(.*)\]$/, '$1')
    .replace(/\.$/, '');
  return isIP(host) === 0 ? host : ipaddr.process(host).toString();
}

/** Names that are this machine or a private zone by definition (RFC 6761 localhost, ICANN's .internal). */
const isPrivateName = (host: string) =>
  host === 'localhost' || host.endsWith('.localhost') || host === 'internal' || host.endsWith('.internal');

/** A lookup that reports every address of a name, as a promise. */
function lookupAll(lookup: LookupFunction, hostname: string): Promise<LookupAddress[]> {
  return new Promise((resolve, reject) =>
    lookup(hostname, { all: true }, (error, addresses) => {
      if (error) reject(error);
      else resolve(Array.isArray(addresses) ? addresses : [{ address: addresses, family: isIP(addresses) }]);
    }),
  );
}

/** Lookup errors that mean the name has no address, rather than that the resolver failed for now. */
const NO_SUCH_NAME = new Set(['ENOTFOUND', 'ENODATA', 'EAI_NONAME', 'EAI_NODATA']);

/**
 * Decides which hosts a status webhook may reach: those whose every address is public, and those
 * the operator lists. A name is judged by the addresses it resolves to, not by its text.
 */
export class WebhookAddresses {
  private readonly allowed: ReadonlySet<string>;
  readonly lookup: LookupFunction;

  constructor(reach: WebhookReach) {
    this.allowed = new Set(reach.allowPrivateHosts.map(hostKey));
    this.lookup = reach.lookup ?? dns.lookup;
  }

  /** Whether the operator lists the URL's host: it may then reach a private address. */
  allows(url: URL): boolean {
    return this.allowed.has(hostKey(url.hostname));
  }

  /**
   * Why the URL may not be reached, judged without resolving anything: an address written in it that
   * is not public, or a name that is private by definition. Undefined when its host is listed, is a
   * public address, or is a name that remains to be resolved.
   */
  refusalOfText(url: URL): string | undefined {
    if (this.allows(url)) return undefined;
    const host = hostKey(url.hostname);
    if (isIP(host) !== 0) {
      const kind = nonPublicKind(url.hostname.replace(/^\[(.*)\]$/, '$1'));
      return kind ? `${url.hostname} is ${kind}` : undefined;
    }
    return isPrivateName(host) ? `${url.hostname} names this machine or a private network` : undefined;
  }

  /**
   * At subscription: why the URL may not be reached, resolving its name and judging every address it
   * has (a connection may use any of them); undefined when it may be. A name that does not exist is
   * refused; a resolver that fails for now throws its error.
   */
  async refusal(url: URL): Promise<string | undefined> {
    const refused = this.refusalOfText(url);
    if (refused !== undefined || this.allows(url) || isIP(hostKey(url.hostname)) !== 0) return refused;
    let addresses: LookupAddress[];
    try {
      addresses = await lookupAll(this.lookup, url.hostname);
    } catch (error) {
      const code = (error as NodeJS.ErrnoException).code;
      if (code !== undefined && NO_SUCH_NAME.has(code)) return `${url.hostname} does not resolve (${code})`;
      throw error;
    }
    if (addresses.length === 0) return `${url.hostname} does not resolve`;
    for (const { address } of addresses) {
      const kind = nonPublicKind(address);
      if (kind) return `${url.hostname} resolves to ${address}, ${kind}`;
    }
    return undefined;
  }

  /**
   * The lookup a delivery connects through: the name is resolved once, and when any address it gives
   * is not public the connection fails before it is made (DNS rebinding: a name that was public at
   * subscription may not be now). request-filtering-agent checks the same addresses again.
   */
  guardedLookup(): LookupFunction {
    return (hostname, options, callback) =>
      this.lookup(hostname, options, (error, address, family) => {
        if (error) return callback(error, address, family);
        const answers = Array.isArray(address) ? address : [{ address, family: family ?? isIP(address) }];
        for (const answer of answers) {
          const kind = nonPublicKind(answer.address);
          if (kind)
            return callback(
              new AddressRefused(`not connected: ${hostname} resolves to ${answer.address}, ${kind}`),
              address,
              family,
            );
        }
        callback(null, address, family);
      });
  }
}
