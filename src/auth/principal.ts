import type { UserRow } from '../db/tables.js';

export const STAFF_ROLES = ['agent', 'lead', 'admin'] as const;
export const CUSTOMER_ROLES = ['contact', 'member'] as const;
export const ROLES = [...STAFF_ROLES, ...CUSTOMER_ROLES] as const;
export type StaffRole = (typeof STAFF_ROLES)[number];
export type CustomerRole = (typeof CUSTOMER_ROLES)[number];
export type Role = (typeof ROLES)[number];

/** Who is asking: the signed-in user, however they authenticated. */
export interface Principal {
  userId: string;
  email: string;
  name: string;
  role: Role;
  organizationId: string | null;
  locale: string | null;
  via: 'session' | 'token';
  sessionId?: string;
  csrfToken?: string;
}

export const isStaffRole = (role: string): role is StaffRole =>
  (STAFF_ROLES as readonly string[]).includes(role);
export const isCustomerRole = (role: string): role is CustomerRole =>
  (CUSTOMER_ROLES as readonly string[]).includes(role);

export const isStaff = (p: Principal): boolean => isStaffRole(p.role);
export const isLeadOrAdmin = (p: Principal): boolean => p.role === 'lead' || p.role === 'admin';

/**
 * Whether someone may read a ticket (and hear of it): staff read every ticket, a designated contact
 * their organization's, an authorized user their own.
 */
export function canSeeTicket(
  actor: Principal,
  t: { organization_id: string; requester_id: string },
): boolean {
  if (isStaff(actor)) return true;
  if (actor.role === 'contact') return t.organization_id === actor.organizationId;
  return t.requester_id === actor.userId;
}

export function principalOf(
  user: UserRow,
  via: Principal['via'],
  session?: { id: string; csrf: string },
): Principal {
  return {
    userId: user.id,
    email: user.email,
    name: user.name,
    role: user.role as Role,
    organizationId: user.organization_id,
    locale: user.locale,
    via,
    ...(session ? { sessionId: session.id, csrfToken: session.csrf } : {}),
  };
}

/** Who is signed in, as a session or the in-app button's sign-in shows it. */
export function presentSessionUser(p: Principal) {
  return {
    id: p.userId,
    email: p.email,
    name: p.name,
    role: p.role,
    organizationId: p.organizationId,
    locale: p.locale as 'en' | 'fr' | null,
  };
}
