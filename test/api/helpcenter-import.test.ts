import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { principalOf } from '../../src/auth/principal.js';
import { importHelpCenter } from '../../src/helpcenter/import.js';
import { ANONYMOUS } from '../../src/helpcenter/model.js';
import { databaseTargets } from '../support/databases.js';
import { TestDesk } from '../support/desk.js';

const DEMO = path.resolve(import.meta.dirname, '../../helpcenter/demo');

describe.each(databaseTargets())('help center import on $dialect', (target) => {
  let desk: TestDesk;
  let run: (dir: string) => ReturnType<typeof importHelpCenter>;

  beforeAll(async () => {
    desk = await TestDesk.start(target);
    const admin = await desk.person('admin');
    const row = await desk.database.db.kysely
      .selectFrom('users')
      .selectAll()
      .where('id', '=', admin.user.id)
      .executeTakeFirstOrThrow();
    run = (dir) =>
      importHelpCenter(
        dir,
        {
          helpCenter: desk.services.helpCenter,
          structure: desk.services.helpCenterStructure,
          repo: desk.services.helpCenterContent,
        },
        principalOf(row, 'token'),
      );
  });
  afterAll(() => desk?.close());

  it('imports the demo help center whole: both languages linked as one article each', async () => {
    const report = await run(DEMO);
    expect(report.errors).toEqual([]);
    expect(report.categories).toBe(4);
    expect(report.created).toBe(16);
    const enFiles = fs.readdirSync(path.join(DEMO, 'en')).length;
    const frFiles = fs.readdirSync(path.join(DEMO, 'fr')).length;
    expect(enFiles).toBe(16);
    expect(frFiles).toBe(16);
    const counts = await desk.database.db.kysely
      .selectFrom('hc_translations')
      .select(['locale', (eb) => eb.fn.countAll<number>().as('n')])
      .groupBy('locale')
      .orderBy('locale')
      .execute();
    expect(counts.map((c) => [c.locale, Number(c.n)])).toEqual([
      ['en', 16],
      ['fr', 16],
    ]);
    const issues = await desk.database.db.kysely
      .selectFrom('hc_articles')
      .select(['key', 'issue_status', 'fixed_in'])
      .where('kind', '=', 'known_issue')
      .orderBy('key')
      .execute();
    expect(issues).toHaveLength(3);
    expect(issues.find((i) => i.issue_status === 'fixed')?.fixed_in).toBe('4.13');
  });

  it('finds demo articles from misspelled queries in both languages', async () => {
    const search = (text: string, locale: 'en' | 'fr') =>
      desk.services.helpCenterEngagement.search(ANONYMOUS, { q: text, locale, limit: 5, offset: 0 }, 'api');
    const key = async (text: string, locale: 'en' | 'fr') => {
      const result = await search(text, locale);
      const first = result.results[0];
      if (!first) return null;
      const article = await desk.services.helpCenterContent.findArticle(first.articleId);
      return article?.key ?? null;
    };
    expect(await key('reset pasword', 'en')).toBe('reset-password');
    expect(await key('mot de pase oublié', 'fr')).toBe('reset-password');
    expect(await key('hors ligne', 'fr')).toBe('mobile-app-offline-sync');
    expect(await key('importing assets from csv', 'en')).toBe('import-assets-csv');
    expect(await key('inviter des techniciens', 'fr')).toBe('invite-technicians-and-roles');
  });

  it('is idempotent, updates only what changed, and reports bad files while importing the good ones', async () => {
    const again = await run(DEMO);
    expect(again).toMatchObject({ created: 0, updated: 0, unchanged: 16, errors: [] });

    const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'accord-hc-import-'));
    fs.cpSync(DEMO, dir, { recursive: true });
    const file = path.join(dir, 'en', 'reset-password.md');
    fs.writeFileSync(file, fs.readFileSync(file, 'utf8').replace(/\n---\n/, '\n---\nA new first line.\n\n'));
    fs.writeFileSync(path.join(dir, 'en', 'no-front-matter.md'), 'Just text.');
    fs.writeFileSync(
      path.join(dir, 'en', 'bad-section.md'),
      '---\nkey: bad-section\nlocale: en\ntitle: Lost\nsection: nowhere\n---\nBody',
    );
    fs.writeFileSync(path.join(dir, 'en', 'broken-yaml.md'), '---\nkey: [unclosed\n---\nBody');
    fs.writeFileSync(
      path.join(dir, 'fr', 'twice.md'),
      '---\nkey: reset-password\nlocale: fr\ntitle: Doublon\n---\nBody',
    );
    // Over a megabyte: refused by its size before it is read.
    fs.writeFileSync(
      path.join(dir, 'en', 'huge.md'),
      `---\nkey: huge\nlocale: en\ntitle: Huge\n---\n${'x'.repeat(1_100_000)}`,
    );
    fs.writeFileSync(
      path.join(dir, 'en', 'fresh.md'),
      '---\nkey: fresh-article\nlocale: en\ntitle: Label printers\nsection: first-steps\n---\nPrint asset labels.',
    );
    const report = await run(dir);
    expect(report.created).toBe(1);
    expect(report.errors.map((e) => e.file).sort()).toEqual([
      'en/bad-section.md',
      'en/broken-yaml.md',
      'en/huge.md',
      'en/no-front-matter.md',
      'fr/twice.md',
    ]);
    expect(report.errors.find((e) => e.file === 'en/bad-section.md')?.message).toContain('nowhere');
    expect(report.errors.find((e) => e.file === 'en/huge.md')?.message).toContain('larger than');
    expect(report.updated).toBe(1);
    const revisions = await desk.database.db.kysely
      .selectFrom('hc_revisions')
      .innerJoin('hc_articles', 'hc_articles.id', 'hc_revisions.article_id')
      .select(['hc_revisions.revision'])
      .where('hc_articles.key', '=', 'fresh-article')
      .execute();
    expect(revisions).toHaveLength(1);
  });

  it('updates a changed file as a new revision and leaves the others alone', async () => {
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'accord-hc-import-'));
    fs.cpSync(DEMO, dir, { recursive: true });
    const file = path.join(dir, 'fr', 'reset-password.md');
    fs.writeFileSync(file, `${fs.readFileSync(file, 'utf8')}\n\nUne phrase de plus.\n`);
    const report = await run(dir);
    expect(report).toMatchObject({ created: 0, updated: 1, unchanged: 15, errors: [] });
    const fr = await desk.database.db.kysely
      .selectFrom('hc_translations')
      .innerJoin('hc_articles', 'hc_articles.id', 'hc_translations.article_id')
      .select(['hc_translations.revision', 'hc_translations.body_md'])
      .where('hc_articles.key', '=', 'reset-password')
      .where('hc_translations.locale', '=', 'fr')
      .executeTakeFirstOrThrow();
    expect(fr.revision).toBe(2);
    expect(fr.body_md).toContain('Une phrase de plus.');
  });
});
