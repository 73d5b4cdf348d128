import { fileURLToPath } from 'node:url';
import { importHelpCenter } from '../helpcenter/import.js';
import { demoHistory } from './demo-history.js';
import { seedDemoStatus } from './demo-status.js';
import { seedDemoFairUse } from './demo-fairuse.js';
import type { Principal } from '../auth/principal.js';
import { principalOf } from '../auth/principal.js';
import type { Config } from '../config.js';
import type { Db } from '../db/database.js';
import type { Priority, RequestType } from '../policy/tiers.js';
import { startServices } from '../services.js';
import { DEMO_ADMIN, DEMO_ORGS, DEMO_PASSWORD, DEMO_STAFF, demoCustomerEmail } from './demo-people.js';
import type { Channel, Status } from '../tickets/schema.js';

export { DEMO_ADMIN } from './demo-people.js';

/** The demo help center's Markdown, shipped with the package (from src/seed or dist/seed alike). */
const DEMO_HELP_CENTER = fileURLToPath(new URL('../../helpcenter/demo', import.meta.url));

const HOUR = 3600_000;
const DAY = 24 * HOUR;

interface DemoTicket {
  org: number;
  byMember?: boolean;
  hoursAgo: number;
  subject: string;
  body: string;
  priority: Priority;
  channel: Channel;
  requestType?: RequestType;
  status: Status;
  staffReply?: string;
  customerReply?: string;
  note?: string;
  assignee?: 2 | 3;
  reproduction?: { steps: string; expected: string; actual: string; environment: string };
  /** The key of the demo help center's known issue this ticket reports. */
  knownIssue?: string;
}

const TICKETS: DemoTicket[] = [
  {
    org: 0,
    hoursAgo: 0.3,
    subject: 'Platform unreachable for all our sites',
    body: 'Since 10 minutes nobody at any of our 14 sites can log in; the app shows a blank screen after the splash.',
    priority: 'P0',
    channel: 'phone',
    status: 'new',
    reproduction: {
      steps: 'Open the app, sign in with any user',
      expected: 'Work order list',
      actual: 'Blank screen, spinner forever',
      environment: 'iOS 18 and Chrome 131, all sites',
    },
  },
  {
    org: 1,
    hoursAgo: 2,
    subject: 'Synchronisation des ordres de travail bloquée',
    body: 'Les ordres de travail créés sur mobile ne remontent plus sur le web depuis ce matin.',
    priority: 'P1',
    channel: 'in_app',
    status: 'open',
    assignee: 2,
    staffReply:
      'Nous avons reproduit le problème et l\u2019équipe technique est mobilisée. Prochaine mise à jour dans une heure.',
  },
  {
    org: 2,
    hoursAgo: 5,
    subject: 'Importing 4,000 assets from our old CMMS',
    body: 'We have a CSV export from our previous system. Can you help us map the columns and import it?',
    priority: 'P2',
    channel: 'email',
    requestType: 'data_import',
    status: 'waiting_on_customer',
    assignee: 3,
    staffReply: 'Happy to help. Could you send the CSV header row and two sample lines?',
  },
  {
    org: 0,
    byMember: true,
    hoursAgo: 26,
    subject: 'Meter readings chart shows wrong units',
    body: 'The temperature chart on asset PUMP-12 shows Fahrenheit although the meter is set to Celsius.',
    priority: 'P3',
    channel: 'portal',
    status: 'open',
    assignee: 3,
    note: 'Known display bug in 4.12; fix scheduled for 4.13.',
    knownIssue: 'known-issue-meter-chart-fahrenheit',
  },
  {
    org: 3,
    hoursAgo: 30,
    subject: 'Comment ajouter un technicien ?',
    body: 'Nous testons la plateforme : comment inviter un technicien dans notre équipe ?',
    priority: 'P3',
    channel: 'chat',
    status: 'resolved',
    staffReply:
      'Depuis Paramètres > Équipe, cliquez sur « Inviter ». Voici l\u2019article du centre d\u2019aide qui détaille les rôles.',
  },
  {
    org: 1,
    byMember: true,
    hoursAgo: 50,
    subject: 'Numérisation de nos procédures de cadenassage',
    body: 'Nous voulons numériser nos 30 procédures de consignation. Quelles bonnes pratiques recommandez-vous ?',
    priority: 'P2',
    channel: 'email',
    requestType: 'procedure_digitization',
    status: 'open',
    assignee: 2,
  },
  {
    org: 2,
    hoursAgo: 72,
    subject: 'Preventive maintenance schedule skipped a week',
    body: 'The weekly PM for the boiler did not generate a work order last Monday.',
    priority: 'P1',
    channel: 'portal',
    requestType: 'problem',
    status: 'resolved',
    assignee: 2,
    staffReply:
      'A time zone rule skipped the week of the DST change; we have corrected your schedule and regenerated the work order.',
    customerReply: 'Confirmed, thank you!',
  },
  {
    org: 0,
    hoursAgo: 96,
    subject: 'Best practice for spare parts reorder points',
    body: 'How should we set reorder points for 1,200 spare parts across three warehouses?',
    priority: 'P3',
    channel: 'api',
    requestType: 'best_practice',
    status: 'closed',
    assignee: 3,
    staffReply: 'We recommend starting from 90 days of consumption history; see the attached guide.',
  },
  {
    org: 3,
    byMember: true,
    hoursAgo: 120,
    subject: 'Export PDF vide',
    body: 'L\u2019export PDF d\u2019un ordre de travail produit un fichier vide.',
    priority: 'P2',
    channel: 'portal',
    status: 'waiting_on_customer',
    assignee: 2,
    staffReply: 'Pouvez-vous nous indiquer le navigateur utilisé et joindre le fichier exporté ?',
    knownIssue: 'known-issue-pdf-export-empty-checklist',
  },
  {
    org: 1,
    hoursAgo: 160,
    subject: 'Panne API : erreurs 500 sur /workorders',
    body: 'Toutes nos intégrations reçoivent des erreurs 500 depuis 2 h du matin.',
    priority: 'P0',
    channel: 'email',
    status: 'resolved',
    assignee: 3,
    staffReply:
      'Le correctif est déployé, testé, et les opérations normales sont rétablies. Un rapport d\u2019incident suit.',
  },
  {
    org: 2,
    byMember: true,
    hoursAgo: 200,
    subject: 'Typo in the French work order template',
    body: 'The word "maintenance" is misspelled in the French template footer.',
    priority: 'P3',
    channel: 'in_app',
    status: 'new',
  },
  {
    org: 0,
    hoursAgo: 8,
    subject: 'SSO login loops for some users',
    body: 'About 20 users get redirected back to the login page after Okta authentication.',
    priority: 'P1',
    channel: 'email',
    requestType: 'problem',
    status: 'open',
    assignee: 2,
    note: 'Looks like a clock skew on their IdP; asked SRE to check SAML assertions.',
    staffReply:
      'We are looking into the SAML assertions your IdP sends. Could you share a HAR file of one failed login?',
    knownIssue: 'known-issue-sso-login-loop',
  },
];

