import { sql, type Kysely } from 'kysely';

/**
 * Fair use (policy section 5): the signs of inappropriate use per ticket with their evidence, the
 * leads' dismissals, staff marks (off-topic, excluded from the promise), support limits with their
 * dates, the audit log of every fair-use action, and the spam folder.
 */
export async function up(db: Kysely<unknown>): Promise<void> {
  // One sign on one ticket: a repeat of a resolved incident, a question the help center answered…
  await db.schema
    .createTable('fairuse_signals')
    .addColumn('id', 'text', (c) => c.primaryKey())
    .addColumn('organization_id', 'text', (c) =>
      c.notNull().references('organizations.id').onDelete('cascade'),
    )
    .addColumn('ticket_id', 'text', (c) => c.notNull().references('tickets.id').onDelete('cascade'))
    // repeat_incident | reopened_unchanged | helpcenter_answered | off_topic
    .addColumn('kind', 'text', (c) => c.notNull())
    .addColumn('score', 'real', (c) => c.notNull())
    // JSON: the tickets and articles behind the sign, with their similarity.
    .addColumn('evidence', 'text', (c) => c.notNull())
    .addColumn('at', 'bigint', (c) => c.notNull())
    .execute();
  await db.schema
    .createIndex('fairuse_signals_org_idx')
    .on('fairuse_signals')
    .columns(['organization_id', 'kind', 'at'])
    .execute();
  await db.schema
    .createIndex('fairuse_signals_ticket_key')
    .on('fairuse_signals')
    .columns(['ticket_id', 'kind'])
    .unique()
    .execute();

  // A lead looked at a flag and found nothing wrong: its evidence up to `evidence_until` is set aside.
  await db.schema
    .createTable('fairuse_dismissals')
    .addColumn('id', 'text', (c) => c.primaryKey())
    .addColumn('organization_id', 'text', (c) =>
      c.notNull().references('organizations.id').onDelete('cascade'),
    )
    .addColumn('kind', 'text', (c) => c.notNull())
    .addColumn('evidence_until', 'bigint', (c) => c.notNull())
    .addColumn('reason', 'text', (c) => c.notNull())
    .addColumn('dismissed_by', 'text', (c) => c.references('users.id').onDelete('set null'))
    .addColumn('dismissed_at', 'bigint', (c) => c.notNull())
    .execute();
  await db.schema
    .createIndex('fairuse_dismissals_org_idx')
    .on('fairuse_dismissals')
    .columns(['organization_id', 'kind', 'evidence_until'])
    .execute();

  // Staff found a request unrelated to support (one action); the optional classifier learns from these.
  await db.schema
    .createTable('ticket_off_topic')
    .addColumn('ticket_id', 'text', (c) => c.primaryKey().references('tickets.id').onDelete('cascade'))
    .addColumn('note', 'text')
    .addColumn('marked_by', 'text', (c) => c.references('users.id').onDelete('set null'))
    .addColumn('marked_at', 'bigint', (c) => c.notNull())
    .execute();

  // A ticket outside the promise (policy section 5 (a) and (b)): no SLA clock, not in the medians.
  await db.schema
    .createTable('ticket_exclusions')
    .addColumn('ticket_id', 'text', (c) => c.primaryKey().references('tickets.id').onDelete('cascade'))
    // nonconforming_use | gross_negligence
    .addColumn('reason', 'text', (c) => c.notNull())
    .addColumn('note', 'text', (c) => c.notNull())
    .addColumn('excluded_by', 'text', (c) => c.references('users.id').onDelete('set null'))
    .addColumn('excluded_at', 'bigint', (c) => c.notNull())
    .execute();

  // A limit on an organization's support: open-ticket cap, cap per period, channels, suspension.
  await db.schema
    .createTable('support_limits')
    .addColumn('id', 'text', (c) => c.primaryKey())
    .addColumn('organization_id', 'text', (c) =>
      c.notNull().references('organizations.id').onDelete('cascade'),
    )
    // open_tickets | tickets_per_period | channels | suspension
    .addColumn('kind', 'text', (c) => c.notNull())
    // JSON: { max } | { max, periodDays } | { channels: [...] } | {}
    .addColumn('settings', 'text', (c) => c.notNull())
    .addColumn('reason', 'text', (c) => c.notNull())
    .addColumn('starts_at', 'bigint', (c) => c.notNull())
    .addColumn('ends_at', 'bigint')
    .addColumn('created_by', 'text', (c) => c.references('users.id').onDelete('set null'))
    .addColumn('created_at', 'bigint', (c) => c.notNull())
    .addColumn('lifted_at', 'bigint')
    .addColumn('lifted_by', 'text', (c) => c.references('users.id').onDelete('set null'))
    .execute();
  // The filing check: an organization's limits not lifted, by end.
  await db.schema
    .createIndex('support_limits_org_idx')
    .on('support_limits')
    .columns(['organization_id', 'lifted_at', 'ends_at'])
    .execute();

  // Who did what, why and when, for every fair-use action (append-only).
  await db.schema
    .createTable('audit_log')
    .addColumn('id', 'text', (c) => c.primaryKey())
    .addColumn('organization_id', 'text', (c) => c.references('organizations.id').onDelete('cascade'))
    .addColumn('ticket_id', 'text', (c) => c.references('tickets.id').onDelete('set null'))
    .addColumn('actor_id', 'text', (c) => c.references('users.id').onDelete('set null'))
    .addColumn('action', 'text', (c) => c.notNull())
    .addColumn('reason', 'text')
    .addColumn('data', 'text', (c) => c.notNull())
    .addColumn('at', 'bigint', (c) => c.notNull())
    .execute();
  await db.schema
    .createIndex('audit_log_org_idx')
    .on('audit_log')
    .columns(['organization_id', 'at', 'id'])
    .execute();
  await db.schema.createIndex('audit_log_at_idx').on('audit_log').columns(['at', 'id']).execute();

  // What the public doors refused as likely spam, kept for staff to review: nothing is deleted silently.
  await db.schema
    .createTable('spam_items')
    .addColumn('id', 'text', (c) => c.primaryKey())
    // email | chat | helpcenter
    .addColumn('channel', 'text', (c) => c.notNull())
    // The address or sender it came from (an IP is kept hashed).
    .addColumn('source', 'text', (c) => c.notNull())
    .addColumn('summary', 'text', (c) => c.notNull())
    // JSON: what is needed to let it through (the mail's id, the chat's form …).
    .addColumn('payload', 'text', (c) => c.notNull())
    .addColumn('reason', 'text', (c) => c.notNull())
    .addColumn('created_at', 'bigint', (c) => c.notNull())
    // released | discarded
    .addColumn('outcome', 'text')
    .addColumn('reviewed_by', 'text', (c) => c.references('users.id').onDelete('set null'))
    .addColumn('reviewed_at', 'bigint')
    .execute();
  await db.schema
    .createIndex('spam_items_review_idx')
    .on('spam_items')
    .columns(['reviewed_at', 'created_at', 'id'])
    .execute();

  // A new ticket is compared with its organization's recently resolved ones (a repeat of a resolved
  // incident): the latest resolved or closed tickets of one organization, newest first.
  await db.schema
    .createIndex('tickets_org_done_idx')
    .on('tickets')
    .column('organization_id')
    .expression(sql`coalesce(resolved_at, closed_at)`)
    .execute();
  // The open-ticket cap of a support limit: one organization's tickets by status.
  await db.schema
    .createIndex('tickets_org_status_idx')
    .on('tickets')
    .columns(['organization_id', 'status'])
    .execute();
}

export async function down(db: Kysely<unknown>): Promise<void> {
  await db.schema.dropIndex('tickets_org_status_idx').execute();
  await db.schema.dropIndex('tickets_org_done_idx').execute();
  for (const table of [
    'spam_items',
    'audit_log',
    'support_limits',
    'ticket_exclusions',
    'ticket_off_topic',
    'fairuse_dismissals',
    'fairuse_signals',
  ])
    await db.schema.dropTable(table).execute();
}
