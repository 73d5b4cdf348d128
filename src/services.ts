import path from 'node:path';
import { DiskAttachmentStore, type AttachmentStore } from './attachments/store.js';
import { AuthRepository } from './auth/repository.js';
import { AuthService } from './auth/service.js';
import { PrincipalCache, type PrincipalNotice } from './auth/principal-cache.js';
import { EmbedService } from './channels/in-app/embed.js';
import type { Config } from './config.js';
import { OrganizationsService } from './customers/organizations-service.js';
import { CustomersRepository } from './customers/repository.js';
import { UsersService } from './customers/users-service.js';
import type { Db } from './db/database.js';
import type { Mailer } from './shared/mailer.js';
import { OutboxMailer } from './notifications/outbox-mailer.js';
import { OutboxRepository } from './notifications/outbox.js';
import { StaffReplyAddresses } from './notifications/reply-address.js';
import { SlaStaffNotices } from './notifications/sla-notices.js';
import { EmailTicketNotices } from './notifications/ticket-mail.js';
import { systemClock, type Clock } from './shared/time.js';
import { TicketAttachmentsService } from './tickets/attachments-service.js';
import { liveTicketHooks } from './tickets/activity.js';
import { TicketLedger } from './tickets/ledger.js';
import { slaColumnsStore } from './tickets/ledger-repository.js';
import { TicketsRepository } from './tickets/repository.js';
import { NotificationsRepository } from './notifications/repository.js';
import { PolicyService } from './policy/service.js';
import { PolicyVersions } from './policy/versions.js';
import { SlaPreview } from './sla/preview.js';
import { SlaService } from './sla/service.js';
import { PolicyTermsResolver } from './sla/terms.js';
import { TicketsService } from './tickets/service.js';
import { TicketConversationService } from './tickets/conversation-service.js';
import { MergeService } from './tickets/merge.js';
import { TicketPresence } from './tickets/presence.js';
import { InProcessLiveBus, type LiveBus } from './live/bus.js';
import { PostgresLiveBus } from './live/postgres-bus.js';
import type { DNSResolver } from 'mailauth';
import { mailAuthenticator } from './channels/email/authentication.js';
import { EmailIngestService } from './channels/email/ingest.js';
import { MailRepository } from './channels/email/repository.js';
import { HelpCenterRepository } from './helpcenter/repository.js';
import { HelpCenterService } from './helpcenter/service.js';
import { HelpCenterStructure } from './helpcenter/structure-service.js';
import { EngagementRepository } from './helpcenter/engagement-repository.js';
import { HelpCenterEngagement } from './helpcenter/engagement.js';
import { createHelpCenterSearch } from './helpcenter/search/index.js';
import { TicketHelpCenterLinks } from './helpcenter/ticket-links.js';
import { ReportsRepository } from './reports/repository.js';
import { TicketImportRepository } from './imports/repository.js';
import { TicketImportService } from './imports/service.js';
import { StatusRepository } from './status/repository.js';
import { StatusService } from './status/service.js';
import { SubscriberNotifier } from './status/subscribers/notifier.js';
import { SubscribersRepository } from './status/subscribers/repository.js';
import { StatusSubscriptions } from './status/subscribers/service.js';
import { IncidentTicketReplies } from './status/tickets/listener.js';
import { IncidentNotices } from './status/tickets/notices.js';
import { IncidentTicketsRepository } from './status/tickets/repository.js';
import { IncidentTickets } from './status/tickets/service.js';
import { ReportsService } from './reports/service.js';
import { SatisfactionRepository } from './satisfaction/repository.js';
import { SatisfactionService } from './satisfaction/service.js';
import { SurveyMail } from './satisfaction/mail.js';
import { InProcessBroadcast, PostgresBroadcast, type Broadcast } from './live/broadcast.js';
import type { ChatEvent } from './channels/chat/model.js';
import { ChatRepository } from './channels/chat/repository.js';
import { ChatPublisher } from './channels/chat/publisher.js';
import { ChatTickets } from './channels/chat/tickets.js';
import { ChatTranscripts } from './channels/chat/transcript.js';
import { ChatService } from './channels/chat/service.js';
import { ChatAgents } from './channels/chat/agents.js';
import { ChatHub } from './channels/chat/hub.js';
import { CannedReplies } from './channels/chat/canned.js';
import { MacrosRepository } from './macros/repository.js';
import { MacrosService } from './macros/service.js';
import { TicketTagsService } from './tickets/tags-service.js';
import type { ChatChannel } from './channels/chat/routes.js';
import { createFairUseSignals, type FairUseFlagsService } from './fairuse/signals/index.js'; // fair use (signals)
import { AuditLog } from './fairuse/audit.js'; // fair use (limits)
import { FairUseContactMail } from './fairuse/contact-mail.js'; // fair use (limits)
import { TicketExclusions } from './fairuse/exclusions/service.js'; // fair use (limits)
import { fairUseTicketHooks } from './fairuse/ticket-hooks.js';
import { helpCenterTicketHooks } from './helpcenter/ticket-hooks.js';
import { TicketSearchRepository } from './search/repository.js';
import { TicketSearch } from './search/service.js';
import { searchTicketHooks } from './search/ticket-hooks.js';
import { LimitsRepository } from './fairuse/limits/repository.js'; // fair use (limits)
import { SupportLimitsService } from './fairuse/limits/service.js'; // fair use (limits)
import { SpamFolder, SpamRepository } from './fairuse/spam/service.js'; // fair use (limits)

