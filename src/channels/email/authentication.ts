import { promises as dns } from 'node:dns';
import { authenticate, type AuthenticateResult, type DNSResolver } from 'mailauth';

/**
 * What the desk could establish about who sent a mail:
 * - verified: the From domain vouches for it (DMARC passes, or, where the domain publishes no DMARC
 *   policy, a DKIM signature of the From domain verifies or SPF passes for it);
 * - failed: the From domain publishes a DMARC policy and the mail fails it (a forgery, or a
 *   forwarder that broke the signature);
 * - unverified: nothing proves it either way (no signature, no policy, DNS unavailable).
 */
export type SenderVerdict = 'verified' | 'unverified' | 'failed';

export interface SenderAuthentication {
  verdict: SenderVerdict;
  /** The checks in Authentication-Results form (RFC 8601), for staff to read. */
  results: string;
}

/** How the mail reached the desk: the SMTP session, when it came through the listener. */
export interface SmtpSession {
  /** The SMTP MAIL FROM. */
  sender?: string | undefined;
  /** The address of the client that handed the mail over; without it SPF cannot be checked. */
  clientIp?: string | undefined;
  /** The name the client gave in HELO/EHLO. */
  helo?: string | undefined;
}

export interface MailAuthenticatorOptions {
  /** The name the desk signs its Authentication-Results with (the support domain). */
  authservId: string;
  /** DNS lookups (TXT records of DKIM keys, SPF and DMARC policies); the system resolver when absent. */
  resolver?: DNSResolver | undefined;
  /** How long the checks may take before the mail is taken as unverified. */
  timeoutMs?: number;
  /** How long DNS answers are reused; see cachingResolver. */
  dnsCache?: DnsCacheOptions;
}

export interface MailAuthenticator {
  check(raw: Buffer, session: SmtpSession): Promise<SenderAuthentication>;
}

const DEFAULT_TIMEOUT_MS = 10_000;

/**
 * Checks DKIM on every mail, SPF when the client's address is known (mail through the SMTP listener;
 * a mailbox polled over IMAP has none), and DMARC from them, with mailauth. A check that cannot be
 * made (a DNS failure, a timeout, a malformed message) leaves the mail unverified, never failed.
 */
export function mailAuthenticator(options: MailAuthenticatorOptions): MailAuthenticator {
  const timeoutMs = options.timeoutMs ?? DEFAULT_TIMEOUT_MS;
  const resolver = cachingResolver(options.resolver ?? systemResolver, options.dnsCache);
  return {
    async check(raw, session) {
      let timer: NodeJS.Timeout | undefined;
      try {
        const result = await Promise.race([
          authenticate(raw, {
            mta: options.authservId,
            resolver,
            ...(session.clientIp ? { ip: session.clientIp } : {}),
            ...(session.helo ? { helo: session.helo } : {}),
            ...(session.sender ? { sender: session.sender } : {}),
            disableArc: true,
            disableBimi: true,
          }),
          new Promise<never>((_, reject) => {
            timer = setTimeout(() => reject(new Error('timed out')), timeoutMs);
          }),
        ]);
        return verdictOf(result, options.authservId, Boolean(session.clientIp));
      } catch (error) {
        const why = error instanceof Error ? error.message : String(error);
        return {
          verdict: 'unverified',
          results: `${options.authservId}; none (the checks could not be made: ${why.slice(0, 200)})`,
        };
      } finally {
        clearTimeout(timer);
      }
    },
  };
}

export interface DnsCacheOptions {
  /** How long an answer, or the news that a name has no such record, is reused (ms). */
  answerMs?: number;
  /** How long a failed lookup (a timeout, a server failure) is reused, so that mail keeps flowing while DNS is down (ms). */
  failureMs?: number;
  /** The most names kept; the oldest goes first. */
  maxEntries?: number;
  /** A monotonic clock in milliseconds. */
  now?: () => number;
}

const DNS_ANSWER_MS = 60_000;
const DNS_FAILURE_MS = 10_000;
const DNS_MAX_ENTRIES = 10_000;
/** A name that does not exist, or has no record of the type asked: a definite answer. */
const NO_SUCH_RECORD = new Set(['ENOTFOUND', 'ENODATA']);

const systemResolver: DNSResolver = (name, type) => dns.resolve(name, type) as ReturnType<DNSResolver>;

/**
 * A resolver that reuses each answer for a short while: a sending domain's SPF policy, DMARC policy
 * and DKIM keys are read once a minute rather than for every mail, and lookups of the same name at
 * the same time share one query. Every mail is still checked in full against these records; only
 * the DNS round trips are saved. A failed lookup is remembered for less time, so that while DNS is
 * unreachable each mail is taken as unverified at once instead of waiting for the timeout.
 */
export function cachingResolver(resolve: DNSResolver, options: DnsCacheOptions = {}): DNSResolver {
  const answerMs = options.answerMs ?? DNS_ANSWER_MS;
  const failureMs = options.failureMs ?? DNS_FAILURE_MS;
  const maxEntries = options.maxEntries ?? DNS_MAX_ENTRIES;
  const now = options.now ?? (() => performance.now());
  const entries = new Map<string, { answer: ReturnType<DNSResolver>; expiresAt: number }>();
  return (name, type) => {
    const key = `${type.toUpperCase()} ${name.toLowerCase()}`;
    const at = now();
    const cached = entries.get(key);
    if (cached && cached.expiresAt > at) return cached.answer;
    entries.delete(key);
    if (entries.size >= maxEntries) entries.delete(entries.keys().next().value!);
    // In flight, the entry lives as long as an answer would; a failure shortens it when it comes.
    const entry = { answer: resolve(name, type), expiresAt: at + answerMs };
    entries.set(key, entry);
    entry.answer.catch((error: unknown) => {
      const code = (error as { code?: unknown } | null)?.code;
      if (!(typeof code === 'string' && NO_SUCH_RECORD.has(code))) entry.expiresAt = now() + failureMs;
    });
    return entry.answer;
  };
}

/** The verdict and the Authentication-Results of mailauth's answer. */
export function verdictOf(
  result: AuthenticateResult,
  authservId: string,
  spfChecked: boolean,
): SenderAuthentication {
  const dkim = result.dkim.results;
  const spf = spfChecked && result.spf ? result.spf : undefined;
  const dmarc = result.dmarc || undefined;
  const fromDomain = (result.dkim.headerFrom[0] ?? '').split('@').pop()?.toLowerCase() ?? '';
  const lines = [
    ...dkim.map((r) => r.info),
    spf ? spf.info : 'spf=none (no client address: the mail was fetched from a mailbox)',
    ...(dmarc ? [dmarc.info] : []),
  ].filter((line): line is string => typeof line === 'string' && line !== '');
  const results = `${authservId}; ${lines.join('; ')}`;
  const dmarcResult = dmarc?.status.result;
  if (dmarcResult === 'fail') return { verdict: 'failed', results };
  if (dmarcResult === 'pass') return { verdict: 'verified', results };
  const alignedDkim = dkim.some((r) => r.status.result === 'pass' && Boolean(r.status.aligned));
  const alignedSpf =
    spf?.status.result === 'pass' && spf.domain.toLowerCase() === fromDomain && fromDomain !== '';
  return { verdict: alignedDkim || alignedSpf ? 'verified' : 'unverified', results };
}
