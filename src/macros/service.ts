import { isLeadOrAdmin, isStaff, isStaffRole, type Principal } from '../auth/principal.js';
import type { CustomersRepository } from '../customers/repository.js';
import { clockText, durationText, mailLocale, type MailLocale } from '../notifications/mail-text.js';
import type { Priority } from '../policy/tiers.js';
import { newId } from '../shared/ids.js';
import { badRequest, conflict, forbidden, notFound, Problem, unprocessable } from '../shared/problem.js';
import { toIso, type Clock } from '../shared/time.js';
import type { PolicyTermsResolver } from '../sla/terms.js';
import type { TicketLedger } from '../tickets/ledger.js';
import type { TicketsRepository, TicketWithNames } from '../tickets/repository.js';
import type { Status } from '../tickets/schema.js';
import { statusAfterMessage } from '../tickets/status.js';
import { triage } from '../tickets/triage.js';
import {
  firstNameOf,
  renderPlaceholders,
  textFor,
  unknownPlaceholders,
  type PlaceholderValues,
} from './placeholders.js';
import type { MacroRow, MacrosRepository, MacroWithAssignee } from './repository.js';
import type { MacroCreate, MacroOut, MacroPreview, MacroUpdate } from './schema.js';

export interface MacrosServiceDeps {
  repo: MacrosRepository;
  tickets: TicketsRepository;
  customers: CustomersRepository;
  ledger: TicketLedger;
  /** The promise made to a ticket, for {{sla.firstResponse}}. */
  terms: PolicyTermsResolver;
  clock: Clock;
}

const LIST_LIMIT = 500;

const parseTags = (json: string): string[] => {
  const value: unknown = JSON.parse(json);
  return Array.isArray(value) ? value.filter((t): t is string => typeof t === 'string') : [];
};

export const presentMacro = (m: MacroWithAssignee): MacroOut => ({
  id: m.id,
  title: m.title,
  shared: m.owner_id === null,
  ownerId: m.owner_id,
  text: { en: m.body_en, fr: m.body_fr },
  public: m.visibility === 'public',
  status: m.status as Status | null,
  priority: m.priority as Priority | null,
  priorityReason: m.priority_reason,
  assigneeId: m.assignee_id,
  assignee: m.assignee_id ? { id: m.assignee_id, name: m.assignee_name ?? '' } : null,
  tags: parseTags(m.tags),
  createdAt: toIso(Number(m.created_at)),
  updatedAt: toIso(Number(m.updated_at)),
});

/**
 * Saved actions for tickets: a reply in English and French with placeholders, and optional status,
 * priority (with its reason), assignee and tags. Personal macros are their owner's alone; shared
 * ones are written by leads and admins and used by every agent. Applying one writes everything
 * through the ticket ledger in one transaction.
 */
export class MacrosService {
  constructor(private readonly deps: MacrosServiceDeps) {}

  private staffOnly(actor: Principal) {
    if (!isStaff(actor)) throw forbidden('Macros are for staff.');
  }

  /** A macro the actor may use: shared, or their own; another's personal macro does not exist for them. */
  private async visible(actor: Principal, id: string): Promise<MacroWithAssignee> {
    this.staffOnly(actor);
    const macro = await this.deps.repo.find(id);
    if (!macro || (macro.owner_id !== null && macro.owner_id !== actor.userId)) throw notFound('The macro');
    return macro;
  }

  /** A macro the actor may change: their own, or a shared one if they lead or administer. */
  private async editable(actor: Principal, id: string) {
    const macro = await this.visible(actor, id);
    if (macro.owner_id === null && !isLeadOrAdmin(actor))
      throw forbidden('Shared macros are edited by leads and admins.');
    return macro;
  }

  /** Shared and personal macros; `textOnly` keeps those with a public text and no action (the chat's canned replies). */
  async list(
    actor: Principal,
    query: { q?: string | undefined; textOnly?: boolean; language?: 'en' | 'fr' | undefined } = {},
  ) {
    this.staffOnly(actor);
    return (await this.deps.repo.list(actor.userId, query, LIST_LIMIT)).map(presentMacro);
  }

  async get(actor: Principal, id: string) {
    return presentMacro(await this.visible(actor, id));
  }

