import { spawnSync } from 'node:child_process';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { ESLint } from 'eslint';
import tseslint from 'typescript-eslint';
import { beforeAll, describe, expect, it } from 'vitest';
import config from '../eslint.config.js';

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');

/**
 * The lint rules that keep one writer per fact (eslint.config.js), run here on their own, without
 * type information: on made-up writers, which they must catch, and on the whole of src, which they
 * must find clean.
 */
describe('one writer per fact', () => {
  let eslint: ESLint;

  beforeAll(() => {
    const writerRules = config.filter((c) => c.rules?.['no-restricted-syntax']);
    expect(writerRules.length).toBeGreaterThanOrEqual(2);
    eslint = new ESLint({
      cwd: root,
      overrideConfigFile: true,
      // Only these rules run here: directives for the others are not this check's business.
      allowInlineConfig: false,
      overrideConfig: [{ files: ['**/*.ts'], languageOptions: { parser: tseslint.parser } }, ...writerRules],
    });
  });

  const problems = async (file: string, code: string) =>
    (await eslint.lintText(code, { filePath: path.join(root, file) }))[0]!.messages.map((m) => m.message);

  it.each([
    ['a Kysely insert into tickets', "await db.insertInto('tickets').values(row).execute();"],
    ['an update of tickets under an alias', "await db.updateTable('tickets as t').set({ status: 'open' });"],
    ['a message written by hand', "await trx.insertInto('ticket_messages').values(m).execute();"],
    ['an event written by hand', "await trx.insertInto('ticket_events').values(e).execute();"],
    ['a deleted event', "await trx.deleteFrom('ticket_events').where('id', '=', id).execute();"],
    ['an attachment row', "await trx.insertInto('attachments').values(a).execute();"],
    ['raw SQL', "await sql`update tickets set status = 'open' where id = ${id}`.execute(db);"],
    ['raw SQL in a string', "await sql.raw('INSERT INTO ticket_events (id) VALUES (1)').execute(db);"],
  ])('refuses %s outside the ledger', async (_what, code) => {
    for (const file of [
      'src/status/tickets/writer.ts',
      'src/channels/chat/writer.ts',
      'src/tickets/service.ts',
    ])
      expect(await problems(file, code)).toEqual([expect.stringContaining('only by the ticket ledger')]);
    expect(await problems('src/tickets/ledger-repository.ts', code)).toEqual([]);
  });

  it('leaves other tables and reads alone', async () => {
    const code = [
      "await db.insertInto('status_incident_tickets').values(link).execute();",
      "await db.selectFrom('tickets').selectAll().execute();",
      "await db.updateTable('ticket_exclusions').set({ note }).execute();",
    ].join('\n');
    expect(await problems('src/status/tickets/writer.ts', code)).toEqual([]);
  });

  it('keeps the SLA engine to its own effect log', async () => {
    expect(
      await problems('src/sla/writer.ts', "await db.insertInto('notifications').values(n).execute();"),
    ).toEqual([expect.stringContaining('src/sla writes only sla_events')]);
    expect(
      await problems('src/sla/writer.ts', "await db.insertInto('sla_events').values(e).execute();"),
    ).toEqual([]);
  });

  it('finds no other writer in the desk', async () => {
    const results = await eslint.lintFiles(['src/**/*.ts']);
    const found = results.flatMap((r) =>
      r.messages.map((m) => `${path.relative(root, r.filePath)}:${m.line} ${m.message}`),
    );
    expect(found).toEqual([]);
    expect(results.length).toBeGreaterThan(200);
  });
});

describe('the direction of imports (npm run check:deps)', () => {
  const check = (folder?: string) =>
    spawnSync(
      process.execPath,
      [
        path.join(root, 'node_modules/tsx/dist/cli.mjs'),
        'scripts/check-dependencies.ts',
        ...(folder ? [folder] : []),
      ],
      { cwd: root, encoding: 'utf8' },
    );

  it('names a cycle between two contexts, even one made of type imports, and fails', () => {
    const result = check('test/fixtures/import-cycle');
    expect(result.status).toBe(1);
    expect(result.stderr).toContain('context cycle: billing, orders');
    expect(result.stderr).toContain(
      'billing -> orders: test/fixtures/import-cycle/billing/invoice.ts imports',
    );
  });

  it('finds none in the desk', () => {
    const result = check();
    expect(result.stderr).toBe('');
    expect(result.stdout).toMatch(/^No import cycle: \d+ modules in \d+ contexts\.$/m);
    expect(result.status).toBe(0);
  });
});