/** Fills an empty desk with a lived-in demo: four organizations, one per tier, staff and a spread of tickets. */
export async function seedDemo(config: Config, db: Db, now = Date.now()): Promise<{ created: boolean }> {
  const existing = await db.kysely
    .selectFrom('users')
    .select('id')
    .where('email', '=', DEMO_ADMIN.email)
    .executeTakeFirst();
  if (existing) return { created: false };
  let clock = now - 30 * DAY;
  const services = await startServices(config, db, { clock: () => clock });

  const staff: Principal[] = [];
  for (const s of DEMO_STAFF) {
    const user = await services.users.create(null, {
      email: s.email,
      name: s.name,
      role: s.role,
      password: s.password,
    });
    staff.push(asPrincipal(user));
  }
  const customers: { contact: Principal; member: Principal }[] = [];
  for (const o of DEMO_ORGS) {
    const org = await services.organizations.create(null, {
      name: o.name,
      domains: [o.domain],
      locale: o.locale,
      ...(o.tier
        ? {
            subscription: {
              tier: o.tier,
              termStart: new Date(now - 200 * DAY).toISOString(),
              termEnd: new Date(now + 165 * DAY).toISOString(),
            },
          }
        : {}),
    });
    const make = async (role: 'contact' | 'member') =>
      asPrincipal(
        await services.users.create(null, {
          email: demoCustomerEmail(o, role),
          name: o[role][0],
          role,
          organizationId: org.id,
          password: DEMO_PASSWORD,
          locale: o.locale,
        }),
      );
    customers.push({ contact: await make('contact'), member: await make('member') });
  }

  const admin = staff[0]!;
  const helpCenter = await importHelpCenter(
    DEMO_HELP_CENTER,
    {
      helpCenter: services.helpCenter,
      structure: services.helpCenterStructure,
      repo: services.helpCenterContent,
    },
    admin,
  );
  if (helpCenter.errors.length > 0)
    throw new Error(
      `demo help center: ${helpCenter.errors.map((e) => `${e.file}: ${e.message}`).join('; ')}`,
    );
  // Three months of history for the reports, through the same import a migrating desk would use.
  const history = demoHistory(
    DEMO_ORGS.flatMap((o, i) =>
      o.tier
        ? [
            {
              name: o.name,
              domain: o.domain,
              tier: o.tier,
              requesters: [customers[i]!.contact.email, customers[i]!.member.email],
            },
          ]
        : [],
    ),
    [staff[2]!.email, staff[3]!.email],
    now,
  );
  const imported = await services.ticketImport.importLines(admin, history, now);
  if (imported.failed > 0) throw new Error(`demo history: ${JSON.stringify(imported.errors.slice(0, 3))}`);
  const ordered = [...TICKETS].sort((a, b) => b.hoursAgo - a.hoursAgo);
  for (const t of ordered) {
    const who = customers[t.org]!;
    const requester = t.byMember ? who.member : who.contact;
    const opened = now - t.hoursAgo * HOUR;
    clock = opened;
    const viaStaff = t.channel === 'phone' || t.channel === 'email' || t.channel === 'chat';
    const ticket = await services.tickets.create(viaStaff ? admin : requester, {
      subject: t.subject,
      body: t.body,
      bodyFormat: 'text',
      priority: t.priority,
      requestType: t.requestType ?? 'problem',
      channel: t.channel,
      ...(viaStaff ? { requesterId: requester.userId } : {}),
      ...(t.reproduction ? { reproduction: t.reproduction } : {}),
    });
    const agent = t.assignee ? staff[t.assignee]! : undefined;
    const step = Math.min(t.hoursAgo * HOUR, 4 * HOUR) / 5;
    if (agent) {
      clock += step;
      await services.tickets.update(staff[1]!, ticket.id, { assigneeId: agent.userId });
    }
    if (t.knownIssue) {
      const issue = await services.helpCenterContent.findArticleByKey(t.knownIssue);
      if (issue) await services.ticketHelpCenter.linkKnownIssue(staff[1]!, ticket.id, issue.id);
    }
    if (t.note) {
      clock += step;
      await services.conversation.addMessage(agent ?? admin, ticket.id, {
        body: t.note,
        bodyFormat: 'text',
        public: false,
      });
    }
    if (t.staffReply) {
      clock += step;
      await services.conversation.addMessage(agent ?? admin, ticket.id, {
        body: t.staffReply,
        bodyFormat: 'text',
        public: true,
      });
    }
    if (t.customerReply) {
      clock += step;
      await services.conversation.addMessage(requester, ticket.id, {
        body: t.customerReply,
        bodyFormat: 'text',
        public: true,
      });
    }
    if (t.status !== 'new' && t.status !== 'open') {
      clock += step;
      if (t.status === 'closed')
        await services.tickets.update(agent ?? admin, ticket.id, { status: 'resolved' });
      await services.tickets.update(agent ?? admin, ticket.id, { status: t.status });
    } else if (t.status === 'open' && !t.staffReply) {
      clock += step;
      await services.tickets.update(agent ?? admin, ticket.id, { status: 'open' });
    }
  }
  const p0 = await db.kysely
    .selectFrom('tickets')
    .select('id')
    .where('subject', '=', 'Platform unreachable for all our sites')
    .executeTakeFirst();
  await seedDemoStatus(services, staff[1]!, (at) => (clock = at), now, p0?.id);
  await seedDemoFairUse(
    services,
    { contact: customers[2]!.contact, member: customers[2]!.member, agent: staff[2]!, lead: staff[1]! },
    (at) => (clock = at),
    now,
  );
  return { created: true };
}

function asPrincipal(user: {
  id: string;
  email: string;
  name: string;
  role: string;
  organizationId: string | null;
  locale: string | null;
}): Principal {
  return principalOf(
    {
      id: user.id,
      email: user.email,
      name: user.name,
      role: user.role,
      organization_id: user.organizationId,
      locale: user.locale,
      password_hash: null,
      deactivated_at: null,
      created_at: 0,
      updated_at: 0,
    },
    'token',
  );
}