  async create(actor: Principal, input: MacroCreate) {
    this.staffOnly(actor);
    if (input.shared && !isLeadOrAdmin(actor))
      throw forbidden('Agents keep personal macros; leads and admins share them with the team.');
    await this.assertValid(input);
    const now = this.deps.clock();
    const id = newId();
    await this.deps.repo.insert({
      id,
      owner_id: input.shared ? null : actor.userId,
      title: input.title,
      body_en: input.text.en ?? null,
      body_fr: input.text.fr ?? null,
      visibility: input.public ? 'public' : 'internal',
      status: input.status ?? null,
      priority: input.priority ?? null,
      priority_reason: input.priority ? (input.priorityReason ?? null) : null,
      assignee_id: input.assigneeId ?? null,
      tags: JSON.stringify(input.tags),
      created_by_id: actor.userId,
      created_at: now,
      updated_at: now,
    });
    return this.get(actor, id);
  }

  async update(actor: Principal, id: string, patch: MacroUpdate) {
    const macro = await this.editable(actor, id);
    if (patch.shared === true && macro.owner_id !== null && !isLeadOrAdmin(actor))
      throw forbidden('Agents keep personal macros; leads and admins share them with the team.');
    const next: Partial<MacroRow> = {};
    if (patch.title !== undefined) next.title = patch.title;
    if (patch.shared !== undefined) next.owner_id = patch.shared ? null : (macro.owner_id ?? actor.userId);
    if (patch.text?.en !== undefined) next.body_en = patch.text.en;
    if (patch.text?.fr !== undefined) next.body_fr = patch.text.fr;
    if (patch.public !== undefined) next.visibility = patch.public ? 'public' : 'internal';
    if (patch.status !== undefined) next.status = patch.status;
    if (patch.priority !== undefined) next.priority = patch.priority;
    if (patch.priorityReason !== undefined) next.priority_reason = patch.priorityReason;
    if (patch.assigneeId !== undefined) next.assignee_id = patch.assigneeId;
    if (patch.tags !== undefined) next.tags = JSON.stringify(patch.tags);
    const merged = { ...macro, ...next };
    if (merged.priority && !merged.priority_reason)
      throw badRequest('A macro that changes the priority gives the reason.', [
        { field: 'body.priorityReason', message: 'required when the macro changes the priority' },
      ]);
    if (!merged.priority) next.priority_reason = null;
    await this.assertValid({
      text: { en: merged.body_en, fr: merged.body_fr },
      assigneeId: patch.assigneeId,
    });
    await this.deps.repo.update(id, { ...next, updated_at: this.deps.clock() });
    return this.get(actor, id);
  }

  async remove(actor: Principal, id: string) {
    await this.editable(actor, id);
    if (!(await this.deps.repo.delete(id))) throw notFound('The macro');
  }

  /** What applying the macro to the ticket would do, with the reply as the requester will read it. */
  async preview(actor: Principal, ticketId: string, macroId: string): Promise<MacroPreview> {
    const macro = await this.visible(actor, macroId);
    const ticket = await this.deps.tickets.findTicket(ticketId);
    if (!ticket) throw notFound('The ticket');
    return this.plan(actor, macro, ticket);
  }

  /**
   * Applies the macro: its reply (public or internal), status, priority with its reason, assignee
   * and tags, in one ledger transaction, each event naming the macro.
   */
  async apply(actor: Principal, ticketId: string, macroId: string) {
    const macro = await this.visible(actor, macroId);
    const found = await this.deps.tickets.findTicket(ticketId);
    if (!found) throw notFound('The ticket');
    // Checked before the transaction: inside it, only the transaction's own connection may be used.
    if (macro.assignee_id) await this.assertAssignable(macro.assignee_id);
    const plan = await this.plan(actor, macro, found);
    const now = this.deps.clock();
    const facts = { macroId: macro.id };
    const messageId = await this.deps.ledger.transaction(async (tx) => {
      const ticket = await tx.lock(ticketId);
      if (!ticket) throw notFound('The ticket');
      if (ticket.status === 'closed')
        throw conflict('ticket-closed', 'This ticket is closed; open a new ticket instead.');
      let current = ticket;
      let added: string | null = null;
      if (plan.body !== null) {
        const message = await tx.addMessage(
          ticket,
          {
            author: { id: actor.userId, role: actor.role },
            visibility: plan.public ? 'public' : 'internal',
            bodyFormat: 'text',
            body: plan.body,
            at: now,
            facts,
          },
          macro.status ? { status: { to: macro.status as Status, cause: 'macro' } } : {},
        );
        added = message.messageId;
        current = { ...ticket, status: message.status.to ?? ticket.status };
      }
      const { columns, events } = triage(
        current,
        {
          status: plan.body === null ? (macro.status as Status | null) : undefined,
          priority: macro.priority as Priority | null,
          priorityReason: macro.priority_reason,
          assigneeId: macro.assignee_id ?? undefined,
        },
        now,
        facts,
      );
      await tx.change(current, actor.userId, now, events, columns);
      const tags = parseTags(macro.tags);
      if (tags.length > 0) await tx.tag(current, actor.userId, now, { add: tags });
      return added;
    });
    return { messageId, preview: plan };
  }

