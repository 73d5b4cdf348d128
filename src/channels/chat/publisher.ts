import type { Broadcast } from '../../live/broadcast.js';
import type { ChatConversationOut, ChatEvent, ChatMessageOut, QueueReason, ServerFrame } from './model.js';
import { presentConversation } from './presenters.js';
import type { ChatRepository, ConversationView } from './repository.js';

/** NOTIFY's payload limit is 8000 bytes; a frame larger than this travels as a reference. */
const MAX_EVENT_BYTES = 7000;
/** The visitors told their new place in line when the queue moves. */
const QUEUE_NOTICE_LIMIT = 200;

/** Announces what changed in chats to every server process, after the change is stored. */
export class ChatPublisher {
  constructor(
    private readonly events: Broadcast<ChatEvent>,
    private readonly repo: ChatRepository,
  ) {}

  message(conversationId: string, message: ChatMessageOut) {
    const event: ChatEvent = {
      kind: 'frame',
      conversationId,
      frame: { type: 'message', conversationId, message },
    };
    if (Buffer.byteLength(JSON.stringify(event)) > MAX_EVENT_BYTES)
      this.events.publish({ kind: 'message-ref', conversationId, seq: message.seq });
    else this.events.publish(event);
  }

  /** A frame for everyone in the conversation but the connection it came from. */
  frame(conversationId: string, frame: ServerFrame, origin?: string) {
    this.events.publish({ kind: 'frame', conversationId, frame, ...(origin ? { origin } : {}) });
  }

  async present(view: ConversationView): Promise<ChatConversationOut> {
    const position = view.status === 'queued' ? await this.repo.queuePosition(view) : null;
    return presentConversation(view, position);
  }

  /** The conversation as it is now, to its participants; returns it presented. */
  async conversation(id: string): Promise<ChatConversationOut | undefined> {
    const view = await this.repo.findConversation(id);
    if (!view) return undefined;
    const conversation = await this.present(view);
    this.frame(id, { type: 'conversation', conversation });
    return conversation;
  }

  async queue(reason: QueueReason, conversationId?: string, agentId?: string) {
    const queued = await this.repo.queuedIds(QUEUE_NOTICE_LIMIT);
    this.events.publish({
      kind: 'queue',
      reason,
      queued,
      ...(conversationId ? { conversationId } : {}),
      ...(agentId ? { agentId } : {}),
    });
  }
}
