import type { Transaction } from 'kysely';
import type { Database } from '../../db/tables.js';
import { instantText, mailT } from '../../notifications/mail-text.js';
import { newMessageId, type OutboxRepository } from '../../notifications/outbox.js';
import type { ChatRepository } from './repository.js';

export interface ChatTranscriptsDeps {
  outbox: OutboxRepository;
  supportEmail: string;
  vendorName: () => Promise<string>;
  /** The support time zone the transcript's times are written in. */
  timeZoneAt: (at: number) => Promise<string>;
}

export interface TranscriptContext {
  zone: string;
  vendor: string;
}

/** The most messages a transcript mail lists; a longer chat says where the rest is kept. */
const MAX_LINES = 2000;

/** The transcript of a chat, mailed once to the visitor through the outbox (kept until delivered). */
export class ChatTranscripts {
  constructor(private readonly deps: ChatTranscriptsDeps) {}

  /** What a transcript is written with, read before the transaction that queues it. */
  async context(now: number): Promise<TranscriptContext> {
    const [zone, vendor] = await Promise.all([this.deps.timeZoneAt(now), this.deps.vendorName()]);
    return { zone, vendor };
  }

  /** Queues the transcript inside the caller's transaction; a second request sends nothing more. */
  async queue(
    trx: Transaction<Database>,
    repo: ChatRepository,
    conversationId: string,
    now: number,
    { zone, vendor }: TranscriptContext,
  ) {
    if (!(await repo.markTranscriptSent(conversationId, now))) return;
    const conversation = (await repo.findConversation(conversationId))!;
    const locale = conversation.locale === 'fr' ? 'fr' : 'en';
    const t = mailT(locale);
    const messages = await repo.messagesAfter(conversationId, 0, MAX_LINES);
    const time = new Intl.DateTimeFormat(locale === 'fr' ? 'fr-FR' : 'en-US', {
      timeZone: zone,
      hour: '2-digit',
      minute: '2-digit',
    });
    const lines = messages.map((m) => {
      const at = time.format(new Date(Number(m.created_at)));
      const file = m.attachment_filename
        ? ` [${t('chat.transcriptFile', { name: m.attachment_filename })}]`
        : '';
      if (m.author_kind === 'system') return `[${at}] \u2014 ${m.body}`;
      return `[${at}] ${m.author_name}: ${m.body}${file}`;
    });
    if (Number(conversation.last_seq) > messages.length) lines.push(t('chat.transcriptCut'));
    const text = [
      t('greeting', { name: conversation.visitor_name }),
      '',
      t('chat.transcriptIntro', {
        vendor,
        when: instantText(Number(conversation.created_at), zone, locale),
      }),
      '',
      ...lines,
      '',
      ...(conversation.ticket_number !== null
        ? [t('chat.transcriptTicket', { number: conversation.ticket_number }), '']
        : []),
      t('signature', { vendor }),
    ].join('\n');
    await this.deps.outbox.enqueue(
      trx,
      {
        kind: 'chat_transcript',
        to: conversation.visitor_email,
        subject: t('chat.transcriptSubject', { vendor }),
        text,
        messageId: newMessageId(this.deps.supportEmail),
      },
      now,
    );
  }
}
