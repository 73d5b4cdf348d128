import { randomUUID } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createTestDatabase, databaseTargets, type TestDatabase } from '../../../test/support/databases.js';
import { createHelpCenterSearch } from './index.js';
import type { SearchSchema } from './tables.js';
import type { HelpCenterSearch, SearchDocument, SearchQuery, SearchViewer } from './types.js';

const staff: SearchViewer = { signedIn: true, staff: true, tier: null };
const anonymous: SearchViewer = { signedIn: false, staff: false, tier: null };
const customer = (tier: SearchViewer['tier']): SearchViewer => ({ signedIn: true, staff: false, tier });

type Draft = Omit<SearchDocument, 'translationId' | 'articleId' | 'tiers' | 'kind' | 'audience'> &
  Partial<Pick<SearchDocument, 'articleId' | 'tiers' | 'kind' | 'audience'>>;

function doc(draft: Draft): SearchDocument {
  return {
    translationId: randomUUID(),
    articleId: draft.articleId ?? randomUUID(),
    kind: draft.kind ?? 'article',
    audience: draft.audience ?? 'public',
    tiers: draft.tiers ?? [],
    ...draft,
  };
}

// The help center of a maintenance-management product, as its customers read it.
const resetPassword = doc({
  locale: 'en',
  title: 'Reset your password',
  text:
    'Forgot your password? Open the sign-in page and choose "Forgot password". We send a reset link to ' +
    'the email address of your account. The link expires after one hour; request a new one if it has.',
});
const exportReport = doc({
  locale: 'en',
  title: 'Export a report',
  text:
    'Any report can be exported to CSV or PDF. Open Reports, choose the date range and the columns, then ' +
    'click Export. Large exports are prepared in the background and emailed to you when they are ready.',
});
const offlineIssue = doc({
  locale: 'en',
  kind: 'known_issue',
  title: 'Work orders closed offline stay pending',
  text:
    'Work orders that technicians close without network coverage stay pending in the mobile app after ' +
    'the connection comes back. Workaround: pull down on the work order list to synchronize by hand.',
});
const offlineGuide = doc({
  locale: 'en',
  title: 'Working offline with the mobile app',
  text:
    'The mobile app keeps your assigned work orders on the device, so you can work offline in basements ' +
    'and plant rooms. Changes are sent as soon as the device is online again.',
});
const addTechnician = doc({
  locale: 'en',
  audience: 'signed_in',
  title: 'Add a technician to your team',
  text:
    'Invite a technician from Settings, Team. The technician receives an email invitation and chooses a ' +
    'password. Each technician counts as one seat on your subscription.',
});
const singleSignOn = doc({
  locale: 'en',
  audience: 'tiers',
  tiers: ['enterprise'],
  title: 'Configure single sign-on with SAML',
  text:
    'Single sign-on lets your people sign in with your identity provider. Upload the metadata of your ' +
    'provider, map the email attribute, then test the connection before enforcing it.',
});
const preventive = doc({
  locale: 'en',
  audience: 'tiers',
  tiers: ['premium', 'enterprise'],
  title: 'Schedule preventive maintenance',
  text:
    'Preventive maintenance plans create work orders on a calendar or meter reading: every 90 days, ' +
    'every 500 operating hours. Assign a checklist and a technician to each plan.',
});
const notifications = doc({
  locale: 'en',
  title: 'Troubleshooting email notifications',
  text:
    'Notifications go to the address on your profile. If the mail about a password change, a new work ' +
    'order or a comment never arrives, look in the spam folder and add our sender address to your ' +
    'contacts. Your password itself is never sent by email.',
});
const widget = doc({
  locale: 'en',
  title: 'Embed the help widget on your site',
  text:
    'Paste <script src="https://help.example.com/widget.js" async></script> before the closing body tag. ' +
    'The widget opens the help center & ticket form in a panel, so "visitors" stay on your page.',
});
const sensors = [1, 2, 3].map((n) =>
  doc({
    locale: 'en',
    title: `Connect temperature sensor model T${n}`,
    text: `The T${n} sensor reports temperature readings every minute to the gateway.`,
  }),
);
const censorship = doc({
  locale: 'en',
  title: 'Hide words in public comments',
  text: 'A censor list hides offensive words in comments that customers can read.',
});
const motDePasse = doc({
  locale: 'fr',
  articleId: resetPassword.articleId,
  title: 'Réinitialiser votre mot de passe',
  text:
    'Vous avez oublié votre mot de passe ? Ouvrez la page de connexion et choisissez « Mot de passe ' +
    'oublié ». Nous envoyons un lien de réinitialisation à l’adresse électronique de votre compte.',
});
const synchronisation = doc({
  locale: 'fr',
  title: 'Synchronisation hors ligne',
  text:
    'L’application mobile enregistre les interventions réalisées sans réseau, dans les sous-sols ou les ' +
    'chaufferies, et les envoie dès que la connexion revient.',
});
const technicien = doc({
  locale: 'fr',
  title: 'Ajouter un technicien',
  text:
    'Invitez un technicien depuis Paramètres, Équipe. Il reçoit une invitation par courriel et choisit ' +
    'son mot de passe. Chaque technicien occupe une licence de votre abonnement.',
});
const creerRapport = doc({
  locale: 'fr',
  title: 'Créer un rapport d’intervention',
  text:
    'Pour créer un rapport, ouvrez l’intervention terminée, vérifiez les pièces utilisées puis ' +
    'choisissez Exporter. Le rapport est généré au format PDF et peut être envoyé au client.',
});
const retardCourriels = doc({
  locale: 'fr',
  kind: 'known_issue',
  title: 'Les notifications par courriel arrivent en retard',
  text:
    'Depuis la mise à jour de mardi, certaines notifications par courriel arrivent avec une heure de ' +
    'retard. Contournement : consultez la liste des interventions directement dans l’application.',
});
const equipements = doc({
  locale: 'fr',
  title: 'Importer des équipements depuis un tableur',
  text:
    'Préparez un fichier CSV avec une ligne par équipement : nom, numéro de série, site et date de mise ' +
    'en service. Importez-le depuis Équipements, puis vérifiez les lignes signalées en erreur.',
});

