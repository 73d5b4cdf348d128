import { generateKeyPairSync } from 'node:crypto';
import { dkimSign, type DKIMSignOptions, type DNSResolver } from 'mailauth';
import type { LookupAddress } from 'node:dns';
import { isIP, type LookupFunction } from 'node:net';

// What tests see of DNS: names to addresses (FakeDns), and the TXT records mail authentication reads.

/**
 * A resolver whose answers a test sets and changes (a name public now, loopback later), in the shape
 * of dns.lookup, to inject where the code under test resolves names. A name it does not know fails
 * with ENOTFOUND, as an unknown name does; a final dot is ignored, as resolvers do.
 */
export class FakeDns {
  private readonly answers = new Map<string, string[]>();
  /** The names asked, in order. */
  readonly asked: string[] = [];

  answer(name: string, ...addresses: string[]): this {
    this.answers.set(name.toLowerCase().replace(/\.$/, ''), addresses);
    return this;
  }

  readonly lookup: LookupFunction = (hostname, options, callback) => {
    this.asked.push(hostname);
    const known = this.answers.get(hostname.toLowerCase().replace(/\.$/, ''));
    const family = options.family === 'IPv4' ? 4 : options.family === 'IPv6' ? 6 : (options.family ?? 0);
    const addresses: LookupAddress[] = (known ?? [])
      .map((address) => ({ address, family: isIP(address) }))
      .filter((a) => family === 0 || a.family === family);
    setImmediate(() => {
      if (addresses.length === 0) {
        const error: NodeJS.ErrnoException = new Error(`getaddrinfo ENOTFOUND ${hostname}`);
        error.code = 'ENOTFOUND';
        callback(error, '', 0);
      } else if (options.all) callback(null, addresses);
      else callback(null, addresses[0]!.address, addresses[0]!.family);
    });
  };
}

/**
 * The DNS a test desk sees: the TXT records it is given (DKIM keys, SPF and DMARC policies), and no
 * answer for anything else, at once and the same every run. Keys are `name:TYPE`.
 */
export function fixedDns(records: Map<string, string[][]> = new Map()): DNSResolver {
  return async (name, type) => {
    const answer = records.get(`${name.toLowerCase()}:${type.toUpperCase()}`);
    if (answer) return answer;
    throw Object.assign(new Error(`queryTxt ENOTFOUND ${name}`), { code: 'ENOTFOUND' });
  };
}

/**
 * A mail domain that signs its mail with DKIM and publishes a DMARC policy: its records go into the
 * test's DNS, and sign() adds a real DKIM-Signature to a raw message.
 */
export function signingDomain(domain: string, records: Map<string, string[][]>, selector = 'mail') {
  const { privateKey, publicKey } = generateKeyPairSync('rsa', { modulusLength: 2048 });
  const key = publicKey.export({ type: 'spki', format: 'der' }).toString('base64');
  records.set(`${selector}._domainkey.${domain}:TXT`, [[`v=DKIM1; k=rsa; p=${key}`]]);
  records.set(`_dmarc.${domain}:TXT`, [['v=DMARC1; p=reject']]);
  const pem = privateKey.export({ type: 'pkcs8', format: 'pem' }).toString();
  return {
    async sign(raw: string): Promise<string> {
      // mailauth reads the keys from signatureData; its type declarations name them at the top level.
      const options = { signatureData: [{ signingDomain: domain, selector, privateKey: pem }] };
      const signed = await dkimSign(raw, options as unknown as DKIMSignOptions);
      return signed.signatures + raw;
    },
  };
}
