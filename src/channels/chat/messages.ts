import type { ChatMessageRow } from '../../db/tables.js';
import { newId } from '../../shared/ids.js';
import type { ChatRepository } from './repository.js';

export interface NewChatMessage {
  clientId: string | null;
  authorKind: ChatMessageRow['author_kind'];
  authorId: string | null;
  authorName: string;
  body: string;
  attachmentId: string | null;
}

/**
 * Stores a message under the conversation's next number, inside the caller's transaction.
 * Undefined when the conversation has ended (only system messages are written after the end).
 */
export async function appendMessage(
  repo: ChatRepository,
  conversationId: string,
  message: NewChatMessage,
  at: number,
): Promise<ChatMessageRow | undefined> {
  const seq =
    message.authorKind === 'system'
      ? await repo.nextSeqAlways(conversationId)
      : await repo.nextSeq(conversationId);
  if (seq === undefined) return undefined;
  const row: ChatMessageRow = {
    id: newId(),
    conversation_id: conversationId,
    seq,
    client_id: message.clientId,
    author_kind: message.authorKind,
    author_id: message.authorId,
    author_name: message.authorName,
    body: message.body,
    attachment_id: message.attachmentId,
    created_at: at,
  };
  await repo.insertMessage(row);
  if (message.authorKind === 'agent') await repo.setFirstAgentMessage(conversationId, at);
  return row;
}

/** A line the desk writes in the chat itself (joined, transferred, ended …). */
export const systemMessage = (body: string): NewChatMessage => ({
  clientId: null,
  authorKind: 'system',
  authorId: null,
  authorName: 'Accord',
  body,
  attachmentId: null,
});
