import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Principal } from '../../src/auth/principal.js';
import type { ArticleCreate } from '../../src/helpcenter/schema.js';
import { databaseTargets } from '../support/databases.js';
import { TestDesk, type ApiResponse } from '../support/desk.js';

const PUBLIC_URL = 'https://help.example.test';
const PASSWORD = 'a long enough password';
const CSP =
  "default-src 'none'; style-src 'self'; img-src 'self' https: data:; form-action 'self'; frame-ancestors 'none'; base-uri 'none'";

/**
 * The page's HTML with insignificant whitespace removed (the templates are formatted source, so
 * their indentation is in the output): runs of spaces become one, none beside a tag's angle brackets.
 */
const squash = (markup: string) =>
  markup
    .replace(/\s+/g, ' ')
    .replace(/\s*\/?>/g, '>')
    .replace(/>\s+/g, '>')
    .replace(/\s+</g, '<');

/** Whether the page links `rel=alternate hreflang=X` to that address. */
const hreflang = (body: string, locale: string) =>
  new RegExp(`<link rel="alternate" hreflang="${locale}" href="([^"]+)">`).exec(body)?.[1];
const canonical = (body: string) => /<link rel="canonical" href="([^"]+)">/.exec(body)?.[1];
const description = (body: string) => /<meta name="description" content="([^"]*)">/.exec(body)?.[1];
const title = (body: string) => /<title>([^<]*)<\/title>/.exec(body)?.[1];
/** The language switcher's link to a locale. */
const switcherTo = (body: string, locale: string) =>
  new RegExp(`<nav class="languages"[^>]*>.*?<a href="([^"]+)" lang="${locale}"`, 's').exec(body)?.[1];

function sessionCookie(res: ApiResponse): string {
  const match = /accord_session=([^;]+)/.exec(String(res.headers['set-cookie']));
  if (!match) throw new Error(`no session cookie: ${res.statusCode} ${res.body}`);
  return match[1]!;
}

function voterCookie(res: ApiResponse): string | undefined {
  return /accord_hc_voter=([^;]+)/.exec(String(res.headers['set-cookie'] ?? ''))?.[1];
}

/** Security headers every help center page carries, and no script anywhere in it. */
function expectSafePage(res: { headers: ApiResponse['headers']; body: string }) {
  expect(res.headers['content-security-policy']).toBe(CSP);
  expect(res.headers['x-content-type-options']).toBe('nosniff');
  expect(res.headers['referrer-policy']).toBe('strict-origin-when-cross-origin');
  expect(res.body).not.toMatch(/<script/i);
}