  private async plan(
    actor: Principal,
    macro: MacroWithAssignee,
    ticket: TicketWithNames,
  ): Promise<MacroPreview> {
    const requester = await this.deps.customers.findUser(ticket.requester_id);
    const organization = await this.deps.customers.findOrganization(ticket.organization_id);
    const chosen = textFor(
      { en: macro.body_en, fr: macro.body_fr },
      mailLocale(requester?.locale, organization?.locale),
    );
    const body = chosen
      ? renderPlaceholders(chosen.text, await this.values(actor, ticket, chosen.language))
      : null;
    const isPublic = macro.visibility === 'public';
    // The status the ticket ends in: the macro's, or where the reply moves it.
    const status =
      (macro.status as Status | null) ??
      (body !== null ? (statusAfterMessage(ticket.status as Status, true, isPublic) ?? null) : null);
    const current = (await this.deps.tickets.tagsOf([ticket.id])).get(ticket.id) ?? [];
    return {
      macroId: macro.id,
      ticketId: ticket.id,
      language: chosen?.language ?? null,
      body,
      public: isPublic,
      status: status !== null && status !== ticket.status ? status : null,
      priority: macro.priority && macro.priority !== ticket.priority ? (macro.priority as Priority) : null,
      priorityReason: macro.priority && macro.priority !== ticket.priority ? macro.priority_reason : null,
      assignee:
        macro.assignee_id && macro.assignee_id !== ticket.assignee_id
          ? { id: macro.assignee_id, name: macro.assignee_name ?? '' }
          : null,
      tags: parseTags(macro.tags).filter((t) => !current.includes(t)),
    };
  }

  private async values(
    actor: Principal,
    ticket: TicketWithNames,
    language: MailLocale,
  ): Promise<PlaceholderValues> {
    return {
      'requester.firstName': firstNameOf(ticket.requester_name),
      'requester.name': ticket.requester_name,
      'ticket.number': String(ticket.number),
      'ticket.subject': ticket.subject,
      'organization.name': ticket.organization_name,
      'sla.firstResponse': await this.firstResponsePromise(ticket, language),
      'agent.name': actor.name,
    };
  }

  /** The first-response promise in words, as the acknowledgement mail writes it: "1 business day (business hours, US Eastern)". */
  private async firstResponsePromise(ticket: TicketWithNames, language: MailLocale): Promise<string> {
    if (ticket.sla_first_response_due_at === null) return '';
    const executor = this.deps.repo.db;
    const terms = (await this.deps.terms.termsFor([ticket], executor)).get(ticket.id)?.terms;
    if (!terms) return '';
    const { policy } = await this.deps.terms.versionForTicket(ticket, executor);
    const term = terms.firstResponse;
    const zone = term.clock === 'business' ? terms.calendar.spec.timeZone : policy.support.timeZone;
    return `${durationText(term, policy.businessDay.minutes, language)} (${clockText(term.clock, zone, language)})`;
  }

  private async assertValid(input: {
    text: { en?: string | null | undefined; fr?: string | null | undefined };
    assigneeId?: string | null | undefined;
  }) {
    const errors = (['en', 'fr'] as const).flatMap((language) => {
      const unknown = unknownPlaceholders(input.text[language] ?? '');
      return unknown.length > 0
        ? [
            {
              field: `body.text.${language}`,
              message: `unknown placeholders: ${unknown.map((p) => `{{${p}}}`).join(', ')}`,
            },
          ]
        : [];
    });
    if (errors.length > 0)
      throw new Problem(
        422,
        'Unprocessable Content',
        'The text holds placeholders the desk does not know.',
        'urn:accord:problem:unknown-placeholder',
        errors,
      );
    if (input.assigneeId) await this.assertAssignable(input.assigneeId);
  }

  private async assertAssignable(userId: string) {
    const user = await this.deps.customers.findUser(userId);
    if (!user || user.deactivated_at !== null || !isStaffRole(user.role))
      throw unprocessable('invalid-assignee', 'Tickets are assigned to active staff users only.');
  }
}
