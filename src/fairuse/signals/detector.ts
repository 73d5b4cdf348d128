import type { Transaction } from 'kysely';
import type { Database, TicketRow } from '../../db/tables.js';
import { isHcLocale, type HcLocale } from '../../helpcenter/model.js';
import { articlePath } from '../../helpcenter/presenters.js';
import { newId } from '../../shared/ids.js';
import type { Clock } from '../../shared/time.js';
import {
  DAY,
  REPEAT_CANDIDATES,
  REPEAT_LOOKBACK_DAYS,
  type HelpCenterEvidence,
  type ReopenEvidence,
  type RepeatEvidence,
  type SignalKind,
} from './flags.js';
import type { FairUseSignalsRepository } from './repository.js';
import {
  articleAnswers,
  articleTerms,
  repeatMatchesOf,
  ticketTerms,
  unchangedReopen,
  type TicketText,
} from './similarity.js';
import { ComparedTicketsCache, type ComparedTicket } from './terms-cache.js';
import { plainText } from './text.js';
import { termVector } from './vector.js';

/** The messages a reopening reply is compared with: the ticket's recent public conversation. */
const REPLY_CONTEXT_MESSAGES = 30;
const EXCERPT_CHARS = 120;

export interface SignalDetectorDeps {
  repo: FairUseSignalsRepository;
  clock: Clock;
}

/**
 * Notes the signs of inappropriate use as tickets are filed and replied to, inside the ticket rules'
 * transaction: everything here reads and writes through `trx` only (SQLite has one connection).
 */
export class FairUseSignalDetector {
  private readonly compared = new ComparedTicketsCache();

  constructor(private readonly deps: SignalDetectorDeps) {}

  private async locale(trx: Transaction<Database>, ticket: TicketRow): Promise<HcLocale> {
    const locale = await this.deps.repo.requesterLocale(trx, ticket.requester_id, ticket.organization_id);
    return isHcLocale(locale) ? locale : 'en';
  }

  private async save(
    trx: Transaction<Database>,
    ticket: TicketRow,
    kind: SignalKind,
    score: number,
    evidence: object,
    at: number,
  ) {
    await this.deps.repo.saveSignal(trx, {
      id: newId(),
      organization_id: ticket.organization_id,
      ticket_id: ticket.id,
      kind,
      score,
      evidence: JSON.stringify(evidence),
      at,
    });
  }

  async ticketFiled(
    trx: Transaction<Database>,
    ticket: TicketRow,
    body: string,
    suggestionSessionId: string | undefined,
  ): Promise<void> {
    const locale = await this.locale(trx, ticket);
    const text: TicketText = {
      subject: ticket.subject,
      body,
      // The body as sent: HTML is stripped of its markup either way.
      bodyFormat: /<[a-z][^>]*>/i.test(body) ? 'html' : 'text',
      reproSteps: ticket.repro_steps,
      reproExpected: ticket.repro_expected,
      reproActual: ticket.repro_actual,
      reproEnvironment: ticket.repro_environment,
    };
    await this.repeatOfResolved(trx, ticket, locale, text);
    if (suggestionSessionId) await this.answeredBySuggestion(trx, ticket, locale, text, suggestionSessionId);
  }