const corpus = [
  resetPassword,
  exportReport,
  offlineIssue,
  offlineGuide,
  addTechnician,
  singleSignOn,
  preventive,
  notifications,
  widget,
  ...sensors,
  censorship,
  motDePasse,
  synchronisation,
  technicien,
  creerRapport,
  retardCourriels,
  equipements,
];

describe.each(databaseTargets())('help center search on $dialect', (target) => {
  let testDb: TestDatabase;
  let search: HelpCenterSearch;

  const find = (text: string, options: Partial<SearchQuery> = {}) =>
    search.search({ text, locale: 'en', viewer: staff, limit: 10, ...options });
  const titles = async (text: string, options: Partial<SearchQuery> = {}) =>
    (await find(text, options)).hits.map((h) => h.title);
  const vocabulary = () => testDb.db.kysely.withTables<SearchSchema>();
  const wordCount = async (locale: 'en' | 'fr', word: string) =>
    (
      await vocabulary()
        .selectFrom('hc_search_words')
        .select('documents')
        .where('locale', '=', locale)
        .where('word', '=', word)
        .executeTakeFirst()
    )?.documents;

  beforeAll(async () => {
    testDb = await createTestDatabase(target);
    search = createHelpCenterSearch(testDb.db.kysely, testDb.db.dialect);
    for (const d of corpus) await search.index(testDb.db.kysely, d);
  });
  afterAll(async () => {
    await testDb?.drop();
  });

  describe('words', () => {
    it('finds an article by a word of its title', async () => {
      const result = await find('password');
      expect(result.hits[0]?.translationId).toBe(resetPassword.translationId);
      expect(result.correctedQuery).toBeNull();
    });

    it('stems English: "exporting reports" finds "Export a report"', async () => {
      expect((await titles('exporting reports'))[0]).toBe('Export a report');
    });

    it('stems French: "techniciens" finds "Ajouter un technicien"', async () => {
      expect(await titles('techniciens', { locale: 'fr' })).toContain('Ajouter un technicien');
      expect((await titles('interventions', { locale: 'fr' })).sort()).toEqual(
        [
          'Créer un rapport d’intervention',
          'Les notifications par courriel arrivent en retard',
          'Synchronisation hors ligne',
        ].sort(),
      );
    });

    it('folds accents: "créer" and "creer", "equipements" and "ÉQUIPEMENTS" are the same word', async () => {
      for (const q of ['créer', 'creer', 'CRÉER']) {
        const result = await find(q, { locale: 'fr' });
        expect(
          result.hits.map((h) => h.translationId),
          q,
        ).toEqual([creerRapport.translationId]);
        expect(result.correctedQuery, q).toBeNull();
      }
      for (const q of ['numero', 'NUMÉRO', 'numéros'])
        expect(await titles(q, { locale: 'fr' }), q).toEqual(['Importer des équipements depuis un tableur']);
      expect((await titles('reinitialiser mot de passe', { locale: 'fr' }))[0]).toBe(
        'Réinitialiser votre mot de passe',
      );
    });

    it('keeps locales apart', async () => {
      expect((await find('technicien', { locale: 'fr' })).hits.map((h) => h.translationId)).toEqual([
        technicien.translationId,
      ]);
      const english = await find('technician');
      expect(english.hits.map((h) => h.translationId).sort()).toEqual(
        [addTechnician.translationId, offlineIssue.translationId, preventive.translationId].sort(),
      );
      expect((await find('réinitialisation')).total).toBe(0);
      expect((await find('password', { locale: 'fr' })).total).toBe(0);
    });

    it('requires every word in "all" mode, and falls back to any word when none has them all', async () => {
      expect(await titles('password reset')).toEqual(['Reset your password']);
      // "calibration" is nowhere: the articles about a password still come back, best first.
      const fallback = await find('password calibration');
      expect(fallback.total).toBe(3);
      expect(fallback.hits[0]?.title).toBe('Reset your password');
    });
  });

  describe('typos', () => {
    it('corrects English misspellings and reports the corrected query', async () => {
      const result = await find('pasword reset');
      expect(result.hits[0]?.translationId).toBe(resetPassword.translationId);
      expect(result.correctedQuery).toBe('password reset');
      expect((await find('Exprot the reprots')).correctedQuery).toBe('export the reports');
    });

    it('corrects French misspellings', async () => {
      const result = await find('synchronisaton', { locale: 'fr' });
      expect(result.hits.map((h) => h.title)).toEqual(['Synchronisation hors ligne']);
      expect(result.correctedQuery).toBe('synchronisation');
      const technician = await find('tecnicien', { locale: 'fr' });
      expect(technician.hits[0]?.title).toBe('Ajouter un technicien');
      expect(technician.correctedQuery).toBe('technicien');
    });

    it('allows one edit in words of 4–5 letters, two in longer ones, none under 4', async () => {
      expect((await find('pazzword')).correctedQuery).toBe('password');
      expect((await find('pazzwerd')).total).toBe(0);
      expect((await find('rset')).correctedQuery).toBe('reset');
      expect((await find('rsst')).correctedQuery).toBeNull();
      expect((await find('pdx')).correctedQuery).toBeNull();
    });

    it('between equally close words, picks the one more documents use', async () => {
      // "xensor" is one edit from both "sensor" (three documents) and "censor" (one).
      const result = await find('xensor');
      expect(result.correctedQuery).toBe('sensor');
      expect(result.total).toBe(3);
    });

    it('corrects within the query locale only', async () => {
      expect((await find('tecnicien')).correctedQuery).toBe('technician');
      expect((await find('tecnicien', { locale: 'fr' })).correctedQuery).toBe('technicien');
    });
  });

  describe('ranking and snippets', () => {
    it('ranks a title match above a body-only match', async () => {
      const result = await find('password', { mode: 'any' });
      const order = result.hits.map((h) => h.translationId);
      expect(order[0]).toBe(resetPassword.translationId);
      expect(order).toContain(notifications.translationId);
      expect(order.indexOf(resetPassword.translationId)).toBeLessThan(
        order.indexOf(notifications.translationId),
      );
      for (let i = 1; i < result.hits.length; i++)
        expect(result.hits[i - 1]!.score).toBeGreaterThanOrEqual(result.hits[i]!.score);
    });

    it('ranks a ticket\'s text in "any" mode by the words it shares', async () => {
      const ticket =
        'Hello, since this morning our technicians close work orders in the basement without network and ' +
        'they stay pending on the mobile app even when the connection comes back. What should we do?';
      const result = await find(ticket, { mode: 'any', limit: 3 });
      expect(result.hits[0]?.translationId).toBe(offlineIssue.translationId);
      expect(result.total).toBeGreaterThan(3);
    });

    it('marks matches in the title and snippet, by stem', async () => {
      const [hit] = (await find('exporting reports')).hits;
      expect(hit?.titleHtml).toBe('<mark>Export</mark> a <mark>report</mark>');
      expect(hit?.snippetHtml).toContain('<mark>exported</mark>');
      expect(hit?.snippetHtml).toContain('<mark>Reports</mark>');
      const [fr] = (await find('creer', { locale: 'fr' })).hits;
      expect(fr?.titleHtml).toBe('<mark>Créer</mark> un rapport d’intervention');
      expect(fr?.snippetHtml).toContain('Pour <mark>créer</mark> un rapport');
    });

    it('escapes the HTML of the document text', async () => {
      const [hit] = (await find('widget script')).hits;
      expect(hit?.translationId).toBe(widget.translationId);
      expect(hit?.snippetHtml).toContain(
        '&lt;<mark>script</mark> src=&quot;https://help.example.com/<mark>widget</mark>.js&quot;',
      );
      expect(hit?.snippetHtml).not.toMatch(/<script|<\/script/);
      expect(hit?.snippetHtml.replace(/<\/?mark>/g, '')).not.toMatch(/[<>]/);
    });

    it('cuts a long text to a window around the matches', async () => {
      const long = doc({
        locale: 'en',
        title: 'Release notes',
        text: `${'Routine improvements to lists and filters. '.repeat(40)}The barometric gauge now shows its unit. ${'Faster loading of the calendar. '.repeat(20)}`,
      });
      await search.index(testDb.db.kysely, long);
      const [hit] = (await find('barometric')).hits;
      expect(hit?.snippetHtml).toMatch(/^… .*<mark>barometric<\/mark> gauge now shows its unit\..* …$/);
      expect(hit?.snippetHtml.replace(/<\/?mark>/g, '').split(/\s+/).length).toBeLessThanOrEqual(32);
      await search.remove(testDb.db.kysely, long.translationId);
    });
  });

  describe('who sees what', () => {
    it('shows anonymous visitors public documents only', async () => {
      expect(await titles('technician', { viewer: anonymous })).toEqual([
        'Work orders closed offline stay pending',
      ]);
      expect((await find('saml', { viewer: anonymous })).total).toBe(0);
      // A tier without signing in is no tier at all.
      expect(
        (await find('preventive', { viewer: { signedIn: false, staff: false, tier: 'enterprise' } })).total,
      ).toBe(0);
    });

    it('shows signed-in customers the signed-in documents and those of their tier', async () => {
      expect(await titles('technician', { viewer: customer(null) })).toContain(
        'Add a technician to your team',
      );
      expect((await find('preventive', { viewer: customer('basic') })).total).toBe(0);
      expect(await titles('preventive', { viewer: customer('premium') })).toEqual([
        'Schedule preventive maintenance',
      ]);
      expect((await find('saml', { viewer: customer('premium') })).total).toBe(0);
      expect(await titles('saml', { viewer: customer('enterprise') })).toEqual([
        'Configure single sign-on with SAML',
      ]);
    });

    it('names no correction that only hidden documents contain', async () => {
      // "enforcing" is in the enterprise article alone.
      expect((await find('enforcng', { viewer: anonymous })).correctedQuery).toBeNull();
      expect((await find('enforcng', { viewer: customer('premium') })).correctedQuery).toBeNull();
      expect((await find('enforcng', { viewer: customer('enterprise') })).correctedQuery).toBe('enforcing');
    });

    it('shows staff everything', async () => {
      expect(await titles('single sign-on', { viewer: staff })).toEqual([
        'Configure single sign-on with SAML',
      ]);
      expect(await titles('technician', { viewer: staff })).toHaveLength(3);
    });

    it('filters by kind', async () => {
      expect(await titles('offline', { kinds: ['known_issue'] })).toEqual([
        'Work orders closed offline stay pending',
      ]);
      expect(await titles('offline', { kinds: ['article'] })).toEqual([
        'Working offline with the mobile app',
      ]);
      expect((await find('offline', { kinds: ['article', 'known_issue'] })).total).toBe(2);
      expect((await find('offline', { kinds: [] })).total).toBe(0);
    });
  });

  it('pages through the results with a total', async () => {
    const checklists = Array.from({ length: 12 }, (_, i) =>
      doc({
        locale: 'en',
        title: `Inspection checklist ${i + 1}`,
        text: `Checklist for inspection round ${i + 1}: valves, pumps and filters.`,
      }),
    );
    for (const d of checklists) await search.index(testDb.db.kysely, d);
    const pages = await Promise.all(
      [0, 5, 10].map((offset) => find('inspection checklist', { limit: 5, offset })),
    );
    expect(pages.map((p) => p.total)).toEqual([12, 12, 12]);
    expect(pages.map((p) => p.hits.length)).toEqual([5, 5, 2]);
    const ids = pages.flatMap((p) => p.hits.map((h) => h.translationId));
    expect(new Set(ids)).toEqual(new Set(checklists.map((d) => d.translationId)));
    const beyond = await find('inspection checklist', { limit: 5, offset: 40 });
    expect(beyond.hits).toEqual([]);
    expect(beyond.total).toBe(12);
    // Limits outside 1..50 are brought back inside.
    expect((await find('inspection checklist', { limit: 500 })).hits).toHaveLength(12);
    expect((await find('inspection checklist', { limit: 0 })).hits).toHaveLength(1);
    for (const d of checklists) await search.remove(testDb.db.kysely, d.translationId);
  });

  describe('keeping the index in step', () => {
    it('corrects to a word as soon as a document brings it, and no longer once it is removed', async () => {
      expect((await find('calibratoin')).correctedQuery).toBeNull();
      const calibration = doc({
        locale: 'en',
        title: 'Calibrate a gauge',
        text: 'Record each calibration with its certificate.',
      });
      await search.index(testDb.db.kysely, calibration);
      expect((await find('calibratoin')).correctedQuery).toBe('calibration');
      await search.remove(testDb.db.kysely, calibration.translationId);
      expect((await find('calibratoin')).correctedQuery).toBeNull();
    });

    it('re-indexing a translation replaces its words and their counts', async () => {
      const scanner = doc({
        locale: 'en',
        title: 'Scan barcodes on equipment',
        text: 'Point the camera at the barcode label to open the equipment record.',
      });
      const other = doc({
        locale: 'en',
        title: 'Barcode labels',
        text: 'Print barcode labels for equipment.',
      });
      await search.index(testDb.db.kysely, scanner);
      await search.index(testDb.db.kysely, other);
      expect(await wordCount('en', 'barcode')).toBe(2);
      expect(await wordCount('en', 'camera')).toBe(1);

      await search.index(testDb.db.kysely, {
        ...scanner,
        title: 'Scan QR codes on equipment',
        text: 'Point the camera at the QR code to open the equipment record.',
      });
      expect((await find('barcode')).hits.map((h) => h.translationId)).toEqual([other.translationId]);
      expect((await find('codes')).hits.map((h) => h.translationId)).toEqual([scanner.translationId]);
      expect(await wordCount('en', 'barcode')).toBe(1);
      expect(await wordCount('en', 'barcodes')).toBeUndefined();
      expect(await wordCount('en', 'camera')).toBe(1);
      expect(await wordCount('en', 'codes')).toBe(1);
      expect((await find('barcodez')).correctedQuery).toBe('barcode');
      expect(await wordCount('en', 'equipment')).toBe(2);

      await search.remove(testDb.db.kysely, scanner.translationId);
      await search.remove(testDb.db.kysely, other.translationId);
      expect(await wordCount('en', 'barcode')).toBeUndefined();
      expect(await wordCount('en', 'camera')).toBeUndefined();
      const trigrams = await vocabulary()
        .selectFrom('hc_search_trigrams')
        .select('trigram')
        .where('locale', '=', 'en')
        .where('word', '=', 'barcode')
        .execute();
      expect(trigrams).toEqual([]);
      // The word left the vocabulary with its last document: a typo of it is no longer corrected to it.
      expect((await find('barcodez')).correctedQuery).toBeNull();
    });

    it('removes one translation, or every translation of an article', async () => {
      const articleId = randomUUID();
      const en = doc({
        articleId,
        locale: 'en',
        title: 'Pair a thermal printer',
        text: 'Thermal printers pair over Bluetooth.',
      });
      const fr = doc({
        articleId,
        locale: 'fr',
        title: 'Associer une imprimante thermique',
        text: 'Les imprimantes thermiques s’associent en Bluetooth.',
      });
      await search.index(testDb.db.kysely, en);
      await search.index(testDb.db.kysely, fr);
      expect((await find('thermal printer')).total).toBe(1);
      expect((await find('imprimante thermique', { locale: 'fr' })).total).toBe(1);

      await search.remove(testDb.db.kysely, en.translationId);
      expect((await find('thermal printer')).total).toBe(0);
      expect(await wordCount('en', 'thermal')).toBeUndefined();
      expect((await find('imprimante', { locale: 'fr' })).total).toBe(1);

      await search.index(testDb.db.kysely, en);
      await search.removeArticle(testDb.db.kysely, articleId);
      expect((await find('thermal')).total).toBe(0);
      expect((await find('imprimante', { locale: 'fr' })).total).toBe(0);
      expect(await wordCount('fr', 'imprimante')).toBeUndefined();
      // Removing what is not there is not an error.
      await search.remove(testDb.db.kysely, en.translationId);
      await search.removeArticle(testDb.db.kysely, articleId);
    });

    it("indexes within the caller's transaction, and rolls back with it", async () => {
      const draft = doc({
        locale: 'en',
        title: 'Rotate the gateway antenna',
        text: 'Rotate the antenna by hand.',
      });
      await expect(
        testDb.db.kysely.transaction().execute(async (trx) => {
          await search.index(trx, draft);
          throw new Error('publishing failed');
        }),
      ).rejects.toThrow('publishing failed');
      expect((await find('antenna')).total).toBe(0);
      expect(await wordCount('en', 'antenna')).toBeUndefined();

      await testDb.db.kysely.transaction().execute((trx) => search.index(trx, draft));
      expect((await find('antenna')).total).toBe(1);
      await search.remove(testDb.db.kysely, draft.translationId);
    });
  });

  describe('hostile and odd queries', () => {
    const hostile = [
      '',
      '   \n\t ',
      '"',
      '""""',
      '*',
      'pass*',
      'NEAR(',
      'NEAR(password reset, 2)',
      'password OR',
      'OR AND NOT',
      'title:password',
      '^password',
      '-password',
      '(password',
      "password' OR '1'='1",
      'password"; drop table hc_search_documents; --',
      "'); select * from users; --",
      'password & reset | !export <-> :*',
      '\\',
      '%_%',
      '!!!???...',
      '🔑🔒',
      '🔑 password',
      'x'.repeat(10_000),
      'password '.repeat(1_200),
      Array.from({ length: 2_000 }, (_, i) => `w${i}ord`).join(' '),
    ];

    it.each(hostile.map((q) => [q.length > 60 ? `${q.slice(0, 40)}… (${q.length} characters)` : q, q]))(
      'answers %j without throwing',
      async (_label, q) => {
        for (const mode of ['all', 'any'] as const)
          for (const locale of ['en', 'fr'] as const) {
            const result = await find(q, { mode, locale });
            expect(result.total).toBeGreaterThanOrEqual(result.hits.length);
            for (const hit of result.hits)
              expect(hit.snippetHtml.replace(/<\/?mark>/g, '')).not.toMatch(/[<>]/);
          }
      },
    );

    it('still finds the words among the noise', async () => {
      for (const q of [
        'NEAR(password reset, 2)',
        'title:password',
        "password' OR '1'='1",
        '🔑 password',
        '"password"',
      ])
        expect((await find(q)).hits[0]?.translationId, q).toBe(resetPassword.translationId);
      expect((await find('password '.repeat(1_200))).hits[0]?.translationId).toBe(
        resetPassword.translationId,
      );
      expect((await find('   ')).total).toBe(0);
      expect((await find('🔑🔒')).total).toBe(0);
      expect((await find('!!!???...')).correctedQuery).toBeNull();
    });

    it('searches a query of stopwords alone as typed', async () => {
      const result = await find('the');
      // SQLite's FTS5 table holds every word; PostgreSQL's english configuration leaves stopwords
      // out of the tsvector, so there they find nothing.
      if (target.dialect === 'sqlite') expect(result.total).toBeGreaterThan(5);
      else expect(result.total).toBe(0);
      expect(result.correctedQuery).toBeNull();
    });

    it('corrects no reference with digits', async () => {
      expect((await find('T4 sensor')).correctedQuery).toBeNull();
      expect((await find('sensor2')).correctedQuery).toBeNull();
    });

    it('leaves the index intact', async () => {
      await find('password"; drop table hc_search_documents; --');
      expect((await find('password')).total).toBe(3);
    });
  });
});
