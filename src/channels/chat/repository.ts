import { sql, type Kysely, type Transaction } from 'kysely';
import type { DialectName } from '../../db/database.js';
import type { ChatAttachmentRow, ChatConversationRow, ChatMessageRow, Database } from '../../db/tables.js';
import type { ChatSide } from './model.js';

type Executor = Kysely<Database> | Transaction<Database>;

export type ConversationView = ChatConversationRow & {
  organization_name: string | null;
  agent_name: string | null;
  ticket_number: number | null;
};

export type MessageView = ChatMessageRow & {
  attachment_filename: string | null;
  attachment_content_type: string | null;
  attachment_size: number | null;
};

export interface AgentPresenceRow {
  agent_id: string;
  name: string;
  status: 'online' | 'away' | 'offline';
  capacity: number;
  last_seen_at: number;
  active_chats: number;
}

/** An agent who never set a capacity takes this many chats at once. */
export const DEFAULT_CAPACITY = 3;

/** Conversations, messages, files and presence of live chat: all its I/O (canned replies are macros). */
export class ChatRepository {
  constructor(
    readonly db: Executor,
    readonly dialect: DialectName,
  ) {}

  /** The role a user writes in (agent, lead, admin; contact, member). */
  async userRole(userId: string): Promise<string | undefined> {
    const row = await this.db.selectFrom('users').select('role').where('id', '=', userId).executeTakeFirst();
    return row?.role;
  }

  withExecutor(executor: Executor) {
    return new ChatRepository(executor, this.dialect);
  }

  transaction<T>(work: (repo: ChatRepository, trx: Transaction<Database>) => Promise<T>): Promise<T> {
    if (!('transaction' in this.db) || typeof this.db.transaction !== 'function')
      throw new Error('already inside a transaction');
    return (this.db as Kysely<Database>)
      .transaction()
      .execute((trx) => work(new ChatRepository(trx, this.dialect), trx));
  }

  // Conversations

  async insertConversation(row: ChatConversationRow) {
    await this.db.insertInto('chat_conversations').values(row).execute();
  }

  private conversations() {
    return this.db
      .selectFrom('chat_conversations as c')
      .leftJoin('organizations as o', 'o.id', 'c.organization_id')
      .leftJoin('users as a', 'a.id', 'c.agent_id')
      .leftJoin('tickets as t', 't.id', 'c.ticket_id')
      .selectAll('c')
      .select(['o.name as organization_name', 'a.name as agent_name', 't.number as ticket_number']);
  }

  findConversation(id: string): Promise<ConversationView | undefined> {
    return this.conversations().where('c.id', '=', id).executeTakeFirst();
  }

  /** The conversations waiting, in the order agents should take them. */
  queued(limit: number): Promise<ConversationView[]> {
    return this.conversations()
      .where('c.status', '=', 'queued')
      .orderBy('c.queue_rank')
      .orderBy('c.created_at')
      .orderBy('c.id')
      .limit(limit)
      .execute();
  }

  async queuedIds(limit: number): Promise<string[]> {
    const rows = await this.db
      .selectFrom('chat_conversations')
      .select('id')
      .where('status', '=', 'queued')
      .orderBy('queue_rank')
      .orderBy('created_at')
      .orderBy('id')
      .limit(limit)
      .execute();
    return rows.map((r) => r.id);
  }

  async queueLength(): Promise<number> {
    const row = await this.db
      .selectFrom('chat_conversations')
      .select((eb) => eb.fn.countAll<number>().as('n'))
      .where('status', '=', 'queued')
      .executeTakeFirstOrThrow();
    return Number(row.n);
  }

  /** 1 for the conversation that is served next. */
  async queuePosition(c: Pick<ChatConversationRow, 'id' | 'queue_rank' | 'created_at'>): Promise<number> {
    const row = await this.db
      .selectFrom('chat_conversations')
      .select((eb) => eb.fn.countAll<number>().as('n'))
      .where('status', '=', 'queued')
      .where((eb) =>
        eb.or([
          eb('queue_rank', '<', c.queue_rank),
          eb.and([
            eb('queue_rank', '=', c.queue_rank),
            eb.or([
              eb('created_at', '<', c.created_at),
              eb.and([eb('created_at', '=', c.created_at), eb('id', '<', c.id)]),
            ]),
          ]),
        ]),
      )
      .executeTakeFirstOrThrow();
    return Number(row.n) + 1;
  }

  activeFor(agentId: string): Promise<ConversationView[]> {
    return this.conversations()
      .where('c.agent_id', '=', agentId)
      .where('c.status', '=', 'active')
      .orderBy('c.accepted_at')
      .limit(100)
      .execute();
  }

