import type { Transaction } from 'kysely';
import { describe, expect, it } from 'vitest';
import type { Database, FairUseSignalTable, TicketRow } from '../../db/tables.js';
import { FairUseSignalDetector } from './detector.js';
import type { FairUseSignalsRepository } from './repository.js';
import type { TicketText } from './similarity.js';

const HOUR = 3_600_000;
const filedAt = Date.UTC(2026, 11, 7, 9, 0);
const trx = {} as Transaction<Database>;

interface Resolved {
  id: string;
  number: number;
  updatedAt: number;
  text: TicketText;
}

const text = (subject: string, body: string): TicketText => ({
  subject,
  body,
  reproSteps: null,
  reproExpected: null,
  reproActual: null,
  reproEnvironment: null,
});

/** The repository as the detector reads it, over one organization's resolved tickets. */
function fakeRepository(resolved: Resolved[]) {
  const textsRead: string[][] = [];
  const saved: FairUseSignalTable[] = [];
  const repo = {
    requesterLocale: () => Promise.resolve('en'),
    resolvedTickets: () => Promise.resolve(resolved.map((r) => ({ id: r.id, updatedAt: r.updatedAt }))),
    ticketTexts: (_db: unknown, ids: readonly string[]) => {
      textsRead.push([...ids]);
      return Promise.resolve(
        new Map(
          resolved.filter((r) => ids.includes(r.id)).map((r) => [r.id, { number: r.number, ...r.text }]),
        ),
      );
    },
    saveSignal: (_db: unknown, row: FairUseSignalTable) => {
      saved.push(row);
      return Promise.resolve();
    },
  };
  return { repo: repo as unknown as FairUseSignalsRepository, textsRead, saved };
}

const filed = (id: string, subject: string) =>
  ({
    id,
    organization_id: 'org',
    requester_id: 'user',
    created_by_id: 'user',
    subject,
    created_at: filedAt,
    repro_steps: null,
    repro_expected: null,
    repro_actual: null,
    repro_environment: null,
  }) as TicketRow;

const exportBroken = text(
  'Work order export fails with error 500',
  'When I click Export on the work orders list, the page shows error 500 and no file is downloaded.',
);
const repeatSubject = 'Exporting work orders gives error 500 again';
const repeatBody =
  'Again the export of work orders fails: error 500 appears when clicking Export, nothing downloads.';

describe('the repeat of a resolved ticket, as tickets are filed', () => {
  it('reads a resolved ticket’s words once, and again only after it changed', async () => {
    const original: Resolved = { id: 'a', number: 1001, updatedAt: filedAt - 24 * HOUR, text: exportBroken };
    const { repo, textsRead, saved } = fakeRepository([original]);
    const detector = new FairUseSignalDetector({ repo, clock: () => filedAt });

    await detector.ticketFiled(trx, filed('b', repeatSubject), repeatBody, undefined);
    await detector.ticketFiled(trx, filed('c', repeatSubject), repeatBody, undefined);
    expect(textsRead).toEqual([['a']]);
    expect(saved.map((s) => [s.ticket_id, s.kind])).toEqual([
      ['b', 'repeat_incident'],
      ['c', 'repeat_incident'],
    ]);
    expect(JSON.parse(saved[0]!.evidence)).toMatchObject({
      matches: [{ id: 'a', number: 1001, subject: exportBroken.subject }],
    });

    // Staff reword the resolved ticket: it is another problem now, and the next filing sees that.
    original.updatedAt = filedAt - HOUR;
    original.text = text(
      'Invoice PDF shows the wrong VAT rate',
      'The VAT on the March invoice is 19% instead of 20%.',
    );
    await detector.ticketFiled(trx, filed('d', repeatSubject), repeatBody, undefined);
    expect(textsRead).toEqual([['a'], ['a']]);
    expect(saved.map((s) => s.ticket_id)).toEqual(['b', 'c']);
  });
});
