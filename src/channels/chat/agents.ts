import { isStaff, type Principal } from '../../auth/principal.js';
import { mailT } from '../../notifications/mail-text.js';
import { conflict, forbidden, notFound } from '../../shared/problem.js';
import type { Clock } from '../../shared/time.js';
import { appendMessage, systemMessage } from './messages.js';
import { presentConversation, presentMessage } from './presenters.js';
import type { ChatPublisher } from './publisher.js';
import { DEFAULT_CAPACITY, type AgentPresenceRow, type ChatRepository } from './repository.js';
import { PRESENCE_WINDOW_MS } from './availability.js';

export type PresenceStatus = 'online' | 'away' | 'offline';

export interface ChatAgentsDeps {
  repo: ChatRepository;
  publisher: ChatPublisher;
  clock: Clock;
}

const QUEUE_PAGE = 100;

const presentPresence = (p: AgentPresenceRow) => ({
  agentId: p.agent_id,
  name: p.name,
  status: p.status,
  capacity: Number(p.capacity),
  activeChats: Number(p.active_chats),
});

/**
 * The agents' side of live chat: presence and capacity, the queue (tier, then priority, then the
 * longest wait), taking a chat and handing it to a colleague.
 */
export class ChatAgents {
  constructor(private readonly deps: ChatAgentsDeps) {}

  private staff(actor: Principal) {
    if (!isStaff(actor)) throw forbidden('Live chat is answered by staff.');
  }

  async queue(actor: Principal) {
    this.staff(actor);
    const { repo, clock } = this.deps;
    const now = clock();
    await repo.touch([actor.userId], now);
    const [queued, mine, presence, agents] = await Promise.all([
      repo.queued(QUEUE_PAGE),
      repo.activeFor(actor.userId),
      repo.presenceOf(actor.userId),
      repo.agentsPresent(now - PRESENCE_WINDOW_MS),
    ]);
    return {
      // The list is the queue itself: a conversation's place is its index.
      queued: queued.map((c, i) => presentConversation(c, i + 1)),
      mine: mine.map((c) => presentConversation(c, null)),
      presence: presentPresence(presence!),
      agents: agents.map(presentPresence),
    };
  }

  async setPresence(actor: Principal, status: PresenceStatus, capacity: number | undefined) {
    this.staff(actor);
    const { repo, clock, publisher } = this.deps;
    const current = await repo.presenceOf(actor.userId);
    await repo.setPresence(actor.userId, status, capacity ?? current?.capacity ?? DEFAULT_CAPACITY, clock());
    await publisher.queue('presence', undefined, actor.userId);
    return presentPresence((await repo.presenceOf(actor.userId))!);
  }

  /** Consoles connected to this process: their agents stay present. */
  async touch(agentIds: string[]) {
    await this.deps.repo.touch(agentIds, this.deps.clock());
  }

  async accept(actor: Principal, id: string) {
    this.staff(actor);
    const { repo, clock, publisher } = this.deps;
    const conversation = await repo.findConversation(id);
    if (!conversation) throw notFound('The conversation');
    if (conversation.status !== 'queued')
      throw conflict(
        'chat-taken',
        conversation.status === 'ended'
          ? 'This chat has ended.'
          : 'Another agent has already taken this chat.',
      );
    await this.assertRoom(actor.userId, 'You are at your chat capacity; end a chat or raise your capacity.');
    const now = clock();
    const t = mailT(conversation.locale === 'fr' ? 'fr' : 'en');
    const joined = await repo.transaction(async (trx) => {
      if (!(await trx.accept(id, actor.userId, now)))
        throw conflict('chat-taken', 'Another agent has already taken this chat.');
      const row = await appendMessage(trx, id, systemMessage(t('chat.joined', { name: actor.name })), now);
      return (await trx.messageBySeq(id, row!.seq))!;
    });
    publisher.message(id, presentMessage(joined));
    const out = (await publisher.conversation(id))!;
    await publisher.queue('accepted', id, actor.userId);
    return out;
  }

  async transfer(actor: Principal, id: string, toAgentId: string) {
    this.staff(actor);
    const { repo, clock, publisher } = this.deps;
    const conversation = await repo.findConversation(id);
    if (!conversation) throw notFound('The conversation');
    if (conversation.status !== 'active')
      throw conflict('chat-not-active', 'Only a chat in progress can be transferred.');
    if (conversation.agent_id !== actor.userId && actor.role === 'agent')
      throw conflict('chat-not-yours', 'Only the agent in the chat (or a lead) can transfer it.');
    const now = clock();
    const target = await repo.presenceOf(toAgentId);
    if (!target || target.agent_id === conversation.agent_id) throw notFound('The agent');
    if (target.status !== 'online' || target.last_seen_at < now - PRESENCE_WINDOW_MS)
      throw conflict('agent-unavailable', `${target.name} is not online.`);
    if (target.active_chats >= target.capacity)
      throw conflict('agent-at-capacity', `${target.name} is at their chat capacity.`);
    const t = mailT(conversation.locale === 'fr' ? 'fr' : 'en');
    const note = await repo.transaction(async (trx) => {
      if (!(await trx.transfer(id, conversation.agent_id, toAgentId)))
        throw conflict('chat-taken', 'The chat changed hands meanwhile; reload it.');
      const row = await appendMessage(
        trx,
        id,
        systemMessage(
          t('chat.transferred', { from: conversation.agent_name ?? actor.name, to: target.name }),
        ),
        now,
      );
      return (await trx.messageBySeq(id, row!.seq))!;
    });
    publisher.message(id, presentMessage(note));
    const out = (await publisher.conversation(id))!;
    await publisher.queue('transferred', id, toAgentId);
    return out;
  }

  private async assertRoom(agentId: string, message: string) {
    const presence = await this.deps.repo.presenceOf(agentId);
    if (!presence) throw notFound('The agent');
    if (presence.active_chats >= presence.capacity) throw conflict('chat-capacity', message);
  }
}
