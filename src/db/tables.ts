import type { Generated, Insertable, Selectable, Updateable } from 'kysely';

/**
 * Accord's tables as Kysely sees them. Every instant is stored as epoch milliseconds (a 64-bit
 * integer column on both databases), so time arithmetic in SQL is the same on SQLite and PostgreSQL.
 */
export interface Database {
  organizations: OrganizationTable;
  organization_domains: OrganizationDomainTable;
  subscriptions: SubscriptionTable;
  users: UserTable;
  sessions: SessionTable;
  api_tokens: ApiTokenTable;
  password_resets: PasswordResetTable;
  login_failures: LoginFailureTable;
  counters: CounterTable;
  tickets: TicketTable;
  ticket_messages: TicketMessageTable;
  ticket_events: TicketEventTable;
  ticket_tags: TicketTagTable;
  macros: MacroTable;
  attachments: AttachmentTable;
  policy_versions: PolicyVersionTable;
  policy_overrides: PolicyOverrideTable;
  sla_events: SlaEventTable;
  notifications: NotificationTable;
  mail_messages: MailMessageTable;
  ticket_reply_tokens: TicketReplyTokenTable;
  staff_reply_tokens: StaffReplyTokenTable;
  mail_outbox: MailOutboxTable;
  mail_bounces: MailBounceTable;
  hc_categories: HcCategoryTable;
  hc_sections: HcSectionTable;
  hc_articles: HcArticleTable;
  hc_translations: HcTranslationTable;
  hc_revisions: HcRevisionTable;
  hc_ticket_links: HcTicketLinkTable;
  hc_votes: HcVoteTable;
  hc_views: HcViewTable;
  hc_searches: HcSearchTable;
  hc_suggestion_sessions: HcSuggestionSessionTable;
  hc_suggestions_shown: HcSuggestionShownTable;
  status_components: StatusComponentTable;
  status_component_states: StatusComponentStateTable;
  status_incidents: StatusIncidentTable;
  status_incident_components: StatusIncidentComponentTable;
  status_incident_updates: StatusIncidentUpdateTable;
  status_subscribers: StatusSubscriberTable;
  status_deliveries: StatusDeliveryTable;
  status_incident_tickets: StatusIncidentTicketTable;
  status_version: StatusVersionTable;
  organization_notices: OrganizationNoticeTable;
  chat_conversations: ChatConversationTable;
  chat_messages: ChatMessageTable;
  chat_attachments: ChatAttachmentTable;
  chat_agents: ChatAgentTable;
  fairuse_signals: FairUseSignalTable;
  fairuse_dismissals: FairUseDismissalTable;
  ticket_off_topic: TicketOffTopicTable;
  ticket_exclusions: TicketExclusionTable;
  support_limits: SupportLimitTable;
  audit_log: AuditLogTable;
  spam_items: SpamItemTable;
  idempotency_keys: IdempotencyKeyTable;
  satisfaction_surveys: SatisfactionSurveyTable;
  satisfaction_settings: SatisfactionSettingTable;
}

/** A caller's Idempotency-Key on a create route and the outcome it stands for (src/http/idempotency.ts). */
export interface IdempotencyKeyTable {
  id: string;
  user_id: string;
  /** e.g. "POST /tickets/:id/messages" */
  route: string;
  key: string;
  /** SHA-256 of the request's path parameters and body. */
  fingerprint: string;
  resource_id: string;
  response_status: number;
  /** JSON of the first answer; null until stored, just after the commit. */
  response_body: string | null;
  created_at: number;
  expires_at: number;
}

export type ComponentState =
  'operational' | 'degraded_performance' | 'partial_outage' | 'major_outage' | 'under_maintenance';

export interface StatusComponentTable {
  id: string;
  group_name: string | null;
  name: string;
  description: string;
  position: number;
  state: ComponentState;
  created_at: number;
  updated_at: number;
}

export interface StatusComponentStateTable {
  id: string;
  component_id: string;
  state: ComponentState;
  from_at: number;
  incident_id: string | null;
}

export interface StatusIncidentTable {
  id: string;
  kind: 'incident' | 'maintenance';
  name: string;
  name_fr: string | null;
  impact: 'none' | 'minor' | 'major' | 'critical' | 'maintenance';
  status: string;
  scheduled_for: number | null;
  scheduled_until: number | null;
  auto_transition: number;
  postmortem_md: string | null;
  postmortem_html: string | null;
  origin_ticket_id: string | null;
  created_by: string | null;
  created_at: number;
  updated_at: number;
  started_at: number | null;
  resolved_at: number | null;
}