  /** Takes a waiting conversation; false when someone else took it first or it ended. */
  async accept(id: string, agentId: string, at: number): Promise<boolean> {
    const result = await this.db
      .updateTable('chat_conversations')
      .set({ status: 'active', agent_id: agentId, accepted_at: at })
      .where('id', '=', id)
      .where('status', '=', 'queued')
      .executeTakeFirst();
    return Number(result.numUpdatedRows) === 1;
  }

  async transfer(id: string, fromAgentId: string | null, toAgentId: string): Promise<boolean> {
    let query = this.db
      .updateTable('chat_conversations')
      .set({ agent_id: toAgentId })
      .where('id', '=', id)
      .where('status', '=', 'active');
    if (fromAgentId) query = query.where('agent_id', '=', fromAgentId);
    const result = await query.executeTakeFirst();
    return Number(result.numUpdatedRows) === 1;
  }

  async end(id: string, at: number): Promise<boolean> {
    const result = await this.db
      .updateTable('chat_conversations')
      .set({ status: 'ended', ended_at: at })
      .where('id', '=', id)
      .where('status', '!=', 'ended')
      .executeTakeFirst();
    return Number(result.numUpdatedRows) === 1;
  }

  async setTicket(id: string, ticketId: string): Promise<boolean> {
    const result = await this.db
      .updateTable('chat_conversations')
      .set({ ticket_id: ticketId })
      .where('id', '=', id)
      .where('ticket_id', 'is', null)
      .executeTakeFirst();
    return Number(result.numUpdatedRows) === 1;
  }

  async markTranscriptSent(id: string, at: number): Promise<boolean> {
    const result = await this.db
      .updateTable('chat_conversations')
      .set({ transcript_sent_at: at })
      .where('id', '=', id)
      .where('transcript_sent_at', 'is', null)
      .executeTakeFirst();
    return Number(result.numUpdatedRows) === 1;
  }

  /** The visitors of these conversations are connected now. */
  async touchVisitors(ids: string[], now: number) {
    if (ids.length === 0) return;
    await this.db
      .updateTable('chat_conversations')
      .set({ visitor_seen_at: now })
      .where('id', 'in', ids)
      .where('status', '!=', 'ended')
      .execute();
  }

  /** Waiting conversations whose visitor has not been connected since an instant. */
  async abandoned(seenBefore: number, limit: number): Promise<string[]> {
    const rows = await this.db
      .selectFrom('chat_conversations')
      .select('id')
      .where('status', '=', 'queued')
      .where('visitor_seen_at', '<', seenBefore)
      .orderBy('visitor_seen_at')
      .limit(limit)
      .execute();
    return rows.map((r) => r.id);
  }

  /** Conversations started from one address since an instant (the start rate limit). */
  async startsSince(clientKey: string, since: number): Promise<number> {
    const row = await this.db
      .selectFrom('chat_conversations')
      .select((eb) => eb.fn.countAll<number>().as('n'))
      .where('client_key', '=', clientKey)
      .where('created_at', '>=', since)
      .executeTakeFirstOrThrow();
    return Number(row.n);
  }

  /** Raises a side's receipt marks (never lowers them) up to the conversation's last message. */
  async raiseReceipt(id: string, side: ChatSide, deliveredSeq: number, seenSeq: number): Promise<boolean> {
    const delivered = side === 'visitor' ? 'visitor_delivered_seq' : 'agent_delivered_seq';
    const seen = side === 'visitor' ? 'visitor_seen_seq' : 'agent_seen_seq';
    const result = await this.db
      .updateTable('chat_conversations')
      .set({
        [delivered]: sql<number>`case when ${sql.ref(delivered)} < ${deliveredSeq} then ${deliveredSeq} else ${sql.ref(delivered)} end`,
        [seen]: sql<number>`case when ${sql.ref(seen)} < ${seenSeq} then ${seenSeq} else ${sql.ref(seen)} end`,
      })
      .where('id', '=', id)
      .where((eb) => eb.or([eb(delivered, '<', deliveredSeq), eb(seen, '<', seenSeq)]))
      .executeTakeFirst();
    return Number(result.numUpdatedRows) === 1;
  }

  // Messages

  /** The next message number of a conversation that has not ended; undefined once it has. */
  async nextSeq(id: string): Promise<number | undefined> {
    const row = await this.db
      .updateTable('chat_conversations')
      .set({ last_seq: sql<number>`last_seq + 1` })
      .where('id', '=', id)
      .where('status', '!=', 'ended')
      .returning('last_seq')
      .executeTakeFirst();
    return row ? Number(row.last_seq) : undefined;
  }

  /** The next number even after the end: the closing system message and the transcript's last lines. */
  async nextSeqAlways(id: string): Promise<number> {
    const row = await this.db
      .updateTable('chat_conversations')
      .set({ last_seq: sql<number>`last_seq + 1` })
      .where('id', '=', id)
      .returning('last_seq')
      .executeTakeFirstOrThrow();
    return Number(row.last_seq);
  }