describe.each(databaseTargets())('the help center site on $dialect', (target) => {
  let desk: TestDesk;
  let staff: Principal;
  let sectionId: string;
  let sequence = 0;
  const unique = (prefix: string) => `${prefix}-${++sequence}`;

  /** A customer of a tier, signed in through the sign-in endpoint: their session cookie. */
  const signedIn = async (tier: 'basic' | 'enterprise') => {
    const org = await desk.organization(tier);
    const person = await desk.person('contact', org.id, PASSWORD);
    const res = await desk.app.inject({
      method: 'POST',
      url: '/api/v1/auth/login',
      payload: { email: person.user.email, password: PASSWORD },
    });
    return { accord_session: sessionCookie(res) };
  };

  const article = async (input: Partial<ArticleCreate> & Pick<ArticleCreate, 'translations'>) =>
    desk.services.helpCenter.createArticle(staff, {
      kind: 'article',
      sectionId,
      status: 'published',
      ...input,
    });

  /** A page fetched with GET, its HTML squashed. */
  const page = async (url: string, options: Parameters<TestDesk['api']>[2] = {}) => {
    const res = await desk.api('GET', url, options);
    return { statusCode: res.statusCode, headers: res.headers, body: squash(res.body) };
  };

  const counters = (articleId: string) => desk.services.helpCenterEngagement.counters(articleId);

  let bilingual: Awaited<ReturnType<typeof article>>;
  let englishOnly: Awaited<ReturnType<typeof article>>;
  let draft: Awaited<ReturnType<typeof article>>;
  let hostile: Awaited<ReturnType<typeof article>>;

  beforeAll(async () => {
    desk = await TestDesk.start(target, { PUBLIC_URL });
    const admin = await desk.person('admin');
    staff = (await desk.services.auth.principalFromToken(admin.token))!;
    const category = await desk.services.helpCenterStructure.createCategory(staff, {
      key: 'getting-started',
      position: 0,
      titles: { en: 'Getting started', fr: 'Premiers pas' },
      descriptions: { en: 'Set up your account.', fr: 'Configurer votre compte.' },
    });
    const section = await desk.services.helpCenterStructure.createSection(staff, {
      categoryId: category.id,
      key: 'accounts',
      position: 0,
      titles: { en: 'Accounts', fr: 'Comptes' },
    });
    sectionId = section.id;
    bilingual = await article({
      translations: {
        en: {
          title: 'Reset your password',
          slug: 'reset-password',
          summary: 'Choose a new password when you have forgotten yours.',
          body: 'Open **Settings**, then choose *Reset password*.',
        },
        fr: {
          title: 'Réinitialiser votre mot de passe',
          slug: 'reinitialiser-mot-de-passe',
          summary: 'Choisir un nouveau mot de passe quand vous avez oublié le vôtre.',
          body: 'Ouvrez **Réglages**, puis choisissez *Réinitialiser*.',
        },
      },
    });
    englishOnly = await article({
      translations: {
        en: { title: 'Export work orders', slug: 'export-work-orders', body: 'Use the export button.' },
      },
    });
    await article({
      audience: 'signed_in',
      translations: {
        en: { title: 'Billing for customers', slug: 'billing', body: 'Invoices are monthly.' },
      },
    });
    await article({
      audience: 'tiers',
      tiers: ['enterprise'],
      translations: {
        en: { title: 'Single sign-on setup', slug: 'sso-setup', body: 'Configure SAML.' },
      },
    });
    draft = await article({
      status: 'draft',
      translations: { en: { title: 'Unreleased roadmap', slug: 'roadmap', body: 'Secret plans.' } },
    });
    hostile = await article({
      translations: {
        en: {
          title: '<img src=x onerror=alert(1)> "Quoted" & more',
          slug: 'hostile-title',
          summary: '"><script>alert(2)</script>',
          body: 'Harmless body <script>alert(3)</script>',
        },
      },
    });
  });
  afterAll(() => desk?.close());

  describe('pages in English and French', () => {
    it('sends /hc to the locale the browser prefers, English by default', async () => {
      const cases: [string | undefined, string][] = [
        [undefined, '/hc/en'],
        ['fr-CA,fr;q=0.9,en;q=0.8', '/hc/fr'],
        ['de-DE, en;q=0.5', '/hc/en'],
        ['en;q=0.3, fr;q=0.7', '/hc/fr'],
        ['fr;q=0', '/hc/en'],
      ];
      for (const [accept, location] of cases) {
        const res = await page('/hc', accept ? { headers: { 'accept-language': accept } } : {});
        expect(res.statusCode, accept).toBe(302);
        expect(res.headers.location, accept).toBe(location);
      }
    });

    it('renders the English home with its language, title, description, canonical and alternates', async () => {
      const res = await page('/hc/en');
      expect(res.statusCode).toBe(200);
      expect(res.headers['content-type']).toContain('text/html');
      expect(res.headers['cache-control']).toBe('public, max-age=60');
      expectSafePage(res);
      expect(res.body).toMatch(/^<!doctype html><html lang="en">/);
      expect(title(res.body)).toBe('Help Center');
      expect(description(res.body)).toBe('Guides, answers and known issues from the support team.');
      expect(canonical(res.body)).toBe(`${PUBLIC_URL}/hc/en`);
      expect(hreflang(res.body, 'en')).toBe(`${PUBLIC_URL}/hc/en`);
      expect(hreflang(res.body, 'fr')).toBe(`${PUBLIC_URL}/hc/fr`);
      expect(hreflang(res.body, 'x-default')).toBe(`${PUBLIC_URL}/hc/en`);
      expect(res.body).toContain('<form class="search hero-search" action="/hc/en/search" method="get"');
      expect(res.body).toContain('<a href="/hc/en/categories/getting-started">Getting started</a>');
      expect(res.body).toContain('<a href="/hc/en/sections/accounts">Accounts</a>');
      expect(res.body).toContain('<a href="/hc/en/articles/reset-password">Reset your password</a>');
      expect(res.body).toContain('<a href="/hc/en/known-issues">Known issues</a>');
      expect(res.body).toContain('<a href="/portal/new">Contact support</a>');
      // Not for anonymous readers, and never drafts.
      expect(res.body).not.toContain('Billing for customers');
      expect(res.body).not.toContain('Single sign-on setup');
      expect(res.body).not.toContain('Unreleased roadmap');
    });

    it('renders the French home with French texts and only the French translations', async () => {
      const res = await page('/hc/fr');
      expect(res.statusCode).toBe(200);
      expectSafePage(res);
      expect(res.body).toContain('<html lang="fr">');
      expect(title(res.body)).toBe('Centre d’aide');
      expect(canonical(res.body)).toBe(`${PUBLIC_URL}/hc/fr`);
      expect(hreflang(res.body, 'en')).toBe(`${PUBLIC_URL}/hc/en`);
      expect(res.body).toContain('Comment pouvons-nous vous aider');
      expect(res.body).toContain('<a href="/hc/fr/categories/getting-started">Premiers pas</a>');
      expect(res.body).toContain(
        '<a href="/hc/fr/articles/reinitialiser-mot-de-passe">Réinitialiser votre mot de passe</a>',
      );
      expect(res.body).not.toContain('Export work orders');
      expect(switcherTo(res.body, 'en')).toBe('/hc/en');
    });

    it('links the status page from the header of every page, in the page’s language', async () => {
      const nav = (body: string) => /<nav class="top-nav"[^>]*>(.*?)<\/nav>/.exec(body)?.[1] ?? '';
      for (const [path, link] of [
        ['/hc/en', '<a href="/status">System status</a>'],
        ['/hc/en/known-issues', '<a href="/status">System status</a>'],
        ['/hc/en/articles/reset-password', '<a href="/status">System status</a>'],
        ['/hc/fr', '<a href="/status/fr">État des services</a>'],
        ['/hc/fr/articles/reinitialiser-mot-de-passe', '<a href="/status/fr">État des services</a>'],
        ['/hc/fr/nulle-part', '<a href="/status/fr">État des services</a>'],
      ] as const) {
        const res = await page(path);
        expect(nav(res.body), path).toContain(link);
      }
      // And the status page it leads to is served in that language.
      expect((await desk.api('GET', '/status/fr')).body).toContain('<html lang="fr">');
    });

    it('renders an article with its translation as alternate and in the language switcher', async () => {
      const en = await page('/hc/en/articles/reset-password');
      expect(en.statusCode).toBe(200);
      expectSafePage(en);
      expect(en.body).toContain('<html lang="en">');
      expect(title(en.body)).toBe('Reset your password · Help Center');
      expect(en.body).toContain('<h1>Reset your password</h1>');
      expect(description(en.body)).toBe('Choose a new password when you have forgotten yours.');
      expect(canonical(en.body)).toBe(`${PUBLIC_URL}/hc/en/articles/reset-password`);
      expect(hreflang(en.body, 'en')).toBe(`${PUBLIC_URL}/hc/en/articles/reset-password`);
      expect(hreflang(en.body, 'fr')).toBe(`${PUBLIC_URL}/hc/fr/articles/reinitialiser-mot-de-passe`);
      expect(hreflang(en.body, 'x-default')).toBe(`${PUBLIC_URL}/hc/en/articles/reset-password`);
      expect(switcherTo(en.body, 'fr')).toBe('/hc/fr/articles/reinitialiser-mot-de-passe');
      expect(en.body).toContain(
        squash('Open <strong>Settings</strong>, then choose <em>Reset password</em>.'),
      );
      expect(en.body).toContain('<time datetime="2026-06-01T12:00:00.000Z">June 1, 2026</time>');
      expect(en.body).toMatch(
        /<nav class="breadcrumbs"[^>]*><ol><li><a href="\/hc\/en">Help Center<\/a><\/li><li><a href="\/hc\/en\/categories\/getting-started">Getting started<\/a><\/li><li><a href="\/hc\/en\/sections\/accounts">Accounts<\/a><\/li><\/ol>/,
      );
      expect(en.body).toContain('<form method="post" action="/hc/en/articles/reset-password/vote">');

      const fr = await page('/hc/fr/articles/reinitialiser-mot-de-passe');
      expect(fr.statusCode).toBe(200);
      expect(fr.body).toContain('<html lang="fr">');
      expect(title(fr.body)).toBe('Réinitialiser votre mot de passe · Centre d’aide');
      expect(fr.body).toContain('1 juin 2026');
      expect(switcherTo(fr.body, 'en')).toBe('/hc/en/articles/reset-password');
      expect(canonical(fr.body)).toBe(`${PUBLIC_URL}/hc/fr/articles/reinitialiser-mot-de-passe`);
    });

    it('gives an article only in English no French alternate, and switches to the French home', async () => {
      const res = await page('/hc/en/articles/export-work-orders');
      expect(res.statusCode).toBe(200);
      expect(hreflang(res.body, 'en')).toBe(`${PUBLIC_URL}/hc/en/articles/export-work-orders`);
      expect(hreflang(res.body, 'fr')).toBeUndefined();
      expect(switcherTo(res.body, 'fr')).toBe('/hc/fr');
      expect((await page('/hc/fr/articles/export-work-orders')).statusCode).toBe(404);
    });

    it('lists a category’s and a section’s articles in the page’s locale', async () => {
      const category = await page('/hc/fr/categories/getting-started');
      expect(category.statusCode).toBe(200);
      expectSafePage(category);
      expect(category.body).toContain('<h1>Premiers pas</h1>');
      expect(category.body).toContain('Configurer votre compte.');
      expect(canonical(category.body)).toBe(`${PUBLIC_URL}/hc/fr/categories/getting-started`);
      expect(hreflang(category.body, 'en')).toBe(`${PUBLIC_URL}/hc/en/categories/getting-started`);
      expect(category.body).toContain('/hc/fr/articles/reinitialiser-mot-de-passe');

      const section = await page('/hc/en/sections/accounts');
      expect(section.statusCode).toBe(200);
      expect(section.body).toContain('<h1>Accounts</h1>');
      expect(section.body).toContain('Choose a new password when you have forgotten yours.');
      expect(section.body).toContain('/hc/en/articles/export-work-orders');
      expect(section.body).not.toContain('/hc/en/articles/billing');
      expect((await page('/hc/en/sections/no-such-section')).statusCode).toBe(404);
      expect((await page('/hc/en/categories/no-such-category')).statusCode).toBe(404);
    });

    it('serves its stylesheet with long caching when versioned, and revalidates it', async () => {
      const home = await page('/hc/en');
      const href = /<link rel="stylesheet" href="([^"]+)">/.exec(home.body)?.[1];
      expect(href).toMatch(/^\/hc\/assets\/hc\.css\?v=[0-9a-f]{12}$/);
      const css = await desk.api('GET', href!);
      expect(css.statusCode).toBe(200);
      expect(css.headers['content-type']).toContain('text/css');
      expect(css.headers['cache-control']).toContain('immutable');
      expect(css.body).toContain('max-width: 60rem');
      const again = await desk.api('GET', '/hc/assets/hc.css', {
        headers: { 'if-none-match': String(css.headers.etag) },
      });
      expect(again.statusCode).toBe(304);
    });
  });

  describe('the sitemap', () => {
    it('lists public published articles with their alternates, and the home and category pages', async () => {
      const res = await desk.api('GET', '/hc/sitemap.xml');
      expect(res.statusCode).toBe(200);
      expect(res.headers['content-type']).toContain('application/xml');
      const xml = res.body;
      expect(xml).toMatch(/^<\?xml version="1.0" encoding="UTF-8"\?>\n<urlset /);
      const urls = [...xml.matchAll(/<url>(.*?)<\/url>/g)].map((m) => m[1]!);
      const entry = (path: string) => urls.find((u) => u.startsWith(`<loc>${PUBLIC_URL}${path}</loc>`));
      expect(entry('/hc/en')).toBeDefined();
      expect(entry('/hc/fr')).toBeDefined();
      expect(entry('/hc/en/categories/getting-started')).toContain(
        `<xhtml:link rel="alternate" hreflang="fr" href="${PUBLIC_URL}/hc/fr/categories/getting-started"/>`,
      );
      const reset = entry('/hc/en/articles/reset-password');
      expect(reset).toContain('<lastmod>2026-06-01T12:00:00.000Z</lastmod>');
      expect(reset).toContain(
        `<xhtml:link rel="alternate" hreflang="fr" href="${PUBLIC_URL}/hc/fr/articles/reinitialiser-mot-de-passe"/>`,
      );
      expect(reset).toContain(
        `<xhtml:link rel="alternate" hreflang="x-default" href="${PUBLIC_URL}/hc/en/articles/reset-password"/>`,
      );
      expect(entry('/hc/fr/articles/reinitialiser-mot-de-passe')).toContain('hreflang="en"');
      expect(entry('/hc/en/articles/export-work-orders')).not.toContain('xhtml:link');
      for (const hidden of ['billing', 'sso-setup', 'roadmap'])
        expect(xml).not.toContain(`/articles/${hidden}<`);
      const root = await desk.api('GET', '/sitemap.xml');
      expect(root.statusCode).toBe(200);
      expect(root.body).toBe(xml);
    });
  });

  describe('audiences', () => {
    it('asks an anonymous reader to sign in for a signed-in or tier article, without its title', async () => {
      for (const slug of ['billing', 'sso-setup']) {
        const res = await page(`/hc/en/articles/${slug}`);
        expect(res.statusCode, slug).toBe(401);
        expectSafePage(res);
        expect(res.body).toContain(`href="/login?next=%2Fhc%2Fen%2Farticles%2F${slug}"`);
        expect(res.body).toContain('<meta name="robots" content="noindex">');
        expect(res.body).not.toMatch(/Billing for customers|Single sign-on setup/);
      }
    });

    it('shows them to a signed-in customer of the right tier, privately cached', async () => {
      const cookies = await signedIn('enterprise');
      for (const slug of ['billing', 'sso-setup']) {
        const res = await page(`/hc/en/articles/${slug}`, { cookies });
        expect(res.statusCode, slug).toBe(200);
        expect(res.headers['cache-control']).toBe('private, no-cache');
      }
      const section = await page('/hc/en/sections/accounts', { cookies });
      expect(section.body).toContain('Billing for customers');
      expect(section.body).toContain('Single sign-on setup');
    });

    it('answers 404 to a signed-in customer of another tier', async () => {
      const cookies = await signedIn('basic');
      expect((await page('/hc/en/articles/billing', { cookies })).statusCode).toBe(200);
      const res = await page('/hc/en/articles/sso-setup', { cookies });
      expect(res.statusCode).toBe(404);
      expect(res.body).not.toContain('Single sign-on setup');
      expect(res.body).not.toContain('/login?next=');
    });

    it('answers 404 for drafts and archived articles', async () => {
      expect((await page('/hc/en/articles/roadmap')).statusCode).toBe(404);
      const archived = await article({
        translations: { en: { title: 'Old pricing', slug: unique('old-pricing'), body: 'Gone.' } },
      });
      const slug = archived.translations[0]!.slug;
      expect((await page(`/hc/en/articles/${slug}`)).statusCode).toBe(200);
      await desk.services.helpCenter.updateArticle(staff, archived.id, { status: 'archived' });
      const res = await page(`/hc/en/articles/${slug}`);
      expect(res.statusCode).toBe(404);
      expect(res.body).toContain('Page not found');
      expect(draft.status).toBe('draft');
    });
  });

  describe('was this helpful?', () => {
    const vote = (slug: string, payload: string, cookies: Record<string, string> = {}, headers = {}) =>
      desk.api('POST', `/hc/en/articles/${slug}/vote`, {
        payload,
        cookies,
        headers: { 'content-type': 'application/x-www-form-urlencoded', ...headers },
      });

    it('counts a vote, remembers an anonymous voter in a cookie, and counts a changed vote once', async () => {
      const first = await vote('export-work-orders', 'helpful=yes');
      expect(first.statusCode).toBe(303);
      expect(first.headers.location).toBe('/hc/en/articles/export-work-orders?voted=1#feedback');
      const setCookie = String(first.headers['set-cookie']);
      expect(setCookie).toMatch(/accord_hc_voter=[A-Za-z0-9_-]{32}/);
      expect(setCookie).toMatch(/HttpOnly/);
      expect(setCookie).toMatch(/SameSite=Lax/);
      expect(await counters(englishOnly.id)).toMatchObject({ helpfulYes: 1, helpfulNo: 0 });

      const cookies = { accord_hc_voter: voterCookie(first)! };
      const changed = await vote('export-work-orders', 'helpful=no', cookies);
      expect(changed.statusCode).toBe(303);
      expect(voterCookie(changed)).toBeUndefined();
      expect(await counters(englishOnly.id)).toMatchObject({ helpfulYes: 0, helpfulNo: 1 });

      // Another reader, another vote.
      await vote('export-work-orders', 'helpful=yes');
      expect(await counters(englishOnly.id)).toMatchObject({ helpfulYes: 1, helpfulNo: 1 });

      const thanks = await page('/hc/en/articles/export-work-orders?voted=1', { cookies });
      expect(thanks.body).toContain('Thank you for your feedback.');
      expect(thanks.body).not.toContain('action="/hc/en/articles/export-work-orders/vote"');
    });

    it('counts a signed-in reader’s votes as theirs, once', async () => {
      const cookies = await signedIn('basic');
      await vote('reset-password', 'helpful=yes', cookies);
      await vote('reset-password', 'helpful=yes', cookies);
      expect(await counters(bilingual.id)).toMatchObject({ helpfulYes: 1, helpfulNo: 0 });
    });

    it('refuses malformed bodies with 400, unknown articles with 404 and cross-site posts with 403', async () => {
      const before = await counters(bilingual.id);
      for (const payload of ['helpful=maybe', '', 'helpful=yes&helpful=no', 'helpful=yes&extra=1', 'yes']) {
        const res = await vote('reset-password', payload);
        expect(res.statusCode, payload).toBe(400);
        expect(res.body).not.toMatch(/<script/i);
      }
      const json = await desk.api('POST', '/hc/en/articles/reset-password/vote', {
        body: { helpful: 'yes' },
      });
      expect(json.statusCode).toBe(400);
      const text = await desk.api('POST', '/hc/en/articles/reset-password/vote', {
        payload: 'helpful=yes',
        headers: { 'content-type': 'text/plain' },
      });
      expect(text.statusCode).toBe(400);
      expect((await vote('no-such-article', 'helpful=yes')).statusCode).toBe(404);
      expect((await vote('roadmap', 'helpful=yes')).statusCode).toBe(404);
      expect((await vote('sso-setup', 'helpful=yes')).statusCode).toBe(404);
      const forged = await vote('reset-password', 'helpful=yes', {}, { origin: 'https://evil.example' });
      expect(forged.statusCode).toBe(403);
      expect(await counters(bilingual.id)).toEqual(before);
      expect(await counters(draft.id)).toMatchObject({ helpfulYes: 0, helpfulNo: 0 });
    });
  });

  describe('views', () => {
    it('counts a page view, but not a HEAD request, a bot, or the page after a vote', async () => {
      const viewed = await article({
        translations: { en: { title: 'Counted article', slug: unique('counted'), body: 'Text.' } },
      });
      const path = `/hc/en/articles/${viewed.translations[0]!.slug}`;
      await page(path);
      await page(path, {
        headers: { 'user-agent': 'Mozilla/5.0 (X11; Linux x86_64) Firefox/140.0' },
      });
      expect((await counters(viewed.id)).views).toBe(2);
      const head = await desk.api('HEAD', path);
      expect(head.statusCode).toBe(200);
      expect(head.body).toBe('');
      for (const agent of [
        'Mozilla/5.0 (compatible; Googlebot/2.1; +http://www.google.com/bot.html)',
        'Baiduspider',
        'SomeCrawler/1.0',
      ])
        await page(path, { headers: { 'user-agent': agent } });
      await page(`${path}?voted=1`);
      expect((await counters(viewed.id)).views).toBe(2);
    });
  });

  describe('known issues', () => {
    it('lists published known issues newest change first, with status and affected area', async () => {
      const older = await article({
        kind: 'known_issue',
        issueStatus: 'fixed',
        fixedIn: '4.2',
        affectedArea: 'Imports',
        translations: {
          en: {
            title: 'Imports stall on large files',
            slug: 'imports-stall',
            body: 'Fixed.',
            symptom: 'Stuck at 99%.',
          },
          fr: { title: 'Les imports bloquent', slug: 'imports-bloquent', body: 'Corrigé.' },
        },
      });
      desk.advance(60_000);
      const newer = await article({
        kind: 'known_issue',
        issueStatus: 'workaround_available',
        affectedArea: 'Exports',
        translations: {
          en: {
            title: 'Exports time out',
            slug: 'exports-time-out',
            body: 'We are on it.',
            symptom: 'The export spins forever.',
            workaround: 'Export **one month** at a time.',
          },
          fr: { title: 'Les exports expirent', slug: 'exports-expirent', body: 'Nous y travaillons.' },
        },
      });
      await article({
        kind: 'known_issue',
        status: 'draft',
        translations: { en: { title: 'Draft issue', slug: 'draft-issue', body: '.' } },
      });

      const res = await page('/hc/en/known-issues');
      expect(res.statusCode).toBe(200);
      expectSafePage(res);
      expect(canonical(res.body)).toBe(`${PUBLIC_URL}/hc/en/known-issues`);
      const newerAt = res.body.indexOf('Exports time out');
      const olderAt = res.body.indexOf('Imports stall on large files');
      expect(newerAt).toBeGreaterThan(0);
      expect(olderAt).toBeGreaterThan(newerAt);
      expect(res.body).toContain(
        '<span class="badge badge-workaround_available">Workaround available</span>',
      );
      expect(res.body).toContain('<span class="badge badge-fixed">Fixed in 4.2</span>');
      expect(res.body).toContain('Affected area: Exports');
      expect(res.body).toContain('The export spins forever.');
      expect(res.body).not.toContain('Draft issue');

      const fr = await page('/hc/fr/known-issues');
      expect(fr.body).toContain('Contournement disponible');
      expect(fr.body).toContain('Corrigé dans la version 4.2');
      expect(fr.body).toContain('/hc/fr/articles/exports-expirent');

      const issuePage = await page('/hc/en/articles/exports-time-out');
      expect(issuePage.body).toContain(
        '<dd><span class="badge badge-workaround_available">Workaround available</span></dd>',
      );
      expect(issuePage.body).toContain('<dt>Affected area</dt><dd>Exports</dd>');
      expect(issuePage.body).toContain('<dt>Symptom</dt><dd>The export spins forever.</dd>');
      expect(issuePage.body).toContain(squash('Export <strong>one month</strong> at a time.'));
      expect(older.issueStatus).toBe('fixed');
      expect(newer.issueStatus).toBe('workaround_available');

      expect((await page('/hc/en/known-issues?cursor=not-a-cursor')).statusCode).toBe(400);
    });
  });

  describe('search', () => {
    it('finds an article with highlighted snippets, a count, and is not indexed', async () => {
      const res = await page('/hc/en/search?q=password');
      expect(res.statusCode).toBe(200);
      expectSafePage(res);
      expect(res.body).toContain('<meta name="robots" content="noindex">');
      expect(canonical(res.body)).toBe(`${PUBLIC_URL}/hc/en/search`);
      expect(res.body).toContain(
        squash('<a href="/hc/en/articles/reset-password">Reset your <mark>password</mark></a>'),
      );
      expect(res.body).toMatch(/<p class="count" role="status">1 result<\/p>/);
      expect(res.body).toContain('value="password"');
      expect(switcherTo(res.body, 'fr')).toBe('/hc/fr/search?q=password');
      // A signed-in-only article is not found by an anonymous reader.
      expect((await page('/hc/en/search?q=invoices')).body).not.toContain('/articles/billing');
    });

    it('shows the corrected query when a word was misspelled', async () => {
      const res = await page('/hc/en/search?q=pasword');
      expect(res.statusCode).toBe(200);
      expect(res.body).toContain(squash('Showing results for <strong>password</strong>.'));
      expect(res.body).toContain('/hc/en/articles/reset-password');
    });

    it('pages results ten at a time', async () => {
      for (let i = 0; i < 11; i++)
        await article({
          translations: {
            en: {
              title: `Calibrate the zephyr gauge ${i}`,
              slug: unique('zephyr'),
              body: 'Zephyr gauges drift.',
            },
          },
        });
      const first = await page('/hc/en/search?q=zephyr');
      expect(first.body).toContain('11 results');
      expect(first.body.match(/<li><h2>/g)).toHaveLength(10);
      expect(first.body).toContain('Page 1 of 2');
      expect(first.body).toContain('<a rel="next" href="/hc/en/search?q=zephyr&amp;page=2">');
      const second = await page('/hc/en/search?q=zephyr&page=2');
      expect(second.body.match(/<li><h2>/g)).toHaveLength(1);
      expect(second.body).toContain('<a rel="prev" href="/hc/en/search?q=zephyr">');
    });

    it('shows the form for an empty query and a friendly empty state with a way to contact support', async () => {
      const empty = await page('/hc/en/search?q=%20%20');
      expect(empty.statusCode).toBe(200);
      expect(empty.body).toContain('<form class="search page-search" action="/hc/en/search"');
      expect(empty.body).not.toContain('class="count"');
      const none = await page('/hc/fr/search?q=xylophonique');
      expect(none.statusCode).toBe(200);
      expect(none.body).toContain('Aucun article ne correspond');
      expect(none.body).toContain('<a class="button" href="/portal/new">Contacter le support</a>');
    });
  });

  describe('hostile input', () => {
    it('escapes an article title and summary in the title, meta tags and heading', async () => {
      const res = await page('/hc/en/articles/hostile-title');
      expect(res.statusCode).toBe(200);
      expectSafePage(res);
      expect(res.body).not.toContain('<img src=x');
      expect(title(res.body)).toBe(
        '&lt;img src=x onerror=alert(1)&gt; &quot;Quoted&quot; &amp; more · Help Center',
      );
      expect(description(res.body)).toBe('&quot;&gt;&lt;script&gt;alert(2)&lt;/script&gt;');
      expect(res.body).toContain('<h1>&lt;img src=x onerror=alert(1)&gt; &quot;Quoted&quot; &amp; more</h1>');
      const search = await page('/hc/en/search?q=quoted');
      expect(search.body).not.toContain('<img src=x');
      expect(hostile.translations[0]!.title).toContain('<img');
    });

    it('answers 404, never 500, to odd slugs, keys and locales', async () => {
      for (const url of [
        '/hc/en/articles/%3Cscript%3Ealert(1)%3C%2Fscript%3E',
        `/hc/en/articles/${'a'.repeat(300)}`,
        '/hc/en/articles/Reset-Password',
        '/hc/en/articles/reset%00password',
        '/hc/en/categories/%22%3E%3Csvg%3E',
        '/hc/de',
        '/hc/de/articles/reset-password',
        '/hc/en/no-such-page',
      ]) {
        const res = await page(url);
        expect(res.statusCode, url).toBe(404);
        expect(res.headers['content-type'], url).toContain('text/html');
        expectSafePage(res);
        expect(res.body, url).not.toMatch(/<svg/);
        expect(res.body, url).toContain('<a href="/hc/en" hreflang="en" lang="en">');
      }
      const badEncoding = await page('/hc/en/articles/%E0%A4%A');
      expect(badEncoding.statusCode).toBe(400);
      expect((await page('/hc/en/')).headers.location).toBe('/hc/en');
    });

    it('cuts a long query to 200 characters and drops NUL and control characters', async () => {
      const long = await page(`/hc/en/search?q=${'password '.repeat(40)}`);
      expect(long.statusCode).toBe(200);
      const value = /<input id="page-search-q" type="search" name="q" value="([^"]*)"/.exec(long.body)?.[1];
      expect(value!.length).toBeLessThanOrEqual(200);
      expect(value).toMatch(/^password password/);

      for (const q of [
        '%00',
        'pass%00word',
        '%00%01%1F',
        '%3Cscript%3Ealert(1)%3C/script%3E',
        '%F0%9F%98%80',
      ]) {
        const res = await page(`/hc/en/search?q=${q}&page=99999`);
        expect(res.statusCode, q).toBe(200);
        expectSafePage(res);
        expect(res.body, q).not.toContain('\u0000');
      }
    });

    it('serves every page without JavaScript, HEAD included', async () => {
      for (const url of [
        '/hc/en',
        '/hc/fr/categories/getting-started',
        '/hc/en/sections/accounts',
        '/hc/en/articles/reset-password',
        '/hc/fr/known-issues',
        '/hc/en/search?q=password',
      ]) {
        const res = await page(url);
        expect(res.statusCode, url).toBe(200);
        expectSafePage(res);
        expect(res.body, url).not.toMatch(/<[^>]*\son[a-z]+=/i);
        const head = await desk.api('HEAD', url);
        expect(head.statusCode, url).toBe(200);
        expect(head.headers['content-security-policy'], url).toBe(CSP);
      }
    });
  });
});