  /** A new ticket that closely matches one of the organization's recently resolved tickets. */
  private async repeatOfResolved(
    trx: Transaction<Database>,
    ticket: TicketRow,
    locale: HcLocale,
    text: TicketText,
  ) {
    const since = ticket.created_at - REPEAT_LOOKBACK_DAYS * DAY;
    const resolved = (
      await this.deps.repo.resolvedTickets(trx, ticket.organization_id, since, REPEAT_CANDIDATES)
    ).filter((r) => r.id !== ticket.id);
    const key = (r: { id: string; updatedAt: number }) => ComparedTicketsCache.key(r.id, r.updatedAt, locale);
    const unread = resolved.filter((r) => !this.compared.get(key(r)));
    if (unread.length > 0) {
      const texts = await this.deps.repo.ticketTexts(
        trx,
        unread.map((r) => r.id),
      );
      for (const r of unread) {
        const read = texts.get(r.id);
        if (!read) continue;
        const { number, subject, reproSteps, reproEnvironment } = read;
        this.compared.set(key(r), {
          number,
          subject,
          vector: termVector(ticketTerms(locale, read)),
          text: { reproSteps, reproEnvironment },
        });
      }
    }
    const candidates: (ComparedTicket & { id: string })[] = [];
    for (const r of resolved) {
      const known = this.compared.get(key(r));
      if (known) candidates.push({ id: r.id, ...known });
    }
    const matches = repeatMatchesOf(locale, text, candidates);
    if (matches.length === 0) return;
    const evidence: RepeatEvidence = {
      matches: matches.map((m) => ({
        id: m.candidate.id,
        number: m.candidate.number,
        subject: m.candidate.subject,
        similarity: m.similarity,
      })),
    };
    await this.save(trx, ticket, 'repeat_incident', matches[0]!.similarity, evidence, ticket.created_at);
  }

  /** Sent anyway after a suggestion that answers it: the writer's own session, published articles. */
  private async answeredBySuggestion(
    trx: Transaction<Database>,
    ticket: TicketRow,
    locale: HcLocale,
    text: TicketText,
    sessionId: string,
  ) {
    const shown = await this.deps.repo.shownArticles(trx, sessionId, ticket.created_by_id, ticket.id);
    if (shown.length === 0) return;
    const articles: HelpCenterEvidence['articles'] = [];
    for (const a of shown) {
      const articleLocale = isHcLocale(a.locale) ? a.locale : locale;
      const similarity = articleAnswers(
        ticketTerms(articleLocale, text),
        articleTerms(articleLocale, {
          title: a.title,
          summary: a.summary,
          body: a.body_md,
          symptom: a.symptom,
          workaround: a.workaround_md,
        }),
      );
      if (similarity !== null)
        articles.push({
          id: a.id,
          title: a.title,
          url: articlePath(a.locale, a.slug),
          opened: a.opened_at !== null,
          similarity,
        });
    }
    if (articles.length === 0) return;
    articles.sort((x, y) => y.similarity - x.similarity);
    const evidence: HelpCenterEvidence = { articles };
    await this.save(trx, ticket, 'helpcenter_answered', articles[0]!.similarity, evidence, ticket.created_at);
  }

  /**
   * A reply that reopens a resolved ticket with nothing new: short ("still broken"), or words the
   * ticket already holds, and no file added since the resolution.
   */
  async customerReplied(
    trx: Transaction<Database>,
    ticket: TicketRow,
    message: { id: string; body: string },
    reopened: boolean,
  ): Promise<void> {
    if (!reopened) return;
    const now = this.deps.clock();
    if (
      ticket.resolved_at !== null &&
      (await this.deps.repo.attachmentsSince(trx, ticket.id, ticket.resolved_at)) > 0
    )
      return;
    const locale = await this.locale(trx, ticket);
    const earlier = await this.deps.repo.publicMessages(trx, ticket.id, message.id, REPLY_CONTEXT_MESSAGES);
    const reply = plainText(message.body, /<[a-z][^>]*>/i.test(message.body) ? 'html' : 'text');
    const verdict = unchangedReopen(locale, reply, [
      ticket.subject,
      ...[ticket.repro_steps, ticket.repro_expected, ticket.repro_actual, ticket.repro_environment].filter(
        (x): x is string => Boolean(x),
      ),
      ...earlier.map((m) => plainText(m.body, m.body_format)),
    ]);
    if (!verdict) return;
    const excerpt = reply.replace(/\s+/g, ' ').trim();
    const evidence: ReopenEvidence = {
      messageId: message.id,
      excerpt: excerpt.length > EXCERPT_CHARS ? `${excerpt.slice(0, EXCERPT_CHARS - 1)}…` : excerpt,
      words: verdict.words,
      coverage: verdict.coverage,
    };
    await this.save(trx, ticket, 'reopened_unchanged', verdict.score, evidence, now);
  }
}
