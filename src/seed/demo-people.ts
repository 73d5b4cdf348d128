/** The demo desk's people: the seed creates them, and the demo's sign-in page lists some to try. */
import type { Role } from '../auth/principal.js';
import type { Tier } from '../policy/tiers.js';

export const DEMO_ADMIN = { email: 'admin@accord.test', password: 'accord-demo-admin' };
export const DEMO_PASSWORD = 'accord-demo-password';

export interface DemoOrg {
  name: string;
  domain: string;
  locale: 'en' | 'fr';
  tier: Tier | null;
  contact: [string, string];
  member: [string, string];
}

/** One organization per tier: Tailspin, on a trial without a subscription, is served at basic. */
export const DEMO_ORGS: DemoOrg[] = [
  {
    name: 'Northwind Logistics',
    domain: 'northwind.test',
    locale: 'en',
    tier: 'enterprise',
    contact: ['Nora Quinn', 'nora'],
    member: ['Ivan Petrov', 'ivan'],
  },
  {
    name: 'Fabrikam Usines',
    domain: 'fabrikam.test',
    locale: 'fr',
    tier: 'premium',
    contact: ['Camille Roy', 'camille'],
    member: ['Luc Moreau', 'luc'],
  },
  {
    name: 'Contoso Foods',
    domain: 'contoso.test',
    locale: 'en',
    tier: 'essential',
    contact: ['Grace Park', 'grace'],
    member: ['Sam Okafor', 'sam'],
  },
  {
    name: 'Tailspin Trial',
    domain: 'tailspin.test',
    locale: 'fr',
    tier: null,
    contact: ['Hugo Blanc', 'hugo'],
    member: ['Ana Silva', 'ana'],
  },
];

export const DEMO_STAFF = [
  { name: 'Ada Admin', email: DEMO_ADMIN.email, role: 'admin' as const, password: DEMO_ADMIN.password },
  { name: 'Lena Lead', email: 'lead@accord.test', role: 'lead' as const, password: DEMO_PASSWORD },
  { name: 'Omar Agent', email: 'omar@accord.test', role: 'agent' as const, password: DEMO_PASSWORD },
  { name: 'Mei Agent', email: 'mei@accord.test', role: 'agent' as const, password: DEMO_PASSWORD },
];

/** Someone a visitor of the demo desk can sign in as. */
export interface DemoLogin {
  role: Role;
  name: string;
  email: string;
  password: string;
  organization: { name: string; tier: Tier | null } | null;
  /** The language of the person's profile; null follows the browser's. */
  locale: 'en' | 'fr' | null;
}

const staffLogin = (index: number): DemoLogin => {
  const s = DEMO_STAFF[index]!;
  return {
    role: s.role,
    name: s.name,
    email: s.email,
    password: s.password,
    organization: null,
    locale: null,
  };
};

/** The sign-in of an organization's demo contact or member. */
export const demoCustomerEmail = (org: DemoOrg, role: 'contact' | 'member') =>
  `${org[role][1]}@${org.domain}`;

const customerLogin = (org: DemoOrg, role: 'contact' | 'member'): DemoLogin => {
  return {
    role,
    name: org[role][0],
    email: demoCustomerEmail(org, role),
    password: DEMO_PASSWORD,
    organization: { name: org.name, tier: org.tier },
    locale: org.locale,
  };
};

/**
 * The demo desk's people to try, one per role and a French customer, as its sign-in page lists
 * them (GET /api/v1/demo); each is one the seed creates, with the seed's password.
 */
export const DEMO_LOGINS: readonly DemoLogin[] = [
  staffLogin(0),
  staffLogin(1),
  staffLogin(2),
  customerLogin(DEMO_ORGS[0]!, 'contact'),
  customerLogin(DEMO_ORGS[0]!, 'member'),
  customerLogin(DEMO_ORGS[1]!, 'contact'),
];
