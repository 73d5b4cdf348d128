import { isLeadOrAdmin, type Principal } from '../../auth/principal.js';
import type { MacroOut } from '../../macros/schema.js';
import type { MacrosService } from '../../macros/service.js';
import { notFound } from '../../shared/problem.js';

export interface CannedReplyInput {
  title?: string | undefined;
  body?: string | undefined;
  locale?: 'en' | 'fr' | null | undefined;
}

/** A macro as the chat shows it: one text, in the language it has (null: the same in both). */
const present = (m: MacroOut, locale?: 'en' | 'fr') => ({
  id: m.id,
  title: m.title,
  body: (locale ? m.text[locale] : null) ?? m.text.en ?? m.text.fr ?? '',
  locale:
    m.text.en !== null && m.text.fr !== null ? null : m.text.en !== null ? ('en' as const) : ('fr' as const),
  createdAt: m.createdAt,
  updatedAt: m.updatedAt,
});

const isTextOnly = (m: MacroOut) =>
  m.public &&
  m.status === null &&
  m.priority === null &&
  m.assigneeId === null &&
  m.tags.length === 0 &&
  (m.text.en !== null || m.text.fr !== null);

/**
 * Saved answers agents insert into a chat. They are the macros that hold a public text and no
 * action, so the chat and the ticket view share one library: an agent's canned replies are
 * personal, a lead's or an admin's shared with the team.
 */
export class CannedReplies {
  constructor(private readonly macros: MacrosService) {}

  async list(actor: Principal, query: { q?: string | undefined; locale?: 'en' | 'fr' | undefined }) {
    const found = await this.macros.list(actor, { q: query.q, textOnly: true, language: query.locale });
    return found.map((m) => present(m, query.locale));
  }

  async create(
    actor: Principal,
    input: Required<Pick<CannedReplyInput, 'title' | 'body'>> & CannedReplyInput,
  ) {
    const created = await this.macros.create(actor, {
      title: input.title,
      shared: isLeadOrAdmin(actor),
      text: input.locale ? { [input.locale]: input.body } : { en: input.body, fr: input.body },
      public: true,
      tags: [],
    });
    return present(created);
  }

  async update(actor: Principal, id: string, input: CannedReplyInput) {
    const current = await this.cannedReply(actor, id);
    const locale = input.locale === undefined ? current.locale : input.locale;
    const body = input.body ?? current.body;
    const text =
      input.body === undefined && input.locale === undefined
        ? undefined
        : locale
          ? { en: locale === 'en' ? body : null, fr: locale === 'fr' ? body : null }
          : { en: body, fr: body };
    const updated = await this.macros.update(actor, id, {
      ...(input.title !== undefined ? { title: input.title } : {}),
      ...(text ? { text } : {}),
      ...(input.title === undefined && !text ? { title: current.title } : {}),
    });
    return present(updated);
  }

  async remove(actor: Principal, id: string) {
    await this.cannedReply(actor, id);
    await this.macros.remove(actor, id);
  }

  /** A macro that is a canned reply; a macro with actions is not one. */
  private async cannedReply(actor: Principal, id: string) {
    const macro = await this.macros.get(actor, id);
    if (!isTextOnly(macro)) throw notFound('The canned reply');
    return present(macro);
  }
}