export interface StatusIncidentComponentTable {
  incident_id: string;
  component_id: string;
  state: ComponentState;
}

export interface StatusIncidentUpdateTable {
  id: string;
  incident_id: string;
  status: string;
  body: string;
  body_fr: string | null;
  author_id: string | null;
  created_at: number;
}

export interface StatusSubscriberTable {
  id: string;
  kind: 'email' | 'webhook';
  email: string | null;
  url: string | null;
  secret: string | null;
  locale: string;
  component_ids: string | null;
  token: string;
  confirmed_at: number | null;
  unsubscribed_at: number | null;
  created_at: number;
}

export interface StatusDeliveryTable {
  id: string;
  subscriber_id: string;
  update_id: string;
  status: 'pending' | 'sent' | 'failed';
  attempts: number;
  next_attempt_at: number;
  locked_until: number | null;
  last_error: string | null;
  created_at: number;
  sent_at: number | null;
}

/** One row (id 1): moved by triggers whenever what the public status page shows is written. */
export interface StatusVersionTable {
  id: number;
  version: number;
}

export interface StatusIncidentTicketTable {
  incident_id: string;
  ticket_id: string;
  linked_by: string | null;
  /** manual: staff linked it; customer: the customer confirmed it; automatic: linked by earlier versions of the desk. */
  how: 'manual' | 'customer' | 'automatic';
  at: number;
}

export interface OrganizationNoticeTable {
  id: string;
  organization_id: string;
  incident_id: string | null;
  subject: string;
  body: string;
  sent_by: string | null;
  recipients: number;
  at: number;
}

/** Help center categories and sections: titles are JSON objects keyed by locale. */
export interface HcCategoryTable {
  id: string;
  key: string;
  position: number;
  titles: string;
  descriptions: string;
  created_at: number;
  updated_at: number;
}

export interface HcSectionTable {
  id: string;
  category_id: string;
  key: string;
  position: number;
  titles: string;
  created_at: number;
  updated_at: number;
}

/** An article or known issue; its words live in one translation per locale. */
export interface HcArticleTable {
  id: string;
  key: string;
  kind: 'article' | 'known_issue';
  section_id: string | null;
  position: number;
  status: 'draft' | 'published' | 'archived';
  audience: 'public' | 'signed_in' | 'tiers';
  /** JSON array of tiers, when audience is 'tiers'. */
  audience_tiers: string | null;
  issue_status: 'investigating' | 'workaround_available' | 'fixed' | null;
  fixed_in: string | null;
  affected_area: string | null;
  author_id: string | null;
  created_at: number;
  updated_at: number;
  published_at: number | null;
}

export interface HcTranslationTable {
  id: string;
  article_id: string;
  locale: string;
  slug: string;
  title: string;
  summary: string;
  body_md: string;
  /** The Markdown rendered and sanitized when saved. */
  body_html: string;
  symptom: string | null;
  workaround_md: string | null;
  workaround_html: string | null;
  author_id: string | null;
  revision: number;
  created_at: number;
  updated_at: number;
}

export interface HcRevisionTable {
  id: string;
  article_id: string;
  locale: string;
  revision: number;
  title: string;
  summary: string;
  body_md: string;
  symptom: string | null;
  workaround_md: string | null;
  author_id: string | null;
  at: number;
}

export interface HcTicketLinkTable {
  id: string;
  ticket_id: string;
  article_id: string;
  kind: 'known_issue' | 'answer';
  locale: string;
  created_by: string | null;
  at: number;
}

export interface HcVoteTable {
  article_id: string;
  voter: string;
  locale: string;
  helpful: number;
  at: number;
}

export interface HcViewTable {
  article_id: string;
  locale: string;
  day: number;
  views: number;
}

export interface HcSearchTable {
  id: string;
  locale: string;
  query: string;
  results: number;
  source: string;
  at: number;
}

/** One ticket form being written: what it was shown, what was opened, and the ticket if it was sent. */
export interface HcSuggestionSessionTable {
  id: string;
  locale: string;
  channel: string;
  user_id: string | null;
  organization_id: string | null;
  ticket_id: string | null;
  last_query: string;
  created_at: number;
  updated_at: number;
}

