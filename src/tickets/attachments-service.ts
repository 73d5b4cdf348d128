import { createHash } from 'node:crypto';
import { checkContent, cleanFilename } from '../attachments/content-type.js';
import type { AttachmentStore } from '../attachments/store.js';
import { isStaff, type Principal } from '../auth/principal.js';
import { newId } from '../shared/ids.js';
import { Problem, badRequest, conflict, notFound } from '../shared/problem.js';
import type { Clock } from '../shared/time.js';
import { presentAttachment } from './presenters.js';
import type { TicketLedger } from './ledger.js';
import type { TicketsRepository } from './repository.js';
import { canSeeTicket, visibleTicket } from './visibility.js';

export interface UploadedFile {
  filename: string;
  declaredType: string;
  data: Buffer;
  messageId?: string | undefined;
}

export interface TicketAttachmentsDeps {
  tickets: TicketsRepository;
  ledger: TicketLedger;
  attachments: AttachmentStore;
  clock: Clock;
  maxAttachmentBytes: number;
}

/**
 * Files on tickets: typed by their bytes, stored behind the attachment store, and visible to whoever
 * may see the ticket (and, for a file on an internal note, to staff only).
 */
export class TicketAttachmentsService {
  constructor(private readonly deps: TicketAttachmentsDeps) {}

  async addAttachment(actor: Principal, ticketId: string, file: UploadedFile) {
    const ticket = await visibleTicket(this.deps.tickets, actor, ticketId);
    if (ticket.status === 'closed')
      throw conflict('ticket-closed', 'This ticket is closed; open a new ticket instead.');
    if (file.data.length === 0)
      throw badRequest('The file is empty.', [{ field: 'file', message: 'empty file' }]);
    if (file.data.length > this.deps.maxAttachmentBytes) {
      throw new Problem(
        413,
        'Content Too Large',
        `Attachments are limited to ${this.deps.maxAttachmentBytes} bytes.`,
      );
    }
    // A file on an internal note is internal too, in the event log as in the attachment list.
    let visibility: 'public' | 'internal' = 'public';
    if (file.messageId) {
      const message = await this.deps.tickets.findMessage(file.messageId);
      if (
        !message ||
        message.ticket_id !== ticketId ||
        (message.visibility !== 'public' && !isStaff(actor))
      ) {
        throw notFound('The message');
      }
      visibility = message.visibility === 'internal' ? 'internal' : 'public';
    }
    const filename = cleanFilename(file.filename);
    const check = await checkContent(file.data, file.declaredType, filename);
    if (!check.ok)
      throw new Problem(415, 'Unsupported Media Type', `This attachment was refused: ${check.reason}.`);
    const id = newId();
    const storageKey = `${id.slice(-2)}/${id}`;
    const now = this.deps.clock();
    await this.deps.attachments.put(storageKey, file.data);
    const row = {
      id,
      ticket_id: ticketId,
      message_id: file.messageId ?? null,
      filename,
      content_type: check.contentType,
      size: file.data.length,
      sha256: createHash('sha256').update(file.data).digest('hex'),
      storage_key: storageKey,
      uploaded_by_id: actor.userId,
      created_at: now,
    };
    try {
      await this.deps.ledger.transaction(async (tx) => {
        const locked = await tx.lock(ticketId);
        if (!locked || locked.status === 'closed')
          throw conflict('ticket-closed', 'This ticket is closed; open a new ticket instead.');
        await tx.addAttachment(locked, row, visibility);
      });
    } catch (error) {
      await this.deps.attachments.delete(storageKey);
      throw error;
    }
    return presentAttachment(row);
  }

  async listAttachments(actor: Principal, ticketId: string) {
    await visibleTicket(this.deps.tickets, actor, ticketId);
    return (await this.deps.tickets.listAttachments(ticketId, !isStaff(actor))).map(presentAttachment);
  }

  /** The attachment's metadata and bytes, if the actor may see its ticket (and its note, for internal ones). */
  async openAttachment(actor: Principal, attachmentId: string) {
    const attachment = await this.deps.tickets.findAttachment(attachmentId);
    if (!attachment) throw notFound('The attachment');
    const ticket = await this.deps.tickets.findTicket(attachment.ticket_id);
    if (!ticket || !canSeeTicket(actor, ticket)) throw notFound('The attachment');
    if (!isStaff(actor) && attachment.message_visibility === 'internal') throw notFound('The attachment');
    return {
      attachment: presentAttachment(attachment),
      stream: await this.deps.attachments.get(attachment.storage_key),
    };
  }
}
