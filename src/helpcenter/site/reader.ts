import { randomBytes } from 'node:crypto';
import type { FastifyReply, FastifyRequest } from 'fastify';
import { SESSION_COOKIE } from '../../auth/hook.js';
import type { Principal } from '../../auth/principal.js';
import type { AuthService } from '../../auth/service.js';
import { HC_LOCALES, isHcLocale, type HcLocale, type HcViewer } from '../model.js';
import type { HelpCenterService } from '../service.js';
import { SLUG_PATTERN } from '../slug.js';

/** Who reads a page: the auth hook runs for /api/ only, so the site reads the session cookie itself. */
export interface Reader {
  principal: Principal | null;
  viewer: HcViewer;
}

export async function readerOf(
  request: FastifyRequest,
  auth: AuthService,
  content: HelpCenterService,
): Promise<Reader> {
  const secret = request.cookies[SESSION_COOKIE];
  const principal =
    secret && secret.length <= 200 ? ((await auth.principalFromSession(secret)) ?? null) : null;
  return { principal, viewer: await content.viewer(principal) };
}

/** The help center locale an Accept-Language header prefers most; English when it names neither. */
export function preferredLocale(acceptLanguage: string | undefined): HcLocale {
  let best: { locale: HcLocale; q: number } | null = null;
  for (const range of (acceptLanguage ?? '').slice(0, 500).split(',')) {
    const [tag = '', ...params] = range.trim().split(';');
    const language = tag.trim().toLowerCase().split('-')[0] ?? '';
    if (!isHcLocale(language)) continue;
    const qParam = params.map((p) => p.trim()).find((p) => p.startsWith('q='));
    const q = qParam ? Number(qParam.slice(2)) : 1;
    if (!Number.isFinite(q) || q <= 0) continue;
    if (!best || q > best.q) best = { locale: language, q };
  }
  return best?.locale ?? HC_LOCALES[0];
}

// Crawlers say so in their User-Agent; a request without one is not a person's browser either.
const BOT_AGENT = /bot|crawler|spider|crawling|slurp/i;
export const isBot = (userAgent: string | undefined) => !userAgent || BOT_AGENT.test(userAgent);

export const MAX_SLUG = 200;
export const isSlug = (value: string) => value.length <= MAX_SLUG && SLUG_PATTERN.test(value);

export const MAX_QUERY = 200;

/**
 * A search as typed, made safe to store and to search: control characters (a NUL included, which
 * PostgreSQL refuses) and lone surrogates dropped, spaces collapsed, cut to 200 characters.
 */
export function cleanQuery(raw: unknown): string {
  if (typeof raw !== 'string') return '';
  return (
    raw
      .slice(0, MAX_QUERY * 4)
      .toWellFormed()
      // eslint-disable-next-line no-control-regex
      .replace(/[\u0000-\u001f\u007f]/g, ' ')
      .replace(/\s+/g, ' ')
      .trim()
      .slice(0, MAX_QUERY)
      .toWellFormed()
      .replace(/\uFFFD$/, '')
      .trim()
  );
}

/** A page number from the query string: 1 unless it is a whole number between 1 and `max`. */
export function pageNumber(raw: unknown, max: number): number {
  const n = typeof raw === 'string' && /^\d{1,4}$/.test(raw) ? Number(raw) : 1;
  return Math.min(Math.max(n, 1), max);
}

export const VOTER_COOKIE = 'accord_hc_voter';
const VOTER_ID = /^[A-Za-z0-9_-]{32}$/;
const VOTER_MAX_AGE_S = 365 * 86_400;

/**
 * Who casts a "was this helpful?" vote: the signed-in user, or an anonymous reader remembered by a
 * random id in a cookie, so that changing one's answer replaces the first instead of adding to it.
 */
export function voterOf(request: FastifyRequest, reply: FastifyReply, reader: Reader, secure: boolean) {
  if (reader.principal) return `user:${reader.principal.userId}`;
  let id = request.cookies[VOTER_COOKIE];
  if (!id || !VOTER_ID.test(id)) {
    id = randomBytes(24).toString('base64url');
    void reply.setCookie(VOTER_COOKIE, id, {
      path: '/hc',
      httpOnly: true,
      sameSite: 'lax',
      secure,
      maxAge: VOTER_MAX_AGE_S,
    });
  }
  return `anon:${id}`;
}

/**
 * Whether a form post comes from another site. The cookies are SameSite=Lax, so a forged post
 * would only vote anonymously; refusing it still keeps others' pages from stuffing the counts.
 */
export function crossSite(request: FastifyRequest, publicUrl: string): boolean {
  if (request.headers['sec-fetch-site'] === 'cross-site') return true;
  const origin = request.headers.origin;
  if (origin === undefined) return false;
  if (origin === new URL(publicUrl).origin) return false;
  try {
    return new URL(origin).host !== request.host;
  } catch {
    return true;
  }
}
