import type { Kysely } from 'kysely';
import type { Database } from '../db/tables.js';
import type { Clock } from '../shared/time.js';
import type { Mailer, OutgoingMail } from '../shared/mailer.js';
import { newMessageId, type OutboxRepository } from './outbox.js';

export interface OutboxMailerDeps {
  db: Kysely<Database>;
  outbox: OutboxRepository;
  supportEmail: string;
  clock: Clock;
}

/**
 * The desk's own mail outside tickets (password resets) through the same outbox as ticket mail:
 * retried when the relay is down, visible to admins when it keeps failing.
 */
export class OutboxMailer implements Mailer {
  constructor(
    private readonly deps: OutboxMailerDeps,
    private readonly kind = 'password_reset',
  ) {}

  async send(mail: OutgoingMail): Promise<void> {
    const { db, outbox, supportEmail, clock } = this.deps;
    await outbox.enqueue(
      db,
      {
        kind: this.kind,
        to: mail.to,
        subject: mail.subject,
        text: mail.text,
        headers: { 'Auto-Submitted': 'auto-generated' },
        messageId: newMessageId(supportEmail),
      },
      clock(),
    );
  }
}
