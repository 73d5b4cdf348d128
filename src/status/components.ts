import type { Transaction } from 'kysely';
import { isStaff, type Principal } from '../auth/principal.js';
import type { ComponentState, Database } from '../db/tables.js';
import { newId } from '../shared/ids.js';
import { forbidden, notFound } from '../shared/problem.js';
import type { Clock } from '../shared/time.js';
import { STATE_SEVERITY } from './model.js';
import type { StatusComponentRow, StatusRepository } from './repository.js';
import type { ComponentCreate, ComponentUpdate } from './schema.js';

export function requireStaff(actor: Principal) {
  if (!isStaff(actor)) throw forbidden('Only staff manage the status page.');
}

/** The worst of these states, or operational when there is none. */
export function worstState(states: readonly ComponentState[]): ComponentState {
  let worst: ComponentState = 'operational';
  for (const state of states) if (STATE_SEVERITY[state] > STATE_SEVERITY[worst]) worst = state;
  return worst;
}

/**
 * Gives each of these components the worst state the open incidents holding it give it, or
 * operational when none does, and appends a history row for each one that changes.
 */
export async function settleComponents(
  repo: StatusRepository,
  trx: Transaction<Database>,
  componentIds: readonly string[],
  incidentId: string,
  now: number,
) {
  const ids = [...new Set(componentIds)];
  const components = await repo.componentsForUpdate(ids, trx);
  const holds = await repo.holdsOn(ids, trx);
  for (const component of components) {
    const state = worstState(holds.filter((h) => h.component_id === component.id).map((h) => h.state));
    if (state === component.state) continue;
    await repo.updateComponent(component.id, { state, updated_at: now }, trx);
    await repo.appendState(
      { id: newId(), component_id: component.id, state, from_at: now, incident_id: incidentId },
      trx,
    );
  }
}

/**
 * The status page's components. A manual state change is written here, with a history row that
 * names no incident; it stands until the next change of an incident holding the component.
 */
export class StatusComponents {
  constructor(private readonly deps: { repo: StatusRepository; clock: Clock }) {}

  /** Every component by position, for the public page (which anyone may read). */
  components(): Promise<StatusComponentRow[]> {
    return this.deps.repo.listComponents();
  }

  async listComponents(actor: Principal) {
    requireStaff(actor);
    return this.deps.repo.listComponents();
  }

  async createComponent(actor: Principal, input: ComponentCreate): Promise<StatusComponentRow> {
    requireStaff(actor);
    const now = this.deps.clock();
    const row: StatusComponentRow = {
      id: newId(),
      group_name: input.group ?? null,
      name: input.name,
      description: input.description,
      position: input.position,
      state: 'operational',
      created_at: now,
      updated_at: now,
    };
    await this.deps.repo.transaction(async (trx) => {
      await this.deps.repo.insertComponent(row, trx);
      await this.deps.repo.appendState(
        { id: newId(), component_id: row.id, state: row.state, from_at: now, incident_id: null },
        trx,
      );
    });
    return row;
  }

  async updateComponent(actor: Principal, id: string, input: ComponentUpdate): Promise<StatusComponentRow> {
    requireStaff(actor);
    const now = this.deps.clock();
    return this.deps.repo.transaction(async (trx) => {
      const [row] = await this.deps.repo.componentsForUpdate([id], trx);
      if (!row) throw notFound('The component');
      const next: StatusComponentRow = {
        ...row,
        ...(input.name !== undefined ? { name: input.name } : {}),
        ...(input.group !== undefined ? { group_name: input.group } : {}),
        ...(input.description !== undefined ? { description: input.description } : {}),
        ...(input.position !== undefined ? { position: input.position } : {}),
        ...(input.state !== undefined ? { state: input.state } : {}),
        updated_at: now,
      };
      await this.deps.repo.updateComponent(id, next, trx);
      if (next.state !== row.state)
        await this.deps.repo.appendState(
          { id: newId(), component_id: id, state: next.state, from_at: now, incident_id: null },
          trx,
        );
      return next;
    });
  }

  async deleteComponent(actor: Principal, id: string) {
    requireStaff(actor);
    if (!(await this.deps.repo.findComponent(id))) throw notFound('The component');
    await this.deps.repo.deleteComponent(id);
  }
}
