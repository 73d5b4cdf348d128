import { hashPassword } from '../auth/passwords.js';
import { isCustomerRole, isStaff, isStaffRole, type Principal } from '../auth/principal.js';
import type { UserRow } from '../db/tables.js';
import { isUniqueViolation } from '../db/dialect.js';
import { newId } from '../shared/ids.js';
import { decodeCursor, toPage } from '../shared/pagination.js';
import { badRequest, conflict, forbidden, notFound, unprocessable } from '../shared/problem.js';
import type { Clock } from '../shared/time.js';
import { presentUser } from './presenters.js';
import type { CustomersRepository } from './repository.js';
import type { UserCreate, UserListQuery, UserUpdate } from './schema.js';

/**
 * Staff (agents, leads, admins) and customer users (designated contacts and authorized members).
 * A paying organization always keeps at least one designated contact (support policy, section 4.1),
 * and the desk always keeps at least one active admin.
 */
export class UsersService {
  constructor(
    private readonly repo: CustomersRepository,
    private readonly clock: Clock,
  ) {}

  /** `actor` null is the operator at the command line or the demo seed. */
  async create(actor: Principal | null, input: UserCreate) {
    const organizationId =
      input.organizationId ?? (actor?.role === 'contact' ? (actor.organizationId ?? undefined) : undefined);
    if (actor) this.authorizeCreate(actor, input.role, organizationId);
    if (isStaffRole(input.role) && organizationId) {
      throw badRequest('Staff users do not belong to a customer organization.', [
        { field: 'body.organizationId', message: 'must be absent for staff roles' },
      ]);
    }
    if (isCustomerRole(input.role)) {
      if (!organizationId) {
        throw badRequest('Customer users belong to an organization.', [
          { field: 'body.organizationId', message: 'required for roles contact and member' },
        ]);
      }
      if (!(await this.repo.findOrganization(organizationId))) throw notFound('The organization');
    }
    const now = this.clock();
    const row: UserRow = {
      id: newId(),
      email: input.email.toLowerCase(),
      name: input.name,
      role: input.role,
      organization_id: isCustomerRole(input.role) ? (organizationId ?? null) : null,
      password_hash: input.password ? await hashPassword(input.password) : null,
      locale: input.locale ?? null,
      deactivated_at: null,
      created_at: now,
      updated_at: now,
    };
    try {
      await this.repo.insertUser(row);
    } catch (error) {
      if (isUniqueViolation(error)) throw conflict('email-taken', 'A user with this email already exists.');
      throw error;
    }
    return presentUser(row);
  }

  async get(actor: Principal, id: string) {
    const user = await this.repo.findUser(id);
    if (!user || !this.canSee(actor, user)) throw notFound('The user');
    return presentUser(user);
  }

  async list(actor: Principal, query: UserListQuery) {
    const filter: { organizationId?: string | undefined; role?: string | undefined; userId?: string } = {
      organizationId: query.organizationId,
      role: query.role,
    };
    if (actor.role === 'contact') {
      if (query.organizationId && query.organizationId !== actor.organizationId)
        return { data: [], nextCursor: null };
      filter.organizationId = actor.organizationId ?? undefined;
    } else if (actor.role === 'member') {
      filter.userId = actor.userId;
    }
    const rows = await this.repo.listUsers(filter, query.limit, decodeCursor(query.cursor));
    return toPage(rows, query.limit, presentUser, (u) => ({ k: u.created_at, id: u.id }));
  }

  private readonly renameListeners: ((userId: string) => Promise<void>)[] = [];

  /** Tells another context (ticket search) when a person's name changed, once it is saved. */
  onRenamed(listener: (userId: string) => Promise<void>): void {
    this.renameListeners.push(listener);
  }

  private readonly changeListeners: ((userId: string) => Promise<void>)[] = [];

  /**
   * Tells another context (sign-in, which keeps resolved principals briefly) when a user's name,
   * role, locale or access changed, once it is saved.
   */
  onChanged(listener: (userId: string) => Promise<void>): void {
    this.changeListeners.push(listener);
  }

