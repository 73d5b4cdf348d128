import { sql, type Kysely } from 'kysely';

/**
 * Macros: saved actions for a ticket (a reply in English and French with placeholders, and optional
 * status, priority with its reason, assignee and tags), personal to their owner or shared by the
 * team. The chat's canned replies become shared macros with a text only, in the language they were
 * written for (both, when they had none), and live on in this one library.
 */
export async function up(db: Kysely<unknown>): Promise<void> {
  await db.schema
    .createTable('macros')
    .addColumn('id', 'text', (c) => c.primaryKey())
    // null: shared with the whole team; otherwise the one agent who sees and uses it.
    .addColumn('owner_id', 'text', (c) => c.references('users.id').onDelete('cascade'))
    .addColumn('title', 'text', (c) => c.notNull())
    .addColumn('body_en', 'text')
    .addColumn('body_fr', 'text')
    // public: a reply to the requester; internal: a note for staff.
    .addColumn('visibility', 'text', (c) => c.notNull().defaultTo('public'))
    .addColumn('status', 'text')
    .addColumn('priority', 'text')
    .addColumn('priority_reason', 'text')
    .addColumn('assignee_id', 'text', (c) => c.references('users.id').onDelete('set null'))
    // JSON array of normalized tags the macro adds.
    .addColumn('tags', 'text', (c) => c.notNull().defaultTo('[]'))
    .addColumn('created_by_id', 'text', (c) => c.references('users.id').onDelete('set null'))
    .addColumn('created_at', 'bigint', (c) => c.notNull())
    .addColumn('updated_at', 'bigint', (c) => c.notNull())
    .execute();
  await db.schema.createIndex('macros_owner_idx').on('macros').columns(['owner_id', 'title']).execute();

  await sql`
    insert into macros (id, owner_id, title, body_en, body_fr, visibility, tags, created_by_id, created_at, updated_at)
    select id, null, title,
      case when locale is null or locale = 'en' then body end,
      case when locale is null or locale = 'fr' then body end,
      'public', '[]', created_by, created_at, updated_at
    from chat_canned_replies
  `.execute(db);
  await db.schema.dropTable('chat_canned_replies').execute();
}

export async function down(db: Kysely<unknown>): Promise<void> {
  await db.schema
    .createTable('chat_canned_replies')
    .addColumn('id', 'text', (c) => c.primaryKey())
    .addColumn('title', 'text', (c) => c.notNull())
    .addColumn('body', 'text', (c) => c.notNull())
    .addColumn('locale', 'text')
    .addColumn('created_by', 'text', (c) => c.references('users.id').onDelete('set null'))
    .addColumn('created_at', 'bigint', (c) => c.notNull())
    .addColumn('updated_at', 'bigint', (c) => c.notNull())
    .execute();
  // Shared macros with a text only go back to being canned replies; the others are dropped.
  await sql`
    insert into chat_canned_replies (id, title, body, locale, created_by, created_at, updated_at)
    select id, title, coalesce(body_en, body_fr),
      case when body_en is null then 'fr' when body_fr is null then 'en' end,
      created_by_id, created_at, updated_at
    from macros
    where owner_id is null and status is null and priority is null and assignee_id is null
      and tags = '[]' and (body_en is not null or body_fr is not null)
  `.execute(db);
  await db.schema.dropTable('macros').execute();
}
