import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { pollOnce } from '../../src/channels/email/imap-poller.js';
import { databaseTargets } from '../support/databases.js';
import { TestDesk, type Person } from '../support/desk.js';
import { dovecotUnavailable, startDovecot, type Dovecot } from '../support/dovecot.js';

const unavailable = dovecotUnavailable();
if (unavailable && process.env.CI === 'true') throw new Error(`${unavailable}; CI requires it.`);
const quiet = { info: () => undefined, warn: () => undefined, error: () => undefined };

/** A support mailbox on a real IMAP server: mail in it becomes tickets and threaded replies. */
describe.skipIf(!!unavailable).each(databaseTargets())(
  'the support mailbox over IMAP on $dialect',
  (target) => {
    let desk: TestDesk;
    let dovecot: Dovecot;
    let contact: Person;

    beforeAll(async () => {
      desk = await TestDesk.start(target, { SUPPORT_EMAIL: 'support@accord.test' });
      dovecot = await startDovecot();
      contact = await desk.person('contact', (await desk.organization('enterprise')).id);
    });
    afterAll(async () => {
      await dovecot?.stop();
      await desk?.close();
    });

    const mail = (headers: string[], body: string) =>
      [
        `From: Nora <${contact.user.email}>`,
        'To: support@accord.test',
        ...headers,
        'MIME-Version: 1.0',
        'Content-Type: text/plain; charset=utf-8',
        '',
        body,
        '',
      ].join('\r\n');
    const poll = () =>
      pollOnce({
        url: dovecot.url(),
        intervalMs: 1000,
        ingest: (raw) => desk.services.emailIngest.ingest(raw),
        log: quiet,
      });

    it('turns a new mail into a ticket and its reply into a message on the same ticket', async () => {
      await dovecot.append(
        mail(
          ['Subject: Critique : plus aucune synchronisation', 'Message-ID: <first@customer.test>'],
          'Plus rien ne se synchronise depuis 8 h.',
        ),
      );
      expect(await poll()).toMatchObject({ fetched: 1, ingested: 1, failed: 0 });
      const tickets = await desk.database.db.kysely
        .selectFrom('tickets')
        .selectAll()
        .where('requester_id', '=', contact.user.id)
        .execute();
      expect(tickets).toHaveLength(1);
      expect(tickets[0]).toMatchObject({
        channel: 'email',
        priority: 'P0',
        tier: 'enterprise',
        subject: 'plus aucune synchronisation',
      });

      await dovecot.append(
        mail(
          [
            'Subject: Re: plus aucune synchronisation',
            'Message-ID: <second@customer.test>',
            'In-Reply-To: <first@customer.test>',
            'References: <first@customer.test>',
          ],
          'Ça remarche sur mobile.\n\nLe lun. 23 nov. 2026 à 08:00, Nora a écrit :\n> Plus rien ne se synchronise',
        ),
      );
      expect(await poll()).toMatchObject({ fetched: 1, ingested: 1 });
      const messages = await desk.database.db.kysely
        .selectFrom('ticket_messages')
        .select('body')
        .where('ticket_id', '=', tickets[0]!.id)
        .orderBy('created_at')
        .orderBy('id')
        .execute();
      expect(messages.map((m) => m.body.trim())).toEqual([
        'Plus rien ne se synchronise depuis 8 h.',
        'Ça remarche sur mobile.',
      ]);
      // Nothing left for the next round.
      expect(await poll()).toMatchObject({ fetched: 0 });
    });
  },
);
