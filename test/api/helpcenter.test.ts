import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { databaseTargets } from '../support/databases.js';
import { TestDesk, type Person } from '../support/desk.js';

const HC = '/api/v1/helpcenter';

interface ArticleBody {
  id: string;
  key: string;
  status: string;
  translations: {
    locale: string;
    slug: string;
    title: string;
    bodyHtml: string;
    revision: number;
    url: string;
  }[];
}

describe.each(databaseTargets())('help center content, suggestions and deflection on $dialect', (target) => {
  let desk: TestDesk;
  let admin: Person;
  let lead: Person;
  let agent: Person;
  let basic: Person;
  let premium: Person;
  let premiumMember: Person;
  let sectionId: string;
  let sequence = 0;

  const unique = (prefix: string) => `${prefix}-${++sequence}`;

  const article = async (overrides: Record<string, unknown> = {}): Promise<ArticleBody> => {
    const res = await desk.api('POST', `${HC}/articles`, {
      token: agent.token,
      body: {
        key: unique('article'),
        sectionId,
        status: 'published',
        translations: {
          en: { title: `Calibrate the torque wrench ${sequence}`, body: 'Hold the **wrench** level.' },
        },
        ...overrides,
      },
    });
    if (res.statusCode !== 201) throw new Error(`article: ${res.statusCode} ${res.body}`);
    return res.json<ArticleBody>();
  };

  beforeAll(async () => {
    desk = await TestDesk.start(target);
    admin = await desk.person('admin');
    lead = await desk.person('lead');
    agent = await desk.person('agent');
    const basicOrg = await desk.organization('basic');
    const premiumOrg = await desk.organization('premium');
    basic = await desk.person('contact', basicOrg.id);
    premium = await desk.person('contact', premiumOrg.id);
    premiumMember = await desk.person('member', premiumOrg.id);
    const category = await desk.api('POST', `${HC}/categories`, {
      token: lead.token,
      body: { key: 'maintenance', titles: { en: 'Maintenance', fr: 'Maintenance' } },
    });
    expect(category.statusCode).toBe(201);
    const section = await desk.api('POST', `${HC}/sections`, {
      token: lead.token,
      body: { categoryId: category.json().id, key: 'tools', titles: { en: 'Tools', fr: 'Outils' } },
    });
    expect(section.statusCode).toBe(201);
    sectionId = section.json().id;
  });
  afterAll(() => desk?.close());

  describe('structure', () => {
    it('lists categories with their sections to anyone', async () => {
      const res = await desk.api('GET', `${HC}/categories`);
      expect(res.statusCode).toBe(200);
      const category = res.json().data.find((c: { key: string }) => c.key === 'maintenance');
      expect(category.titles).toEqual({ en: 'Maintenance', fr: 'Maintenance' });
      expect(category.sections.map((s: { key: string }) => s.key)).toEqual(['tools']);
    });

    it('lets only leads and admins arrange categories, and refuses duplicate keys and bad input', async () => {
      const body = { key: 'tools-two', titles: { en: 'Tools two' } };
      expect((await desk.api('POST', `${HC}/categories`, { token: agent.token, body })).statusCode).toBe(403);
      expect((await desk.api('POST', `${HC}/categories`, { token: premium.token, body })).statusCode).toBe(
        403,
      );
      expect((await desk.api('POST', `${HC}/categories`, { body })).statusCode).toBe(401);
      const dup = await desk.api('POST', `${HC}/categories`, {
        token: admin.token,
        body: { key: 'maintenance', titles: { en: 'Again' } },
      });
      expect(dup.statusCode).toBe(409);
      for (const bad of [
        { key: 'Has Spaces', titles: { en: 'x' } },
        { key: 'ok-key', titles: {} },
        { key: 'ok-key', titles: { de: 'Werkzeug' } },
        { key: 'ok-key', titles: { en: 'x' }, extra: 1 },
      ]) {
        const res = await desk.api('POST', `${HC}/categories`, { token: admin.token, body: bad });
        expect(res.statusCode, JSON.stringify(bad)).toBe(400);
      }
    });

    it('keeps a category that still has sections', async () => {
      const categories = (await desk.api('GET', `${HC}/categories`)).json().data;
      const id = categories.find((c: { key: string }) => c.key === 'maintenance').id;
      const res = await desk.api('DELETE', `${HC}/categories/${id}`, { token: admin.token });
      expect(res.statusCode).toBe(409);
    });
  });

  describe('articles', () => {
    it('renders Markdown sanitized, builds slugs from titles and keeps translations as one article', async () => {
      const created = await article({
        translations: {
          en: {
            title: 'Créer un rapport <b>PDF</b>',
            body: '# Steps\n\nClick **Export**. <script>alert(1)</script> [x](javascript:alert(1))',
          },
          fr: {
            title: 'Créer un rapport PDF',
            slug: 'creer-un-rapport-pdf',
            body: 'Cliquez sur **Exporter**.',
          },
        },
      });
      const en = created.translations.find((t) => t.locale === 'en')!;
      const fr = created.translations.find((t) => t.locale === 'fr')!;
      expect(en.slug).toBe('creer-un-rapport-b-pdf-b');
      expect(en.bodyHtml).toContain('<strong>Export</strong>');
      expect(en.bodyHtml).toContain('<h2>Steps</h2>');
      expect(en.bodyHtml).not.toContain('<script');
      expect(en.bodyHtml).not.toContain('javascript:');
      expect(fr.url).toBe('/hc/fr/articles/creer-un-rapport-pdf');
      expect(en.revision).toBe(1);
    });

    it('refuses a slug another article holds in the same locale, and derives a free one otherwise', async () => {
      const first = await article({
        translations: { en: { title: 'Grease the bearings', slug: 'grease-bearings', body: 'Use grease.' } },
      });
      const clash = await desk.api('POST', `${HC}/articles`, {
        token: agent.token,
        body: { translations: { en: { title: 'Other', slug: 'grease-bearings', body: 'x' } } },
      });
      expect(clash.statusCode).toBe(409);
      expect(clash.json().type).toBe('urn:accord:problem:slug-taken');
      const derived = await article({ translations: { en: { title: 'Grease bearings', body: 'Again.' } } });
      expect(derived.translations[0]!.slug).not.toBe(first.translations[0]!.slug);
    });

    it('keeps every save as a revision with its author', async () => {
      const created = await article();
      const put = await desk.api('PUT', `${HC}/articles/${created.id}/translations/en`, {
        token: agent.token,
        body: { title: 'Calibrate the torque wrench, revised', body: 'Hold it level, then zero it.' },
      });
      expect(put.statusCode).toBe(200);
      expect(put.json().translations[0].revision).toBe(2);
      const revisions = await desk.api('GET', `${HC}/articles/${created.id}/revisions`, {
        token: agent.token,
      });
      expect(revisions.statusCode).toBe(200);
      const data = revisions.json().data as { revision: number; title: string; author: { id: string } }[];
      expect(data.map((r) => r.revision)).toEqual([2, 1]);
      expect(data[0]!.title).toBe('Calibrate the torque wrench, revised');
      expect(data[0]!.author.id).toBe(agent.user.id);
      const english = await desk.api('GET', `${HC}/articles/${created.id}/revisions?locale=en`, {
        token: agent.token,
      });
      expect(english.statusCode).toBe(200);
      expect(english.json().data).toHaveLength(2);
      const french = await desk.api('GET', `${HC}/articles/${created.id}/revisions?locale=fr`, {
        token: agent.token,
      });
      expect(french.json().data).toEqual([]);
      expect(
        (await desk.api('GET', `${HC}/articles/${created.id}/revisions`, { token: premium.token }))
          .statusCode,
      ).toBe(403);
    });

    it('shows customers only published articles of their audience; staff see all', async () => {
      const draft = await article({ status: 'draft' });
      const signedIn = await article({ audience: 'signed_in' });
      const tiered = await article({ audience: 'tiers', tiers: ['premium', 'enterprise'] });
      const get = (id: string, token?: string) =>
        desk.api('GET', `${HC}/articles/${id}`, token ? { token } : {});
      expect((await get(draft.id)).statusCode).toBe(404);
      expect((await get(draft.id, premium.token)).statusCode).toBe(404);
      expect((await get(draft.id, agent.token)).statusCode).toBe(200);
      expect((await get(signedIn.id)).statusCode).toBe(404);
      expect((await get(signedIn.id, basic.token)).statusCode).toBe(200);
      expect((await get(tiered.id, basic.token)).statusCode).toBe(404);
      expect((await get(tiered.id, premiumMember.token)).statusCode).toBe(200);

      const ids = async (token?: string) => {
        const res = await desk.api('GET', `${HC}/articles?limit=200`, token ? { token } : {});
        expect(res.statusCode).toBe(200);
        return (res.json().data as { id: string }[]).map((a) => a.id);
      };
      const anonymous = await ids();
      expect(anonymous).not.toContain(draft.id);
      expect(anonymous).not.toContain(signedIn.id);
      expect(anonymous).not.toContain(tiered.id);
      const basicSees = await ids(basic.token);
      expect(basicSees).toContain(signedIn.id);
      expect(basicSees).not.toContain(tiered.id);
      expect(await ids(premium.token)).toContain(tiered.id);
      expect(await ids(agent.token)).toEqual(expect.arrayContaining([draft.id, signedIn.id, tiered.id]));
    });

    it('pages articles with a cursor, newest change first, without repeats', async () => {
      for (let i = 0; i < 3; i++) {
        desk.advance(1000);
        await article();
      }
      const seen: string[] = [];
      let cursor: string | null = null;
      do {
        const page: { data: { id: string; updatedAt: string }[]; nextCursor: string | null } = (
          await desk.api('GET', `${HC}/articles?limit=2${cursor ? `&cursor=${cursor}` : ''}`, {
            token: agent.token,
          })
        ).json();
        seen.push(...page.data.map((a) => a.id));
        cursor = page.nextCursor;
      } while (cursor);
      expect(new Set(seen).size).toBe(seen.length);
      expect(seen.length).toBeGreaterThanOrEqual(3);
    });

    it('needs a translation to publish, names tiers for a tiers audience, and checks the section', async () => {
      const tiersWithout = await desk.api('POST', `${HC}/articles`, {
        token: agent.token,
        body: { audience: 'tiers', translations: { en: { title: 'x', body: 'y' } } },
      });
      expect(tiersWithout.statusCode).toBe(400);
      const badSection = await desk.api('POST', `${HC}/articles`, {
        token: agent.token,
        body: {
          sectionId: '0190a6d4-0000-7000-8000-000000000000',
          translations: { en: { title: 'x', body: 'y' } },
        },
      });
      expect(badSection.statusCode).toBe(400);
      const created = await article({ status: 'published' });
      const del = await desk.api('DELETE', `${HC}/articles/${created.id}/translations/en`, {
        token: agent.token,
      });
      expect(del.statusCode).toBe(409);
    });

    it('refuses customers writing, bad bodies and unknown ids with 4xx, never half-written', async () => {
      const before = await desk.database.db.kysely
        .selectFrom('hc_articles')
        .select((eb) => eb.fn.countAll<number>().as('n'))
        .executeTakeFirstOrThrow();
      const post = (body: unknown, token = agent.token) =>
        desk.api('POST', `${HC}/articles`, { token, body });
      expect(
        (await post({ translations: { en: { title: 'x', body: 'y' } } }, premium.token)).statusCode,
      ).toBe(403);
      for (const bad of [
        {},
        { translations: {} },
        { translations: { en: { title: '', body: 'y' } } },
        { translations: { en: { title: 'x' } } },
        { translations: { en: { title: 'x', body: 'y', slug: '../etc' } } },
        { translations: { en: { title: 'x\u0000', body: 'y' } } },
        { kind: 'faq', translations: { en: { title: 'x', body: 'y' } } },
        { translations: { en: { title: 'x', body: 'y'.repeat(200_001) } } },
      ]) {
        const res = await post(bad);
        expect([400, 413], JSON.stringify(bad).slice(0, 80)).toContain(res.statusCode);
      }
      const malformed = await desk.api('POST', `${HC}/articles`, {
        token: agent.token,
        payload: '{"translations": {',
        headers: { 'content-type': 'application/json' },
      });
      expect(malformed.statusCode).toBe(400);
      expect((await desk.api('GET', `${HC}/articles/not-an-id`)).statusCode).toBe(400);
      expect(
        (await desk.api('GET', `${HC}/articles/0190a6d4-0000-7000-8000-000000000000`, { token: agent.token }))
          .statusCode,
      ).toBe(404);
      expect(
        (
          await desk.api('PUT', `${HC}/articles/0190a6d4-0000-7000-8000-000000000000/translations/de`, {
            token: agent.token,
            body: { title: 'x', body: 'y' },
          })
        ).statusCode,
      ).toBe(400);
      const after = await desk.database.db.kysely
        .selectFrom('hc_articles')
        .select((eb) => eb.fn.countAll<number>().as('n'))
        .executeTakeFirstOrThrow();
      expect(Number(after.n)).toBe(Number(before.n));
    });
  });

  describe('search, suggestions and deflection', () => {
    let offline: ArticleBody;
    let knownIssue: ArticleBody;

    beforeAll(async () => {
      offline = await article({
        translations: {
          en: {
            title: 'Work offline in the mobile app',
            body: 'The mobile app keeps work orders on the phone and synchronizes them when the network returns.',
          },
          fr: {
            title: 'Travailler hors ligne avec l’application mobile',
            body: 'L’application garde les bons de travail et les synchronise au retour du réseau.',
          },
        },
      });
      knownIssue = await article({
        kind: 'known_issue',
        issueStatus: 'workaround_available',
        affectedArea: 'Meter readings chart',
        translations: {
          en: {
            title: 'Meter chart shows Fahrenheit',
            body: 'The chart converts temperatures.',
            symptom: 'The meter readings chart shows Fahrenheit although the meter is set to Celsius.',
            workaround: 'Read the values in the **table** view.',
          },
        },
      });
    });

    it('finds an article from a misspelled query and logs the search; a miss becomes a content gap', async () => {
      const res = await desk.api(
        'GET',
        `${HC}/search?q=${encodeURIComponent('ofline synchronise')}&locale=en`,
      );
      expect(res.statusCode).toBe(200);
      const body = res.json();
      expect(body.results[0].articleId).toBe(offline.id);
      expect(body.results[0].url).toBe(offline.translations.find((t) => t.locale === 'en')!.url);
      expect(body.correctedQuery).toContain('offline');
      const fr = await desk.api('GET', `${HC}/search?q=${encodeURIComponent('hors ligne')}&locale=fr`);
      expect(fr.json().results[0].articleId).toBe(offline.id);
      // Staff looking something up for a customer do not count as a gap.
      await desk.api('GET', `${HC}/search?q=warp+drive&locale=en`, { token: agent.token });
      const miss = await desk.api(
        'GET',
        `${HC}/search?q=${encodeURIComponent('quantum teleporter')}&locale=en`,
      );
      expect(miss.json().total).toBe(0);
      const metrics = await desk.api('GET', `${HC}/metrics?from=2026-05-01&to=2026-07-01`, {
        token: lead.token,
      });
      expect(metrics.statusCode).toBe(200);
      expect(metrics.json().contentGaps).toContainEqual({
        query: 'quantum teleporter',
        locale: 'en',
        count: 1,
      });
      expect(metrics.json().totals.searches).toBeGreaterThanOrEqual(3);
      expect(metrics.json().contentGaps.map((g: { query: string }) => g.query)).not.toContain('warp drive');
    });

    it('refuses hostile and malformed search input with 400, and survives search syntax', async () => {
      expect((await desk.api('GET', `${HC}/search?q=${'a'.repeat(501)}`)).statusCode).toBe(400);
      expect((await desk.api('GET', `${HC}/search?q=x&locale=de`)).statusCode).toBe(400);
      expect((await desk.api('GET', `${HC}/search?q=x&limit=500`)).statusCode).toBe(400);
      expect((await desk.api('GET', `${HC}/search?q=x%00y`)).statusCode).toBe(400);
      for (const q of ['"', 'NEAR(', '*', 'a OR', "'; drop table hc_articles; --", '<script>', '🙂🙂']) {
        const res = await desk.api('GET', `${HC}/search?q=${encodeURIComponent(q)}`);
        expect(res.statusCode, q).toBe(200);
      }
    });

    it('counts an opened suggestion without a ticket as a deflection, and a sent ticket as sent anyway', async () => {
      const metrics = async () =>
        (await desk.api('GET', `${HC}/metrics?from=2026-05-01&to=2026-07-01`, { token: lead.token })).json();
      const before = await metrics();

      // First form: the customer reads a suggestion and leaves.
      const first = await desk.api('POST', `${HC}/suggestions`, {
        token: premium.token,
        body: { locale: 'en', channel: 'portal', subject: 'Mobile app offline', body: 'orders do not sync' },
      });
      expect(first.statusCode).toBe(200);
      const { sessionId, suggestions } = first.json();
      expect(sessionId).toMatch(/^[0-9a-f-]{36}$/);
      expect(suggestions[0].articleId).toBe(offline.id);
      expect(suggestions[0].titleHtml).toContain('<mark>');
      const opened = await desk.api('POST', `${HC}/suggestions/${sessionId}/opened`, {
        token: premium.token,
        body: { articleId: offline.id },
      });
      expect(opened.statusCode).toBe(204);
      // Someone else cannot touch this session, and an article not shown in it is refused.
      expect(
        (
          await desk.api('POST', `${HC}/suggestions/${sessionId}/opened`, {
            token: basic.token,
            body: { articleId: offline.id },
          })
        ).statusCode,
      ).toBe(404);
      expect(
        (
          await desk.api('POST', `${HC}/suggestions/${sessionId}/opened`, {
            token: premium.token,
            body: { articleId: knownIssue.id },
          })
        ).statusCode,
      ).toBe(400);

      // Second form: suggestions shown, ticket sent anyway.
      const second = await desk.api('POST', `${HC}/suggestions`, {
        token: premium.token,
        body: {
          locale: 'en',
          subject: 'Meter chart Fahrenheit',
          body: 'the readings chart shows Fahrenheit',
        },
      });
      const secondSession = second.json().sessionId;
      expect(second.json().suggestions.map((s: { articleId: string }) => s.articleId)).toContain(
        knownIssue.id,
      );
      const ticket = await desk.ticket(premium, {
        subject: 'Chart units',
        suggestionSessionId: secondSession,
      });

      const after = await metrics();
      expect(after.totals.deflections - before.totals.deflections).toBe(1);
      expect(after.totals.ticketsAfterSuggestions - before.totals.ticketsAfterSuggestions).toBe(1);
      expect(after.totals.suggestionsOpened - before.totals.suggestionsOpened).toBe(1);
      expect(after.totals.suggestionsShown - before.totals.suggestionsShown).toBeGreaterThanOrEqual(2);
      const row = after.articles.find((a: { articleId: string }) => a.articleId === offline.id);
      expect(row).toMatchObject({ opened: 1, deflections: 1 });
      expect(row.views).toBeGreaterThanOrEqual(1);
      const en = after.locales.find((l: { locale: string }) => l.locale === 'en');
      expect(en.deflections).toBe(after.totals.deflections);

      // Staff see on the ticket what the customer was shown; the customer does not.
      const staffView = await desk.api('GET', `/api/v1/tickets/${ticket.id}/helpcenter`, {
        token: agent.token,
      });
      expect(staffView.statusCode).toBe(200);
      expect(
        staffView
          .json()
          .shownBeforeSending.map((s: { article: { articleId: string } }) => s.article.articleId),
      ).toContain(knownIssue.id);
      expect(staffView.json().suggestions.length).toBeGreaterThan(0);
      const customerView = await desk.api('GET', `/api/v1/tickets/${ticket.id}/helpcenter`, {
        token: premium.token,
      });
      expect(customerView.json().shownBeforeSending).toEqual([]);
      expect(customerView.json().suggestions).toEqual([]);
      // A session already tied to a ticket starts afresh rather than being reused.
      const reuse = await desk.api('POST', `${HC}/suggestions`, {
        token: premium.token,
        body: { sessionId: secondSession, subject: 'Meter chart Fahrenheit', body: '' },
      });
      expect(reuse.json().sessionId).not.toBe(secondSession);
    });

    it('refuses a metrics period that is backwards or too long, and customers', async () => {
      expect(
        (await desk.api('GET', `${HC}/metrics?from=2026-07-01&to=2026-05-01`, { token: lead.token }))
          .statusCode,
      ).toBe(400);
      expect(
        (await desk.api('GET', `${HC}/metrics?from=2020-01-01&to=2026-05-01`, { token: lead.token }))
          .statusCode,
      ).toBe(400);
      expect(
        (await desk.api('GET', `${HC}/metrics?from=2026-05-01&to=2026-07-01`, { token: premium.token }))
          .statusCode,
      ).toBe(403);
    });

    it('links a ticket to a known issue in one action; the customer sees it on the ticket', async () => {
      const ticket = await desk.ticket(premium, { subject: 'Readings chart wrong unit' });
      const heard: { kind: string; ticketId: string }[] = [];
      const stop = desk.services.live.subscribe((activity) => heard.push(activity));
      const link = await desk.api('POST', `/api/v1/tickets/${ticket.id}/known-issues`, {
        token: agent.token,
        body: { articleId: knownIssue.id },
      });
      expect(link.statusCode).toBe(200);
      const again = await desk.api('POST', `/api/v1/tickets/${ticket.id}/known-issues`, {
        token: agent.token,
        body: { articleId: knownIssue.id },
      });
      expect(again.json().links).toHaveLength(1);
      // Open screens of the ticket hear of the link and refetch it (on PostgreSQL the creation's
      // own notice may still be arriving, so look for the update among what was heard).
      await expect
        .poll(() => heard.some((h) => h.ticketId === ticket.id && h.kind === 'ticket.updated'))
        .toBe(true);
      stop();
      const seen = await desk.api('GET', `/api/v1/tickets/${ticket.id}/helpcenter`, { token: premium.token });
      expect(seen.json().links).toEqual([
        expect.objectContaining({
          kind: 'known_issue',
          article: expect.objectContaining({ articleId: knownIssue.id, issueStatus: 'workaround_available' }),
        }),
      ]);
      // Customers cannot link; an ordinary article is not a known issue; other organizations see nothing.
      expect(
        (
          await desk.api('POST', `/api/v1/tickets/${ticket.id}/known-issues`, {
            token: premium.token,
            body: { articleId: knownIssue.id },
          })
        ).statusCode,
      ).toBe(403);
      expect(
        (
          await desk.api('POST', `/api/v1/tickets/${ticket.id}/known-issues`, {
            token: agent.token,
            body: { articleId: offline.id },
          })
        ).statusCode,
      ).toBe(400);
      expect(
        (await desk.api('GET', `/api/v1/tickets/${ticket.id}/helpcenter`, { token: basic.token })).statusCode,
      ).toBe(404);
      const unlink = await desk.api('DELETE', `/api/v1/tickets/${ticket.id}/known-issues/${knownIssue.id}`, {
        token: agent.token,
      });
      expect(unlink.statusCode).toBe(204);
      expect(
        (await desk.api('GET', `/api/v1/tickets/${ticket.id}/helpcenter`, { token: premium.token })).json()
          .links,
      ).toEqual([]);
    });

    it('answers a ticket with an article link in the requester’s language', async () => {
      const frOrg = await desk.organization('premium');
      const frCustomer = await desk.person('contact', frOrg.id);
      await desk.database.db.kysely
        .updateTable('users')
        .set({ locale: 'fr' })
        .where('id', '=', frCustomer.user.id)
        .execute();
      const ticket = await desk.ticket(frCustomer, { subject: 'Application hors ligne' });
      const res = await desk.api('POST', `/api/v1/tickets/${ticket.id}/article-answers`, {
        token: agent.token,
        body: { articleId: offline.id },
      });
      expect(res.statusCode).toBe(201);
      const frSlug = offline.translations.find((t) => t.locale === 'fr')!.slug;
      expect(res.json().body).toContain(`/hc/fr/articles/${frSlug}`);
      expect(res.json().body).toContain('Travailler hors ligne');
      expect(res.json().public).toBe(true);
      const messages = await desk.api('GET', `/api/v1/tickets/${ticket.id}/messages`, {
        token: frCustomer.token,
      });
      expect(messages.json().data.map((m: { id: string }) => m.id)).toContain(res.json().id);
      const view = await desk.api('GET', `/api/v1/tickets/${ticket.id}/helpcenter`, {
        token: frCustomer.token,
      });
      expect(view.json().links[0]).toMatchObject({ kind: 'answer', article: { articleId: offline.id } });
      // An article the requester cannot read is not sent.
      const tiered = await article({ audience: 'tiers', tiers: ['enterprise'] });
      const refused = await desk.api('POST', `/api/v1/tickets/${ticket.id}/article-answers`, {
        token: agent.token,
        body: { articleId: tiered.id },
      });
      expect(refused.statusCode).toBe(400);
    });

    it('takes votes from signed-in readers once each, changeable', async () => {
      const vote = (token: string, helpful: boolean) =>
        desk.api('POST', `${HC}/articles/${offline.id}/votes`, { token, body: { helpful, locale: 'en' } });
      expect((await vote(premium.token, true)).json()).toMatchObject({ helpfulYes: 1, helpfulNo: 0 });
      expect((await vote(premium.token, false)).json()).toMatchObject({ helpfulYes: 0, helpfulNo: 1 });
      expect((await vote(basic.token, true)).json()).toMatchObject({ helpfulYes: 1, helpfulNo: 1 });
      expect(
        (
          await desk.api('POST', `${HC}/articles/${offline.id}/votes`, {
            body: { helpful: true, locale: 'en' },
          })
        ).statusCode,
      ).toBe(401);
    });

    it('removes unpublished articles from search and restores them when republished', async () => {
      const q = `${HC}/search?q=${encodeURIComponent('offline mobile')}&locale=en`;
      const ids = async () =>
        (await desk.api('GET', q)).json().results.map((r: { articleId: string }) => r.articleId);
      expect(await ids()).toContain(offline.id);
      await desk.api('PATCH', `${HC}/articles/${offline.id}`, {
        token: agent.token,
        body: { status: 'archived' },
      });
      expect(await ids()).not.toContain(offline.id);
      await desk.api('PATCH', `${HC}/articles/${offline.id}`, {
        token: agent.token,
        body: { status: 'published' },
      });
      expect(await ids()).toContain(offline.id);
    });
  });

  it('deletes an article for good only for leads and admins', async () => {
    const created = await article();
    expect(
      (await desk.api('DELETE', `${HC}/articles/${created.id}`, { token: agent.token })).statusCode,
    ).toBe(403);
    expect((await desk.api('DELETE', `${HC}/articles/${created.id}`, { token: lead.token })).statusCode).toBe(
      204,
    );
    expect((await desk.api('GET', `${HC}/articles/${created.id}`, { token: lead.token })).statusCode).toBe(
      404,
    );
  });
});