  async insertMessage(row: ChatMessageRow) {
    await this.db.insertInto('chat_messages').values(row).execute();
  }

  async setFirstAgentMessage(id: string, at: number) {
    await this.db
      .updateTable('chat_conversations')
      .set({ first_agent_message_at: at })
      .where('id', '=', id)
      .where('first_agent_message_at', 'is', null)
      .execute();
  }

  private messages() {
    return this.db
      .selectFrom('chat_messages as m')
      .leftJoin('chat_attachments as f', 'f.id', 'm.attachment_id')
      .selectAll('m')
      .select([
        'f.filename as attachment_filename',
        'f.content_type as attachment_content_type',
        'f.size as attachment_size',
      ]);
  }

  findByClientId(conversationId: string, clientId: string): Promise<MessageView | undefined> {
    return this.messages()
      .where('m.conversation_id', '=', conversationId)
      .where('m.client_id', '=', clientId)
      .executeTakeFirst();
  }

  messageBySeq(conversationId: string, seq: number): Promise<MessageView | undefined> {
    return this.messages()
      .where('m.conversation_id', '=', conversationId)
      .where('m.seq', '=', seq)
      .executeTakeFirst();
  }

  messagesAfter(conversationId: string, after: number, limit: number): Promise<MessageView[]> {
    return this.messages()
      .where('m.conversation_id', '=', conversationId)
      .where('m.seq', '>', after)
      .orderBy('m.seq')
      .limit(limit)
      .execute();
  }

  // Files

  async insertAttachment(row: ChatAttachmentRow) {
    await this.db.insertInto('chat_attachments').values(row).execute();
  }

  findAttachment(conversationId: string, id: string): Promise<ChatAttachmentRow | undefined> {
    return this.db
      .selectFrom('chat_attachments')
      .selectAll()
      .where('id', '=', id)
      .where('conversation_id', '=', conversationId)
      .executeTakeFirst();
  }

  // Presence

  async presenceOf(agentId: string): Promise<AgentPresenceRow | undefined> {
    const row = await this.presence().where('u.id', '=', agentId).executeTakeFirst();
    return row ? { ...row, active_chats: Number(row.active_chats ?? 0) } : undefined;
  }

  private presence() {
    return this.db
      .selectFrom('users as u')
      .leftJoin('chat_agents as p', 'p.agent_id', 'u.id')
      .select((eb) => [
        'u.id as agent_id',
        'u.name',
        eb.fn.coalesce('p.status', sql.lit('offline')).$castTo<'online' | 'away' | 'offline'>().as('status'),
        eb.fn.coalesce('p.capacity', sql.lit(DEFAULT_CAPACITY)).$castTo<number>().as('capacity'),
        eb.fn.coalesce('p.last_seen_at', sql.lit(0)).$castTo<number>().as('last_seen_at'),
        eb
          .selectFrom('chat_conversations as c')
          .select((e) => e.fn.countAll<number>().as('n'))
          .whereRef('c.agent_id', '=', 'u.id')
          .where('c.status', '=', 'active')
          .as('active_chats'),
      ]);
  }

  /** Agents online or away whose console was seen since an instant. */
  async agentsPresent(seenSince: number): Promise<AgentPresenceRow[]> {
    const rows = await this.presence()
      .where('p.status', 'in', ['online', 'away'])
      .where('p.last_seen_at', '>=', seenSince)
      .orderBy('u.name')
      .limit(200)
      .execute();
    return rows.map((r) => ({ ...r, active_chats: Number(r.active_chats ?? 0) }));
  }

  async onlineCount(seenSince: number): Promise<number> {
    const row = await this.db
      .selectFrom('chat_agents')
      .select((eb) => eb.fn.countAll<number>().as('n'))
      .where('status', '=', 'online')
      .where('last_seen_at', '>=', seenSince)
      .executeTakeFirstOrThrow();
    return Number(row.n);
  }

  async setPresence(agentId: string, status: 'online' | 'away' | 'offline', capacity: number, now: number) {
    await this.db
      .insertInto('chat_agents')
      .values({ agent_id: agentId, status, capacity, last_seen_at: now, updated_at: now })
      .onConflict((oc) =>
        oc.column('agent_id').doUpdateSet({ status, capacity, last_seen_at: now, updated_at: now }),
      )
      .execute();
  }

  /** The consoles of these agents are connected now. */
  async touch(agentIds: string[], now: number) {
    if (agentIds.length === 0) return;
    await this.db
      .updateTable('chat_agents')
      .set({ last_seen_at: now })
      .where('agent_id', 'in', agentIds)
      .execute();
  }
}
