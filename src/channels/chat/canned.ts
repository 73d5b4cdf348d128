import { isStaff, type Principal } from '../../auth/principal.js';
import { newId } from '../../shared/ids.js';
import { forbidden, notFound } from '../../shared/problem.js';
import type { Clock } from '../../shared/time.js';
import type { CannedReplyRow, ChatRepository } from './repository.js';

export interface CannedReplyInput {
  title?: string | undefined;
  body?: string | undefined;
  locale?: 'en' | 'fr' | null | undefined;
}

const cannedLocale = (locale: string | null): 'en' | 'fr' | null =>
  locale === 'en' || locale === 'fr' ? locale : null;

const present = (r: CannedReplyRow) => ({
  id: r.id,
  title: r.title,
  body: r.body,
  locale: cannedLocale(r.locale),
  createdAt: new Date(Number(r.created_at)).toISOString(),
  updatedAt: new Date(Number(r.updated_at)).toISOString(),
});

/** Saved answers agents insert into a chat; shared by the whole team. */
export class CannedReplies {
  constructor(
    private readonly repo: ChatRepository,
    private readonly clock: Clock,
  ) {}

  private staff(actor: Principal) {
    if (!isStaff(actor)) throw forbidden('Canned replies are for staff.');
  }

  async list(actor: Principal, query: { q?: string | undefined; locale?: string | undefined }) {
    this.staff(actor);
    return (await this.repo.listCanned(query, 200)).map(present);
  }

  async create(
    actor: Principal,
    input: Required<Pick<CannedReplyInput, 'title' | 'body'>> & CannedReplyInput,
  ) {
    this.staff(actor);
    const now = this.clock();
    const row: CannedReplyRow = {
      id: newId(),
      title: input.title,
      body: input.body,
      locale: input.locale ?? null,
      created_by: actor.userId,
      created_at: now,
      updated_at: now,
    };
    await this.repo.insertCanned(row);
    return present(row);
  }

  async update(actor: Principal, id: string, input: CannedReplyInput) {
    this.staff(actor);
    if (!(await this.repo.findCanned(id))) throw notFound('The canned reply');
    await this.repo.updateCanned(id, {
      ...(input.title !== undefined ? { title: input.title } : {}),
      ...(input.body !== undefined ? { body: input.body } : {}),
      ...(input.locale !== undefined ? { locale: input.locale } : {}),
      updated_at: this.clock(),
    });
    return present((await this.repo.findCanned(id))!);
  }

  async remove(actor: Principal, id: string) {
    this.staff(actor);
    if (!(await this.repo.deleteCanned(id))) throw notFound('The canned reply');
  }
}