export interface Services {
  db: Db;
  policy: PolicyVersions;
  policyService: PolicyService;
  /** The promise before a ticket exists (POST /policy/simulate). */
  slaPreview: SlaPreview;
  notifications: NotificationsRepository;
  clock: Clock;
  terms: PolicyTermsResolver;
  sla: SlaService;
  auth: AuthService;
  /** Sign-in changes (a revoked token, a deactivated user) announced to every server process. */
  principalChanges: Broadcast<PrincipalNotice>;
  /** Principals resolved from sessions and tokens, kept briefly; forgotten on principalChanges. */
  principalCache: PrincipalCache;
  organizations: OrganizationsService;
  users: UsersService;
  /** The one writer of tickets, messages and events. */
  ledger: TicketLedger;
  tickets: TicketsService;
  /** Staff's tags on tickets, written through the ledger. */
  ticketTags: TicketTagsService;
  /** Saved replies and actions for tickets; the chat's canned replies are macros too. */
  macros: MacrosService;
  /** Full-text search over tickets, its index kept by ledger hooks. */
  ticketSearch: TicketSearch;
  conversation: TicketConversationService;
  /** Merging a duplicate ticket into another, through the ledger. */
  merges: MergeService;
  /** Which staff are viewing or replying on a ticket, shared across processes by the live bus. */
  presence: TicketPresence;
  attachments: TicketAttachmentsService;
  live: LiveBus;
  embed: EmbedService;
  mail: MailRepository;
  emailIngest: EmailIngestService;
  outbox: OutboxRepository;
  staffReplyAddresses: StaffReplyAddresses;
  helpCenter: HelpCenterService;
  helpCenterStructure: HelpCenterStructure;
  helpCenterContent: HelpCenterRepository;
  helpCenterEngagement: HelpCenterEngagement;
  ticketHelpCenter: TicketHelpCenterLinks;
  reports: ReportsService;
  /** Satisfaction surveys asked when a ticket is resolved, their answers and report. */
  satisfaction: SatisfactionService;
  satisfactionSurveys: SatisfactionRepository;
  ticketImport: TicketImportService;
  status: StatusService;
  statusSubscriptions: StatusSubscriptions;
  incidentTickets: IncidentTickets;
  incidentNotices: IncidentNotices;
  chat: ChatChannel & { events: Broadcast<ChatEvent> };
  fairUseFlags: FairUseFlagsService; // fair use (signals)
  // fair use (limits)
  fairUseLimits: {
    limits: SupportLimitsService;
    exclusions: TicketExclusions;
    audit: AuditLog;
    spam: SpamFolder;
  };
}

export interface ServiceOverrides {
  clock?: Clock;
  mailer?: Mailer;
  attachments?: AttachmentStore;
  /** DNS lookups for inbound mail authentication (DKIM keys, SPF and DMARC policies). */
  dnsResolver?: DNSResolver;
}