export interface HcSuggestionShownTable {
  session_id: string;
  article_id: string;
  locale: string;
  shown_at: number;
  opened_at: number | null;
}

/** One mail in or out: the key to threading (Message-ID), duplicate delivery and the rate cap. */
export interface MailMessageTable {
  id: string;
  direction: 'inbound' | 'outbound';
  message_id: string;
  ticket_id: string | null;
  ticket_message_id: string | null;
  from_address: string;
  /** JSON array of addresses. */
  to_addresses: string;
  subject: string;
  /** What became of it: ticket_created, reply_added, duplicate, loop, bounce, rate_limited, rejected, limited (a support limit refused it; the sender was answered), failed, sent. */
  disposition: string;
  reason: string | null;
  /** Where the raw message is kept (relative to DATA_DIR), for inspection. */
  raw_path: string | null;
  size: number;
  at: number;
  /** Inbound: verified, unverified or failed (DKIM, SPF and DMARC); null for outbound mail. */
  auth_verdict: string | null;
  /** Inbound: the Authentication-Results the verdict was read from. */
  auth_results: string | null;
}

/** A member of staff's secret reply address on one ticket: the only way staff answer by mail. */
export interface StaffReplyTokenTable {
  token: string;
  ticket_id: string;
  user_id: string;
  created_at: number;
}

export interface TicketReplyTokenTable {
  ticket_id: string;
  token: string;
}

export interface MailOutboxTable {
  id: string;
  message_id: string;
  kind: string;
  ticket_id: string | null;
  to_address: string;
  subject: string;
  body_text: string;
  body_html: string | null;
  /** JSON object of extra headers (In-Reply-To, References, Auto-Submitted, Reply-To …). */
  headers: string;
  /** pending, sent, failed (gave up; shown to admins). */
  status: string;
  attempts: number;
  next_attempt_at: number;
  /** A worker that claimed the mail holds it until then; after a crash another may take it. */
  locked_until: number | null;
  last_error: string | null;
  created_at: number;
  sent_at: number | null;
}

export interface MailBounceTable {
  id: string;
  email: string;
  user_id: string | null;
  reason: string;
  message_id: string | null;
  at: number;
}

export interface OrganizationTable {
  id: string;
  name: string;
  locale: string;
  /** 1: unknown senders from the organization's domains join it as authorized users. */
  email_signup: Generated<number>;
  created_at: number;
  updated_at: number;
}

export interface OrganizationDomainTable {
  domain: string;
  organization_id: string;
}

export interface SubscriptionTable {
  id: string;
  organization_id: string;
  tier: string;
  term_start: number;
  term_end: number;
  created_at: number;
  /** The policy version this term keeps until it ends (policy section 6). */
  policy_version_id: string | null;
}

export interface UserTable {
  id: string;
  email: string;
  name: string;
  role: string;
  organization_id: string | null;
  password_hash: string | null;
  locale: string | null;
  deactivated_at: number | null;
  created_at: number;
  updated_at: number;
}

export interface SessionTable {
  id: string;
  user_id: string;
  csrf_token: string;
  created_at: number;
  expires_at: number;
}

export interface ApiTokenTable {
  id: string;
  user_id: string;
  name: string;
  token_hash: string;
  created_at: number;
  last_used_at: number | null;
  revoked_at: number | null;
}

export interface PasswordResetTable {
  token_hash: string;
  user_id: string;
  created_at: number;
  expires_at: number;
  used_at: number | null;
}

export interface LoginFailureTable {
  id: string;
  key: string;
  at: number;
}

export interface CounterTable {
  name: string;
  value: number;
}

