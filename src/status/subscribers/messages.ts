import { createHmac } from 'node:crypto';
import type { MailHeaders, NewOutboundMail } from '../../notifications/outbox.js';
import { toIso, toIsoOrNull } from '../../shared/time.js';
import type { StatusIncidentRow, StatusIncidentUpdateRow } from '../model.js';
import type { SubscriberRow } from './repository.js';
import { incidentUrl, instantUtc, localized, statusLabel, statusLocale, statusT } from './text.js';

export interface StatusLinks {
  publicUrl: string;
  supportEmail: string;
}

const base = (publicUrl: string) => publicUrl.replace(/\/+$/, '');

export const unsubscribeUrl = (publicUrl: string, token: string) =>
  `${base(publicUrl)}/status/unsubscribe?token=${encodeURIComponent(token)}`;
export const confirmUrl = (publicUrl: string, token: string) =>
  `${base(publicUrl)}/status/subscriptions/confirm?token=${encodeURIComponent(token)}`;

/**
 * The headers of every status mail: RFC 8058 one-click unsubscribe (the POST carries the token in
 * its URL), and RFC 3834's mark of an automatic mail so that auto-responders stay quiet.
 */
export function statusMailHeaders(publicUrl: string, token: string): MailHeaders {
  return {
    'List-Unsubscribe': `<${unsubscribeUrl(publicUrl, token)}>`,
    'List-Unsubscribe-Post': 'List-Unsubscribe=One-Click',
    'Auto-Submitted': 'auto-generated',
    'X-Auto-Response-Suppress': 'All',
  };
}

/** A Message-ID fixed by what the mail is (a delivery, a confirmation), so it never changes between attempts. */
export const stableMessageId = (key: string, supportEmail: string) =>
  `status.${key}@${supportEmail.slice(supportEmail.lastIndexOf('@') + 1)}`;

/** The double opt-in mail. */
export function confirmationMail(links: StatusLinks, subscriber: SubscriberRow): NewOutboundMail {
  const locale = statusLocale(subscriber.locale);
  const t = statusT(locale);
  return {
    kind: 'status_confirmation',
    to: subscriber.email!,
    subject: t('confirmation.subject'),
    text: [
      t('confirmation.intro'),
      '',
      t('confirmation.action', { link: confirmUrl(links.publicUrl, subscriber.token) }),
      '',
      t('confirmation.ignore'),
    ].join('\n'),
    headers: statusMailHeaders(links.publicUrl, subscriber.token),
    messageId: stableMessageId(`confirm.${subscriber.id}`, links.supportEmail),
  };
}

/** An incident update as mail, in the subscriber's language. */
export function updateMail(
  links: StatusLinks,
  deliveryId: string,
  subscriber: SubscriberRow,
  incident: StatusIncidentRow,
  update: StatusIncidentUpdateRow,
): NewOutboundMail {
  const locale = statusLocale(subscriber.locale);
  const t = statusT(locale);
  const { name, body } = localized(incident, update, locale);
  const status = statusLabel(update.status, locale);
  return {
    kind: 'status_update',
    to: subscriber.email!,
    subject: t('update.subject', { status, name }),
    text: [
      name,
      t('update.statusLine', { status }),
      '',
      body,
      '',
      t('update.posted', { at: instantUtc(update.created_at, locale) }),
      t('update.link', { link: incidentUrl(links.publicUrl, incident.id) }),
      '',
      '-- ',
      t('update.footer'),
      t('update.unsubscribe', { link: unsubscribeUrl(links.publicUrl, subscriber.token) }),
    ].join('\n'),
    headers: statusMailHeaders(links.publicUrl, subscriber.token),
    messageId: stableMessageId(deliveryId, links.supportEmail),
  };
}

export type StatusIndicator = 'none' | 'minor' | 'major' | 'critical';

const INDICATOR_DESCRIPTIONS: Record<StatusIndicator, string> = {
  none: 'All Systems Operational',
  minor: 'Minor Service Outage',
  major: 'Partial System Outage',
  critical: 'Major Service Outage',
};

/** An update as a webhook body, in the shape of the widely used hosted status-page webhooks. */
export function webhookPayload(
  links: StatusLinks,
  subscriber: SubscriberRow,
  incident: StatusIncidentRow,
  update: StatusIncidentUpdateRow,
  indicator: StatusIndicator,
) {
  const link = incidentUrl(links.publicUrl, incident.id);
  return {
    meta: {
      unsubscribe: unsubscribeUrl(links.publicUrl, subscriber.token),
      documentation: `${base(links.publicUrl)}/api/docs`,
    },
    page: {
      id: new URL(links.publicUrl).host,
      status_indicator: indicator,
      status_description: INDICATOR_DESCRIPTIONS[indicator],
    },
    incident: {
      id: incident.id,
      name: incident.name,
      status: incident.status,
      impact: incident.impact,
      kind: incident.kind,
      created_at: toIso(incident.created_at),
      updated_at: toIso(incident.updated_at),
      resolved_at: toIsoOrNull(incident.resolved_at),
      scheduled_for: toIsoOrNull(incident.scheduled_for),
      scheduled_until: toIsoOrNull(incident.scheduled_until),
      shortlink: link,
      incident_updates: [
        {
          id: update.id,
          incident_id: incident.id,
          status: update.status,
          body: update.body,
          created_at: toIso(update.created_at),
          display_at: toIso(update.created_at),
        },
      ],
    },
  };
}

/**
 * `t=<unix seconds>,v1=<hex HMAC-SHA256 of "<t>.<body>">`: the receiver recomputes it with the
 * secret it was given at subscription, and refuses an old `t` to stop replays.
 */
export function webhookSignature(secret: string, body: string, unixSeconds: number): string {
  const mac = createHmac('sha256', secret).update(`${unixSeconds}.${body}`).digest('hex');
  return `t=${unixSeconds},v1=${mac}`;
}
