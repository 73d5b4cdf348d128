import type { z } from 'zod';
import { isLeadOrAdmin, type Principal } from '../auth/principal.js';
import { newId } from '../shared/ids.js';
import { badRequest, conflict, forbidden, notFound } from '../shared/problem.js';
import type { Clock } from '../shared/time.js';
import { presentCategory, presentSection } from './presenters.js';
import type { HelpCenterRepository } from './repository.js';
import type {
  CategoryOut,
  SectionOut,
  categoryCreate,
  categoryUpdate,
  sectionCreate,
  sectionUpdate,
} from './schema.js';

function requireLeadOrAdmin(actor: Principal, what: string) {
  if (!isLeadOrAdmin(actor)) throw forbidden(`Only leads and admins ${what}.`);
}

/** The help center's shelves: categories and the sections inside them, arranged by leads and admins. */
export class HelpCenterStructure {
  constructor(private readonly deps: { repo: HelpCenterRepository; clock: Clock }) {}

  async listCategories(): Promise<CategoryOut[]> {
    const [categories, sections] = await Promise.all([
      this.deps.repo.listCategories(),
      this.deps.repo.listSections(),
    ]);
    return categories.map((c) => presentCategory(c, sections));
  }

  async createCategory(actor: Principal, input: z.infer<typeof categoryCreate>): Promise<CategoryOut> {
    requireLeadOrAdmin(actor, 'arrange the help center');
    if (await this.deps.repo.findCategoryByKey(input.key))
      throw conflict('key-taken', `A category with the key "${input.key}" exists.`);
    const now = this.deps.clock();
    const row = {
      id: newId(),
      key: input.key,
      position: input.position,
      titles: JSON.stringify(input.titles),
      descriptions: JSON.stringify(input.descriptions),
      created_at: now,
      updated_at: now,
    };
    await this.deps.repo.insertCategory(row);
    return presentCategory(row, []);
  }

  async updateCategory(actor: Principal, id: string, input: z.infer<typeof categoryUpdate>) {
    requireLeadOrAdmin(actor, 'arrange the help center');
    const row = await this.deps.repo.findCategory(id);
    if (!row) throw notFound('The category');
    await this.deps.repo.updateCategory(id, {
      ...(input.position !== undefined ? { position: input.position } : {}),
      ...(input.titles ? { titles: JSON.stringify(input.titles) } : {}),
      ...(input.descriptions ? { descriptions: JSON.stringify(input.descriptions) } : {}),
      updated_at: this.deps.clock(),
    });
    const categories = await this.listCategories();
    return categories.find((c) => c.id === id)!;
  }

  /** A category with sections is kept: its articles would lose their place. */
  async deleteCategory(actor: Principal, id: string) {
    requireLeadOrAdmin(actor, 'arrange the help center');
    if (!(await this.deps.repo.findCategory(id))) throw notFound('The category');
    const sections = (await this.deps.repo.listSections()).filter((s) => s.category_id === id);
    if (sections.length > 0)
      throw conflict('category-not-empty', 'Move or delete the category’s sections first.');
    await this.deps.repo.deleteCategory(id);
  }

  async createSection(actor: Principal, input: z.infer<typeof sectionCreate>): Promise<SectionOut> {
    requireLeadOrAdmin(actor, 'arrange the help center');
    if (!(await this.deps.repo.findCategory(input.categoryId)))
      throw badRequest('No such category.', [{ field: 'body.categoryId', message: 'unknown category' }]);
    if (await this.deps.repo.findSectionByKey(input.key))
      throw conflict('key-taken', `A section with the key "${input.key}" exists.`);
    const now = this.deps.clock();
    const row = {
      id: newId(),
      category_id: input.categoryId,
      key: input.key,
      position: input.position,
      titles: JSON.stringify(input.titles),
      created_at: now,
      updated_at: now,
    };
    await this.deps.repo.insertSection(row);
    return presentSection(row);
  }

  async updateSection(actor: Principal, id: string, input: z.infer<typeof sectionUpdate>) {
    requireLeadOrAdmin(actor, 'arrange the help center');
    const row = await this.deps.repo.findSection(id);
    if (!row) throw notFound('The section');
    if (input.categoryId && !(await this.deps.repo.findCategory(input.categoryId)))
      throw badRequest('No such category.', [{ field: 'body.categoryId', message: 'unknown category' }]);
    const changes = {
      ...(input.categoryId ? { category_id: input.categoryId } : {}),
      ...(input.position !== undefined ? { position: input.position } : {}),
      ...(input.titles ? { titles: JSON.stringify(input.titles) } : {}),
      updated_at: this.deps.clock(),
    };
    await this.deps.repo.updateSection(id, changes);
    return presentSection({ ...row, ...changes });
  }

  /** Deleting a section leaves its articles in place, without a section. */
  async deleteSection(actor: Principal, id: string) {
    requireLeadOrAdmin(actor, 'arrange the help center');
    if (!(await this.deps.repo.findSection(id))) throw notFound('The section');
    await this.deps.repo.deleteSection(id);
  }
}