export interface TicketTable {
  id: string;
  number: number;
  subject: string;
  organization_id: string;
  requester_id: string;
  created_by_id: string;
  priority: string;
  status: string;
  channel: string;
  request_type: string;
  tier: string;
  assignee_id: string | null;
  repro_steps: string | null;
  repro_expected: string | null;
  repro_actual: string | null;
  repro_environment: string | null;
  created_at: number;
  updated_at: number;
  resolved_at: number | null;
  closed_at: number | null;
  policy_version_id: string | null;
  sla_first_response_due_at: number | null;
  sla_first_response_at: number | null;
  sla_next_response_due_at: number | null;
  sla_next_response_at: number | null;
  sla_resolution_due_at: number | null;
  sla_resolved_at: number | null;
  sla_update_due_at: number | null;
  sla_escalation_due_at: number | null;
  sla_escalation_level: number;
  sla_next_due_at: number | null;
  sla_next_check_at: number | null;
  /** The first-response target in milliseconds of its own clock, and which clock. */
  sla_first_response_target_ms: number | null;
  sla_first_response_clock: string | null;
  /** How long the first response took on the target's clock; null until it is given. */
  sla_first_response_ms: number | null;
  /** The ticket's id in the helpdesk it was imported from. */
  external_id: string | null;
  /** Set when the ticket was merged: the ticket its conversation continues in. */
  merged_into_id: string | null;
}

export interface TicketMessageTable {
  id: string;
  ticket_id: string;
  author_id: string;
  visibility: string;
  body_format: string;
  body: string;
  created_at: number;
  /** Set on a message that moved here when its ticket was merged into this one. */
  merged_from_ticket_id: string | null;
}

export interface TicketEventTable {
  id: string;
  ticket_id: string;
  type: string;
  /** internal events (notes, assignment) are shown to staff only */
  visibility: string;
  actor_id: string | null;
  at: number;
  data: string;
}

export interface AttachmentTable {
  id: string;
  ticket_id: string;
  message_id: string | null;
  filename: string;
  content_type: string;
  size: number;
  sha256: string;
  storage_key: string;
  uploaded_by_id: string;
  created_at: number;
}

export interface PolicyVersionTable {
  id: string;
  policy_id: string;
  version: string;
  effective_from: number;
  /** The policy file as published, kept verbatim. */
  source: string;
  content_hash: string;
  published_at: number;
  published_by: string | null;
  regression_allowed: number;
}

export interface PolicyOverrideTable {
  organization_id: string;
  /** JSON: the contract's overrides of targets, cadence and calendar for one organization. */
  overrides: string;
  reason: string;
  updated_at: number;
  updated_by: string | null;
}

export interface SlaEventTable {
  id: string;
  ticket_id: string;
  kind: string;
  target: string;
  due_at: number;
  level: number | null;
  fired_at: number;
}

export interface NotificationTable {
  id: string;
  user_id: string;
  ticket_id: string | null;
  kind: string;
  title: string;
  body: string;
  created_at: number;
  read_at: number | null;
}

export type PolicyVersionRow = Selectable<PolicyVersionTable>;
export type OrganizationRow = Selectable<OrganizationTable>;
export type SubscriptionRow = Selectable<SubscriptionTable>;
export type UserRow = Selectable<UserTable>;
export type NewUser = Insertable<UserTable>;
export type UserUpdate = Updateable<UserTable>;
export type TicketRow = Selectable<TicketTable>;
export type TicketUpdate = Updateable<TicketTable>;
export type TicketMessageRow = Selectable<TicketMessageTable>;
export type TicketEventRow = Selectable<TicketEventTable>;
export type AttachmentRow = Selectable<AttachmentTable>;
export type HcArticleRow = Selectable<HcArticleTable>;
export type HcTranslationRow = Selectable<HcTranslationTable>;
export type HcCategoryRow = Selectable<HcCategoryTable>;
export type HcSectionRow = Selectable<HcSectionTable>;

/** A live chat, from the visitor's first words to its end (and the ticket it may have become). */
export interface ChatConversationTable {
  id: string;
  status: 'queued' | 'active' | 'ended';
  visitor_name: string;
  visitor_email: string;
  visitor_user_id: string | null;
  verified: number;
  organization_id: string | null;
  tier: string | null;
  priority: string;
  locale: string;
  page: string | null;
  token_hash: string;
  client_key: string;
  queue_rank: number;
  agent_id: string | null;
  ticket_id: string | null;
  last_seq: number;
  visitor_delivered_seq: number;
  visitor_seen_seq: number;
  agent_delivered_seq: number;
  agent_seen_seq: number;
  first_agent_message_at: number | null;
  created_at: number;
  accepted_at: number | null;
  ended_at: number | null;
  transcript_sent_at: number | null;
  visitor_seen_at: number;
}
export type ChatConversationRow = ChatConversationTable;