  async update(actor: Principal, id: string, patch: UserUpdate) {
    const updated = await this.repo.transaction(async (repo) => {
      const user = await repo.findUser(id);
      if (!user || !this.canSee(actor, user)) throw notFound('The user');
      const self = user.id === actor.userId;
      if (patch.role !== undefined && patch.role !== user.role) {
        this.authorizeRoleChange(actor, user, patch.role);
        if (user.role === 'contact' && user.organization_id) await this.assertAnotherContact(repo, user);
        if (user.role === 'admin' && user.deactivated_at === null) await this.assertAnotherAdmin(repo, user);
      } else if (!self && !this.canManage(actor, user)) {
        throw forbidden('You cannot change this user.');
      }
      await repo.updateUser(id, {
        ...(patch.name !== undefined ? { name: patch.name } : {}),
        ...(patch.role !== undefined ? { role: patch.role } : {}),
        ...(patch.locale !== undefined ? { locale: patch.locale } : {}),
        updated_at: this.clock(),
      });
      return presentUser((await repo.findUser(id))!);
    });
    for (const listener of this.changeListeners) await listener(id);
    if (patch.name !== undefined) for (const listener of this.renameListeners) await listener(id);
    return updated;
  }

  /** Removes a user's access; their tickets and messages stay. */
  async deactivate(actor: Principal, id: string) {
    await this.repo.transaction(async (repo) => {
      const user = await repo.findUser(id);
      if (!user || !this.canSee(actor, user)) throw notFound('The user');
      if (user.id === actor.userId && isStaff(actor))
        throw unprocessable('self-removal', 'Staff cannot remove themselves; ask another admin.');
      if (!this.canManage(actor, user) && user.id !== actor.userId)
        throw forbidden('You cannot remove this user.');
      if (user.deactivated_at !== null) return;
      if (user.role === 'contact' && user.organization_id) await this.assertAnotherContact(repo, user);
      if (user.role === 'admin') await this.assertAnotherAdmin(repo, user);
      await repo.updateUser(id, { deactivated_at: this.clock(), updated_at: this.clock() });
      await repo.endUserAccess(id);
    });
    for (const listener of this.changeListeners) await listener(id);
  }

  private canSee(actor: Principal, user: UserRow): boolean {
    if (isStaff(actor)) return true;
    if (actor.role === 'contact') return user.organization_id === actor.organizationId;
    return user.id === actor.userId;
  }

  /** Admins manage everyone, leads manage customer users, contacts manage their organization's users. */
  private canManage(actor: Principal, user: UserRow): boolean {
    switch (actor.role) {
      case 'admin':
        return true;
      case 'lead':
        return isCustomerRole(user.role);
      case 'contact':
        return isCustomerRole(user.role) && user.organization_id === actor.organizationId;
      case 'agent':
      case 'member':
        return false;
    }
  }

  private authorizeCreate(actor: Principal, role: UserCreate['role'], organizationId: string | undefined) {
    if (actor.role === 'admin') return;
    if (actor.role === 'lead' && isCustomerRole(role)) return;
    if (actor.role === 'contact' && isCustomerRole(role) && organizationId === actor.organizationId) return;
    throw forbidden(
      actor.role === 'contact'
        ? 'Contacts add users to their own organization only.'
        : 'Your role cannot create this kind of user.',
    );
  }

  private authorizeRoleChange(actor: Principal, user: UserRow, role: UserCreate['role']) {
    if (isStaffRole(user.role) !== isStaffRole(role)) {
      throw unprocessable(
        'role-family',
        'A staff user cannot become a customer user or the reverse; create a new user instead.',
      );
    }
    if (!this.canManage(actor, user)) throw forbidden('You cannot change this user\u2019s role.');
    if (isStaffRole(role) && actor.role !== 'admin') throw forbidden('Only admins change staff roles.');
  }

  private async assertAnotherContact(repo: CustomersRepository, user: UserRow) {
    const orgId = user.organization_id!;
    const org = await repo.lockOrganization(orgId);
    if (!org) return;
    const paying = (await repo.activeSubscriptions([orgId], this.clock())).get(orgId);
    if (!paying) return;
    if ((await repo.countActiveContacts(orgId, user.id)) === 0) {
      throw conflict(
        'last-contact',
        `${org.name} has an active ${paying.tier} subscription and must keep at least one designated customer contact (support policy, section 4.1). Designate another contact before removing or demoting ${user.name}.`,
        { organizationId: orgId },
      );
    }
  }

  /**
   * Refuses to demote or remove the last active admin. The active admins' rows stay locked (on
   * PostgreSQL; SQLite has one writer) until the change commits, so of two changes that race, the
   * second counts after the first and is refused.
   */
  private async assertAnotherAdmin(repo: CustomersRepository, user: UserRow) {
    // The admins' rows are the lock: there is no desk row to lock, as lockOrganization does for a contact.
    const admins = await repo.lockActiveAdmins();
    if (admins.some((admin) => admin.id !== user.id)) return;
    throw conflict(
      'last-admin',
      `${user.name} is the only active admin; Accord must keep at least one. Make another staff member an admin before demoting or removing ${user.name}.`,
      { userId: user.id },
    );
  }
}
