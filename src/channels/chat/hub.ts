import type { Broadcast } from '../../live/broadcast.js';
import type { ChatAgents } from './agents.js';
import type { ChatEvent, ChatSide, ServerFrame } from './model.js';
import { presentConversation, presentMessage, visitorFrame, visitorView } from './presenters.js';
import type { ChatRepository } from './repository.js';
import type { ChatService } from './service.js';

/** One open connection (a socket or a waiting long poll) of this process. */
export interface ChatSubscriber {
  /** Unique per connection: a typing signal is not echoed to the connection it came from. */
  id: string;
  side: ChatSide;
  send(frame: ServerFrame): void;
}

export interface HubLogger {
  warn(obj: unknown, message: string): void;
}

const PRESENCE_TOUCH_MS = 30_000;

/**
 * The chat connections held by this server process, and the delivery of every chat event (from this
 * process or another, through the broadcast) to the connections it concerns.
 */
export class ChatHub {
  private readonly byConversation = new Map<string, Set<ChatSubscriber>>();
  /** Staff connections, by agent: they hear the queue move, and keep their agent present. */
  private readonly staff = new Map<ChatSubscriber, string>();
  private unsubscribe: (() => void) | undefined;
  private timer: ReturnType<typeof setInterval> | undefined;
  private log: HubLogger = { warn: () => undefined };

  constructor(
    private readonly events: Broadcast<ChatEvent>,
    private readonly repo: ChatRepository,
    private readonly agents: ChatAgents,
    private readonly presence: Pick<ChatService, 'touchVisitors' | 'endAbandoned'>,
  ) {}

  start(log?: HubLogger) {
    if (log) this.log = log;
    this.unsubscribe ??= this.events.subscribe((event) => {
      this.deliver(event).catch((error: unknown) =>
        this.log.warn({ err: error }, 'chat: could not deliver an event'),
      );
    });
    this.timer ??= setInterval(() => void this.keepPresence(), PRESENCE_TOUCH_MS);
    this.timer.unref();
  }

  /** Agents and visitors connected here stay present; chats whose visitor went away end. */
  private async keepPresence() {
    try {
      await this.agents.touch([...new Set(this.staff.values())]);
      const visitors = [...this.byConversation.entries()]
        .filter(([, set]) => [...set].some((s) => s.side === 'visitor'))
        .map(([id]) => id);
      for (let i = 0; i < visitors.length; i += 500)
        await this.presence.touchVisitors(visitors.slice(i, i + 500));
      await this.presence.endAbandoned();
    } catch (error) {
      this.log.warn({ err: error }, 'chat: presence not kept');
    }
  }

  stop() {
    this.unsubscribe?.();
    this.unsubscribe = undefined;
    if (this.timer) clearInterval(this.timer);
    this.timer = undefined;
  }

  /** Connections open now: sockets, long polls and staff consoles. */
  get connectionCount() {
    let n = this.staff.size;
    for (const set of this.byConversation.values()) n += set.size;
    return n;
  }

  join(conversationId: string, subscriber: ChatSubscriber) {
    let set = this.byConversation.get(conversationId);
    if (!set) {
      set = new Set();
      this.byConversation.set(conversationId, set);
    }
    set.add(subscriber);
  }

  leave(conversationId: string, subscriber: ChatSubscriber) {
    const set = this.byConversation.get(conversationId);
    if (!set) return;
    set.delete(subscriber);
    if (set.size === 0) this.byConversation.delete(conversationId);
  }

  addStaff(subscriber: ChatSubscriber, agentId: string) {
    this.staff.set(subscriber, agentId);
  }

  removeStaff(subscriber: ChatSubscriber) {
    this.staff.delete(subscriber);
  }

  private async deliver(event: ChatEvent) {
    switch (event.kind) {
      case 'frame': {
        const set = this.byConversation.get(event.conversationId);
        if (!set) return;
        for (const s of set)
          if (s.id !== event.origin) s.send(s.side === 'visitor' ? visitorFrame(event.frame) : event.frame);
        return;
      }
      case 'message-ref': {
        if (!this.byConversation.has(event.conversationId)) return;
        const row = await this.repo.messageBySeq(event.conversationId, event.seq);
        if (!row) return;
        const frame: ServerFrame = {
          type: 'message',
          conversationId: event.conversationId,
          message: presentMessage(row),
        };
        for (const s of this.byConversation.get(event.conversationId) ?? []) s.send(frame);
        return;
      }
      case 'queue': {
        const frame: ServerFrame = {
          type: 'queue',
          reason: event.reason,
          ...(event.conversationId ? { conversationId: event.conversationId } : {}),
          ...(event.agentId ? { agentId: event.agentId } : {}),
        };
        for (const s of this.staff.keys()) s.send(frame);
        // Visitors waiting on this process hear their new place in line.
        for (const [index, id] of event.queued.entries()) {
          const visitors = [...(this.byConversation.get(id) ?? [])].filter((s) => s.side === 'visitor');
          if (visitors.length === 0) continue;
          const view = await this.repo.findConversation(id);
          if (!view) continue;
          const update: ServerFrame = {
            type: 'conversation',
            conversation: visitorView(presentConversation(view, index + 1)),
          };
          for (const s of visitors) s.send(update);
        }
        return;
      }
    }
  }
}