export interface ChatMessageTable {
  id: string;
  conversation_id: string;
  seq: number;
  client_id: string | null;
  author_kind: 'visitor' | 'agent' | 'system';
  author_id: string | null;
  author_name: string;
  body: string;
  attachment_id: string | null;
  created_at: number;
}
export type ChatMessageRow = ChatMessageTable;

export interface ChatAttachmentTable {
  id: string;
  conversation_id: string;
  filename: string;
  content_type: string;
  size: number;
  sha256: string;
  storage_key: string;
  uploaded_by: 'visitor' | 'agent';
  created_at: number;
}
export type ChatAttachmentRow = ChatAttachmentTable;

export interface ChatAgentTable {
  agent_id: string;
  status: 'online' | 'away' | 'offline';
  capacity: number;
  last_seen_at: number;
  updated_at: number;
}

/** A tag on a ticket, normalized (src/tickets/tags.ts); written by the ticket ledger only. */
export interface TicketTagTable {
  ticket_id: string;
  tag: string;
  added_by_id: string | null;
  added_at: number;
}

/** A saved set of actions for a ticket (src/macros); the chat's canned replies are macros with a text only. */
export interface MacroTable {
  id: string;
  /** null: shared with the team; otherwise personal to this user. */
  owner_id: string | null;
  title: string;
  body_en: string | null;
  body_fr: string | null;
  visibility: 'public' | 'internal';
  status: string | null;
  priority: string | null;
  priority_reason: string | null;
  assignee_id: string | null;
  /** JSON array of normalized tags. */
  tags: string;
  created_by_id: string | null;
  created_at: number;
  updated_at: number;
}

/** One sign of inappropriate use (policy section 5) on one ticket, with what shows it. */
export interface FairUseSignalTable {
  id: string;
  organization_id: string;
  ticket_id: string;
  kind: 'repeat_incident' | 'reopened_unchanged' | 'helpcenter_answered' | 'off_topic';
  score: number;
  /** JSON. */
  evidence: string;
  at: number;
}

export interface FairUseDismissalTable {
  id: string;
  organization_id: string;
  kind: string;
  evidence_until: number;
  reason: string;
  dismissed_by: string | null;
  dismissed_at: number;
}

export interface TicketOffTopicTable {
  ticket_id: string;
  note: string | null;
  marked_by: string | null;
  marked_at: number;
}

export interface TicketExclusionTable {
  ticket_id: string;
  reason: 'nonconforming_use' | 'gross_negligence';
  note: string;
  excluded_by: string | null;
  excluded_at: number;
}

export interface SupportLimitTable {
  id: string;
  organization_id: string;
  kind: 'open_tickets' | 'tickets_per_period' | 'channels' | 'suspension';
  /** JSON. */
  settings: string;
  reason: string;
  starts_at: number;
  ends_at: number | null;
  created_by: string | null;
  created_at: number;
  lifted_at: number | null;
  lifted_by: string | null;
}

export interface AuditLogTable {
  id: string;
  organization_id: string | null;
  ticket_id: string | null;
  actor_id: string | null;
  action: string;
  reason: string | null;
  /** JSON. */
  data: string;
  at: number;
}

export interface SpamItemTable {
  id: string;
  channel: 'email' | 'chat' | 'helpcenter';
  source: string;
  summary: string;
  /** JSON. */
  payload: string;
  reason: string;
  created_at: number;
  outcome: 'released' | 'discarded' | null;
  reviewed_by: string | null;
  reviewed_at: number | null;
}

/** A ticket's satisfaction survey and, once given, its answer (src/satisfaction). */
export interface SatisfactionSurveyTable {
  id: string;
  ticket_id: string;
  organization_id: string;
  requester_id: string;
  tier: string;
  priority: string;
  agent_id: string | null;
  locale: string;
  /** SHA-256 (hex) of the link's token. */
  token_hash: string;
  mailed: number;
  created_at: number;
  expires_at: number;
  rating: 'good' | 'bad' | null;
  comment: string | null;
  answered_at: number | null;
  answered_via: 'link' | 'portal' | null;
}

/** Whether a tier's tickets are asked the satisfaction question; a tier without a row is. */
export interface SatisfactionSettingTable {
  tier: string;
  enabled: number;
  updated_at: number;
  updated_by: string | null;
}
