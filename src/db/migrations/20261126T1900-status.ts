import type { Kysely } from 'kysely';

/**
 * The status page: components and their state history (for uptime), incidents and scheduled
 * maintenance with their timestamped updates, subscribers (email and webhook) and their deliveries,
 * and the tickets tied to an incident.
 */
export async function up(db: Kysely<unknown>): Promise<void> {
  await db.schema
    .createTable('status_components')
    .addColumn('id', 'text', (c) => c.primaryKey())
    .addColumn('group_name', 'text')
    .addColumn('name', 'text', (c) => c.notNull())
    .addColumn('description', 'text', (c) => c.notNull().defaultTo(''))
    .addColumn('position', 'integer', (c) => c.notNull().defaultTo(0))
    .addColumn('state', 'text', (c) => c.notNull())
    .addColumn('created_at', 'bigint', (c) => c.notNull())
    .addColumn('updated_at', 'bigint', (c) => c.notNull())
    .execute();

  // Every state a component has been in, from when: uptime is read from these intervals.
  await db.schema
    .createTable('status_component_states')
    .addColumn('id', 'text', (c) => c.primaryKey())
    .addColumn('component_id', 'text', (c) =>
      c.notNull().references('status_components.id').onDelete('cascade'),
    )
    .addColumn('state', 'text', (c) => c.notNull())
    .addColumn('from_at', 'bigint', (c) => c.notNull())
    .addColumn('incident_id', 'text')
    .execute();
  await db.schema
    .createIndex('status_component_states_idx')
    .on('status_component_states')
    .columns(['component_id', 'from_at'])
    .execute();

  await db.schema
    .createTable('status_incidents')
    .addColumn('id', 'text', (c) => c.primaryKey())
    // incident | maintenance
    .addColumn('kind', 'text', (c) => c.notNull())
    .addColumn('name', 'text', (c) => c.notNull())
    .addColumn('name_fr', 'text')
    // none | minor | major | critical | maintenance
    .addColumn('impact', 'text', (c) => c.notNull())
    // incident: investigating | identified | monitoring | resolved
    // maintenance: scheduled | in_progress | verifying | completed
    .addColumn('status', 'text', (c) => c.notNull())
    .addColumn('scheduled_for', 'bigint')
    .addColumn('scheduled_until', 'bigint')
    // Maintenance that starts and ends by itself at its scheduled times.
    .addColumn('auto_transition', 'integer', (c) => c.notNull().defaultTo(1))
    .addColumn('postmortem_md', 'text')
    .addColumn('postmortem_html', 'text')
    // The ticket an incident was opened from, if any.
    .addColumn('origin_ticket_id', 'text', (c) => c.references('tickets.id').onDelete('set null'))
    .addColumn('created_by', 'text', (c) => c.references('users.id').onDelete('set null'))
    .addColumn('created_at', 'bigint', (c) => c.notNull())
    .addColumn('updated_at', 'bigint', (c) => c.notNull())
    .addColumn('started_at', 'bigint')
    .addColumn('resolved_at', 'bigint')
    .execute();
  // The page's questions: what is open now (by kind), and the history newest first.
  await db.schema
    .createIndex('status_incidents_open_idx')
    .on('status_incidents')
    .columns(['kind', 'resolved_at', 'created_at'])
    .execute();
  // The history page: every incident, newest first.
  await db.schema
    .createIndex('status_incidents_history_idx')
    .on('status_incidents')
    .columns(['created_at', 'id'])
    .execute();
  // The maintenance runner's question: which scheduled windows start or end now.
  await db.schema
    .createIndex('status_incidents_schedule_idx')
    .on('status_incidents')
    .columns(['status', 'scheduled_for', 'scheduled_until'])
    .execute();

  await db.schema
    .createTable('status_incident_components')
    .addColumn('incident_id', 'text', (c) =>
      c.notNull().references('status_incidents.id').onDelete('cascade'),
    )
    .addColumn('component_id', 'text', (c) =>
      c.notNull().references('status_components.id').onDelete('cascade'),
    )
    // The state the incident puts the component in while it is open.
    .addColumn('state', 'text', (c) => c.notNull())
    .addPrimaryKeyConstraint('status_incident_components_pk', ['incident_id', 'component_id'])
    .execute();

  await db.schema
    .createTable('status_incident_updates')
    .addColumn('id', 'text', (c) => c.primaryKey())
    .addColumn('incident_id', 'text', (c) =>
      c.notNull().references('status_incidents.id').onDelete('cascade'),
    )
    .addColumn('status', 'text', (c) => c.notNull())
    .addColumn('body', 'text', (c) => c.notNull())
    .addColumn('body_fr', 'text')
    .addColumn('author_id', 'text', (c) => c.references('users.id').onDelete('set null'))
    .addColumn('created_at', 'bigint', (c) => c.notNull())
    .execute();
  await db.schema
    .createIndex('status_incident_updates_idx')
    .on('status_incident_updates')
    .columns(['incident_id', 'created_at'])
    .execute();
  // The Atom feed: the newest updates across incidents.
  await db.schema
    .createIndex('status_incident_updates_created_idx')
    .on('status_incident_updates')
    .columns(['created_at'])
    .execute();

  await db.schema
    .createTable('status_subscribers')
    .addColumn('id', 'text', (c) => c.primaryKey())
    // email | webhook
    .addColumn('kind', 'text', (c) => c.notNull())
    .addColumn('email', 'text')
    .addColumn('url', 'text')
    // HMAC key of a webhook's signatures.
    .addColumn('secret', 'text')
    .addColumn('locale', 'text', (c) => c.notNull().defaultTo('en'))
    // JSON array of component ids; null = every component.
    .addColumn('component_ids', 'text')
    // Double opt-in (email) and one-click unsubscribe: both by this token.
    .addColumn('token', 'text', (c) => c.notNull().unique())
    .addColumn('confirmed_at', 'bigint')
    .addColumn('unsubscribed_at', 'bigint')
    .addColumn('created_at', 'bigint', (c) => c.notNull())
    .execute();
  await db.schema
    .createIndex('status_subscribers_email_idx')
    .on('status_subscribers')
    .columns(['email'])
    .execute();
  // Notifying walks the confirmed subscribers in id order, a page at a time.
  await db.schema
    .createIndex('status_subscribers_active_idx')
    .on('status_subscribers')
    .columns(['confirmed_at', 'unsubscribed_at', 'id'])
    .execute();

  // One row per (subscriber, update): written once, so an update reaches a subscriber once.
  await db.schema
    .createTable('status_deliveries')
    .addColumn('id', 'text', (c) => c.primaryKey())
    .addColumn('subscriber_id', 'text', (c) =>
      c.notNull().references('status_subscribers.id').onDelete('cascade'),
    )
    .addColumn('update_id', 'text', (c) =>
      c.notNull().references('status_incident_updates.id').onDelete('cascade'),
    )
    // pending | sent | failed
    .addColumn('status', 'text', (c) => c.notNull())
    .addColumn('attempts', 'integer', (c) => c.notNull().defaultTo(0))
    .addColumn('next_attempt_at', 'bigint', (c) => c.notNull())
    .addColumn('locked_until', 'bigint')
    .addColumn('last_error', 'text')
    .addColumn('created_at', 'bigint', (c) => c.notNull())
    .addColumn('sent_at', 'bigint')
    .addUniqueConstraint('status_deliveries_once_key', ['subscriber_id', 'update_id'])
    .execute();
  await db.schema
    .createIndex('status_deliveries_due_idx')
    .on('status_deliveries')
    .columns(['status', 'next_attempt_at'])
    .execute();

  await db.schema
    .createTable('status_incident_tickets')
    .addColumn('incident_id', 'text', (c) =>
      c.notNull().references('status_incidents.id').onDelete('cascade'),
    )
    .addColumn('ticket_id', 'text', (c) => c.notNull().references('tickets.id').onDelete('cascade'))
    .addColumn('linked_by', 'text', (c) => c.references('users.id').onDelete('set null'))
    // manual | automatic (a ticket filed by an affected organization while the incident was open)
    .addColumn('how', 'text', (c) => c.notNull())
    .addColumn('at', 'bigint', (c) => c.notNull())
    .addPrimaryKeyConstraint('status_incident_tickets_pk', ['incident_id', 'ticket_id'])
    .execute();
  await db.schema
    .createIndex('status_incident_tickets_ticket_idx')
    .on('status_incident_tickets')
    .columns(['ticket_id'])
    .execute();

  // Proactive notices to organizations, kept on each organization's timeline.
  await db.schema
    .createTable('organization_notices')
    .addColumn('id', 'text', (c) => c.primaryKey())
    .addColumn('organization_id', 'text', (c) =>
      c.notNull().references('organizations.id').onDelete('cascade'),
    )
    .addColumn('incident_id', 'text', (c) => c.references('status_incidents.id').onDelete('set null'))
    .addColumn('subject', 'text', (c) => c.notNull())
    .addColumn('body', 'text', (c) => c.notNull())
    .addColumn('sent_by', 'text', (c) => c.references('users.id').onDelete('set null'))
    .addColumn('recipients', 'integer', (c) => c.notNull())
    .addColumn('at', 'bigint', (c) => c.notNull())
    .execute();
  await db.schema
    .createIndex('organization_notices_org_idx')
    .on('organization_notices')
    .columns(['organization_id', 'at'])
    .execute();
}

export async function down(db: Kysely<unknown>): Promise<void> {
  for (const table of [
    'organization_notices',
    'status_incident_tickets',
    'status_deliveries',
    'status_subscribers',
    'status_incident_updates',
    'status_incident_components',
    'status_incidents',
    'status_component_states',
    'status_components',
  ])
    await db.schema.dropTable(table).execute();
}