/** Creates the services and publishes the default policy on a desk that has none yet. */
export async function startServices(
  config: Config,
  db: Db,
  overrides: ServiceOverrides = {},
): Promise<Services> {
  const services = createServices(config, db, overrides);
  await services.policy.ensureDefault();
  // Tickets filed before the desk had search (or imported with their history) become searchable.
  await services.ticketSearch.backfill();
  if (services.live instanceof PostgresLiveBus) await services.live.start();
  if (services.chat.events instanceof PostgresBroadcast) await services.chat.events.start();
  if (services.principalChanges instanceof PostgresBroadcast) await services.principalChanges.start();
  return services;
}

/** Wires Accord's services to their repositories and side effects; the one place that knows them all. */
export function createServices(config: Config, db: Db, overrides: ServiceOverrides = {}): Services {
  const clock = overrides.clock ?? systemClock;
  const publicUrl = config.publicUrl ?? `http://localhost:${config.port}`;
  const supportEmail = config.mail.supportEmail;
  // Every mail leaves through the outbox: kept until delivered, retried, never lost on a restart.
  const outbox = new OutboxRepository(db.kysely, db.dialect);
  const mailer = overrides.mailer ?? new OutboxMailer({ db: db.kysely, outbox, supportEmail, clock });
  const attachments =
    overrides.attachments ?? new DiskAttachmentStore(path.join(config.dataDir, 'attachments'));
  const customersRepo = new CustomersRepository(db.kysely, db.dialect);
  const organizations = new OrganizationsService(customersRepo, clock);
  const users = new UsersService(customersRepo, clock);
  // Across processes (PostgreSQL) principals are kept only while this process hears the others'
  // changes; an SQLite desk is one process.
  const principalChanges: Broadcast<PrincipalNotice> =
    db.dialect === 'postgres'
      ? new PostgresBroadcast<PrincipalNotice>(db, 'accord_auth')
      : new InProcessBroadcast();
  const principalCache = new PrincipalCache({
    broadcast: principalChanges,
    ...(principalChanges instanceof PostgresBroadcast ? { shared: principalChanges } : {}),
  });
  const auth = new AuthService({
    repo: new AuthRepository(db.kysely, db.dialect),
    clock,
    mailer,
    sessionTtlMs: config.sessionTtlMs,
    publicUrl,
    cache: principalCache,
  });
  users.onChanged((userId) => auth.forgetUser(userId));
  const policy = new PolicyVersions(db.kysely, clock);
  const terms = new PolicyTermsResolver(policy);
  const sla = new SlaService({
    db: db.kysely,
    dialect: db.dialect,
    terms,
    columns: slaColumnsStore(db.dialect),
    clock,
  });
  // The one writer of tickets, messages and events; other contexts register hooks on it below.
  const ledger = new TicketLedger({ db: db.kysely, dialect: db.dialect, sla, clock });
  // What the SLA scheduler records reaches the ticket's history and the staff, in that order.
  sla.onEffect(ledger.slaHistory());
  sla.onEffect(new SlaStaffNotices({ outbox, supportEmail, publicUrl }));
  const ticketsRepo = new TicketsRepository(db.kysely, db.dialect);
  const helpCenterContent = new HelpCenterRepository(db.kysely, db.dialect);
  const search = createHelpCenterSearch(db.kysely, db.dialect);
  const helpCenter = new HelpCenterService({ repo: helpCenterContent, search, organizations, clock });
  const helpCenterEngagement = new HelpCenterEngagement({
    repo: new EngagementRepository(db.kysely),
    content: helpCenterContent,
    search,
    clock,
  });
  const notices = new EmailTicketNotices({ outbox, terms, supportEmail, publicUrl });
  const live = db.dialect === 'postgres' ? new PostgresLiveBus(db) : new InProcessLiveBus();
  const fairUse = createFairUseSignals(db.kysely, { clock, live }); // fair use (signals)
  // fair use (limits): the support limits every channel files through, the audit log, the spam folder.
  const audit = new AuditLog(db.kysely);
  const supportLimits = new SupportLimitsService({
    db: db.kysely,
    repo: new LimitsRepository(db.kysely),
    audit,
    mail: new FairUseContactMail({ db: db.kysely, outbox, terms, supportEmail }),
    clock,
    flags: fairUse.flags,
  });
  const spamHeld = new SpamRepository(db.kysely);
  const ticketSearch = new TicketSearch(new TicketSearchRepository(db.kysely, db.dialect));
  const tickets = new TicketsService({
    tickets: ticketsRepo,
    ledger,
    search: ticketSearch,
    sla,
    customers: customersRepo,
    organizations,
    clock,
    limits: supportLimits, // fair use (limits)
  });
  const conversation = new TicketConversationService({
    tickets: ticketsRepo,
    ledger,
    clock,
    limits: supportLimits, // fair use (limits)
  });
  const ticketAttachments = new TicketAttachmentsService({
    tickets: ticketsRepo,
    ledger,
    attachments,
    clock,
    maxAttachmentBytes: config.maxAttachmentBytes,
  });
  const mail = new MailRepository(db.kysely, db.dialect);
  const status = new StatusService({
    repo: new StatusRepository(db.kysely, db.dialect),
    clock,
    policy,
    pageUrl: `${publicUrl}/status`,
    // Both run inside the transaction that publishes an update.
    listeners: [
      new SubscriberNotifier({ dialect: db.dialect, clock }),
      new IncidentTicketReplies({ ledger, dialect: db.dialect, clock, publicUrl }),
    ],
  });
  const incidentTicketsRepo = new IncidentTicketsRepository(db.kysely, db.dialect);
  const incidentTickets = new IncidentTickets({
    repo: incidentTicketsRepo,
    ledger,
    tickets,
    incidents: status,
    clock,
    publicUrl,
  });
  // The ledger's hooks, in the order they run inside each write (after the SLA is recomputed):
  // fair use reads the ticket, the help center ties what the writer was shown to it, a confirmed
  // incident links it, the requester's mail is queued; open screens hear of it after the commit.
  ledger.register(fairUseTicketHooks({ detector: fairUse.detector, limits: supportLimits }));
  ledger.register(helpCenterTicketHooks(helpCenterEngagement));
  ledger.register(searchTicketHooks(ticketSearch));
  organizations.onRenamed((organizationId) => ticketSearch.reindexPeople({ organizationId }));
  users.onRenamed((userId) => ticketSearch.reindexPeople({ userId }));
  ledger.register(incidentTickets.ticketHooks());
  ledger.register(notices.ticketHooks(clock));
  // After the resolution mail: the satisfaction question, once per ticket.
  const satisfactionSurveys = new SatisfactionRepository(db.kysely);
  const satisfaction = new SatisfactionService({
    repo: satisfactionSurveys,
    ledger,
    tickets,
    mail: new SurveyMail({ outbox, terms, supportEmail, publicUrl }),
    clock,
  });
  ledger.register(satisfaction.ticketHooks());
  ledger.register(liveTicketHooks(live));
  const incidentNotices = new IncidentNotices({
    repo: incidentTicketsRepo,
    outbox,
    clock,
    supportEmail,
    publicUrl,
  });
  const statusSubscriptions = new StatusSubscriptions({
    db: db.kysely,
    repo: new SubscribersRepository(db.kysely, db.dialect),
    outbox,
    clock,
    publicUrl,
    supportEmail,
    webhookReach: { allowPrivateHosts: config.webhookAllowPrivateHosts },
  });
  const policyService = new PolicyService(db.kysely, policy, clock);
  const slaPreview = new SlaPreview({ db: db.kysely, versions: policy, terms, organizations });
  const embed = new EmbedService({
    secret: config.embedSecret,
    auth,
    users,
    customers: customersRepo,
    clock,
  });
  const chatEvents: Broadcast<ChatEvent> =
    db.dialect === 'postgres'
      ? new PostgresBroadcast<ChatEvent>(db, 'accord_chat')
      : new InProcessBroadcast();
  const macros = new MacrosService({
    repo: new MacrosRepository(db.kysely),
    tickets: ticketsRepo,
    customers: customersRepo,
    ledger,
    terms,
    clock,
  });
  const chatRepo = new ChatRepository(db.kysely, db.dialect);
  const chatPublisher = new ChatPublisher(chatEvents, chatRepo);
  const chatTickets = new ChatTickets({
    ledger,
    chat: chatRepo,
    organizations,
    customers: customersRepo,
    users,
    publisher: chatPublisher,
    clock,
    limits: supportLimits, // fair use (limits)
  });
  const chatAgents = new ChatAgents({ repo: chatRepo, publisher: chatPublisher, clock });
  const chatService = new ChatService({
    repo: chatRepo,
    publisher: chatPublisher,
    embed,
    customers: customersRepo,
    organizations,
    terms,
    policyAt: (at) => policy.inForceAt(at),
    // Offered to chat visitors only when the desk reads mail sent to it.
    supportEmail: config.mail.imapUrl || config.mail.inboundSmtpPort ? supportEmail : null,
    tickets: chatTickets,
    transcripts: new ChatTranscripts({
      outbox,
      supportEmail,
      vendorName: async () => (await policy.inForceAt(clock())).policy.vendor,
      timeZoneAt: async (at) => (await policy.inForceAt(at)).policy.support.timeZone,
    }),
    attachments,
    clock,
    limits: { ...config.chat, maxAttachmentBytes: config.maxAttachmentBytes },
    supportLimits, // fair use (limits)
    spam: spamHeld, // fair use (limits)
  });
  const chat = {
    events: chatEvents,
    repo: chatRepo,
    tickets: chatTickets,
    agents: chatAgents,
    canned: new CannedReplies(macros),
    service: chatService,
    hub: new ChatHub(chatEvents, chatRepo, chatAgents, chatService),
  };
  const notifications = new NotificationsRepository(db.kysely);
  const emailIngest = new EmailIngestService({
    mail,
    tickets,
    conversation,
    ticketsRepo,
    attachments: ticketAttachments,
    users,
    organizations,
    customers: customersRepo,
    config: config.mail,
    dataDir: config.dataDir,
    maxAttachmentBytes: config.maxAttachmentBytes,
    clock,
    limits: supportLimits, // fair use (limits)
    spam: spamHeld, // fair use (limits)
    authenticator: mailAuthenticator({
      authservId: supportEmail.slice(supportEmail.lastIndexOf('@') + 1),
      resolver: overrides.dnsResolver,
    }),
    sentMail: outbox,
    notifications,
  });
  return {
    db,
    clock,
    fairUseFlags: fairUse.flags, // fair use (signals)
    policy,
    policyService,
    slaPreview,
    notifications,
    terms,
    sla,
    auth,
    principalChanges,
    principalCache,
    organizations,
    users,
    ledger,
    tickets,
    ticketTags: new TicketTagsService({ tickets: ticketsRepo, ledger, clock }),
    macros,
    ticketSearch,
    conversation,
    attachments: ticketAttachments,
    merges: new MergeService({ ledger, clock, present: (actor, id) => tickets.get(actor, id) }),
    presence: new TicketPresence({ live, tickets: ticketsRepo, clock }),
    live,
    embed,
    mail,
    outbox,
    staffReplyAddresses: new StaffReplyAddresses({ db: db.kysely, supportEmail, clock, tickets }),
    status,
    statusSubscriptions,
    incidentTickets,
    incidentNotices,
    chat,
    helpCenter,
    helpCenterStructure: new HelpCenterStructure({ repo: helpCenterContent, clock }),
    helpCenterContent,
    helpCenterEngagement,
    ticketHelpCenter: new TicketHelpCenterLinks({
      content: helpCenterContent,
      helpCenter,
      engagement: helpCenterEngagement,
      tickets,
      conversation,
      clock,
      live,
      publicUrl,
    }),
    // No mailer, notices or live bus: an import sends no mail and announces nothing.
    ticketImport: new TicketImportService({
      repo: new TicketImportRepository(db.kysely, db.dialect),
      ledger,
      clock,
    }),
    satisfaction,
    satisfactionSurveys,
    reports: new ReportsService({
      repo: new ReportsRepository(db.kysely, db.dialect),
      policy,
      clock,
      minimumSample: config.reportMinimumSample,
    }),
    emailIngest,
    // fair use (limits)
    fairUseLimits: {
      limits: supportLimits,
      exclusions: new TicketExclusions({ ledger, audit, clock }),
      audit,
      spam: new SpamFolder({
        db: db.kysely,
        repo: spamHeld,
        audit,
        clock,
        releaseMail: (mailId) => emailIngest.release(mailId),
      }),
    },
  };
}
