import { useId } from 'react';
import { useTranslation } from 'react-i18next';
import type { Ticket, TicketEvent } from '../api/types';
import { formatBytes } from '../shared/format';
import { ErrorMessage, Loading, Time, useLocale } from '../shared/components';
import { useEvents, useStaff } from './queries';

const str = (value: unknown): string => (typeof value === 'string' ? value : '');

// The scheduler names targets in snake case; the console's words for them are under due.*.
const TARGET_KEYS: Record<string, string> = {
  first_response: 'due.firstResponse',
  next_response: 'due.nextResponse',
  resolution: 'due.resolution',
  update: 'due.update',
  escalation: 'due.escalation',
};

/** One entry of the append-only log, in words. */
function useDescribe(ticket: Ticket) {
  const { t } = useTranslation('console');
  const locale = useLocale();
  const staff = useStaff();
  const nameOf = (id: unknown): string => {
    if (typeof id !== 'string') return t('events.nobody');
    if (id === ticket.requesterId) return ticket.requester.name;
    return staff.data?.find((s) => s.id === id)?.name ?? t('events.someone');
  };
  const status = (s: unknown) => t(`common:status.${str(s)}`, { defaultValue: str(s) });
  const requestType = (r: unknown) => t(`common:requestType.${str(r)}`, { defaultValue: str(r) });
  const target = (k: unknown) => t(TARGET_KEYS[str(k)] ?? 'due.unknown');

  return (event: TicketEvent): string => {
    const d = event.data;
    const actor = event.actor?.name ?? (event.actorId ? nameOf(event.actorId) : t('events.system'));
    switch (event.type) {
      case 'created':
        return t('events.created', { actor, channel: t(`common:channel.${str(d.channel)}`) });
      case 'status_changed':
        return t(d.cause === 'message' ? 'events.statusAfterMessage' : 'events.statusChanged', {
          actor,
          from: status(d.from),
          to: status(d.to),
        });
      case 'priority_changed':
        return t('events.priorityChanged', {
          actor,
          from: str(d.from),
          to: str(d.to),
          reason: str(d.reason),
        });
      case 'assignee_changed':
        return d.to ? t('events.assigned', { actor, to: nameOf(d.to) }) : t('events.unassigned', { actor });
      case 'subject_changed':
        return t('events.subjectChanged', { actor, from: str(d.from), to: str(d.to) });
      case 'request_type_changed':
        return t('events.requestTypeChanged', { actor, from: requestType(d.from), to: requestType(d.to) });
      case 'reproduction_changed':
        return t('events.reproductionChanged', { actor });
      case 'message_added':
        if (d.initial && d.takenById)
          return t('events.firstMessageTaken', {
            actor,
            takenBy: nameOf(d.takenById),
            channel: t(`common:channel.${str(d.channel)}`),
          });
        if (d.initial) return t('events.firstMessage', { actor });
        return d.visibility === 'internal'
          ? t('events.noteAdded', { actor })
          : t('events.replyAdded', { actor });
      case 'attachment_added':
        return t('events.attachmentAdded', {
          actor,
          filename: str(d.filename),
          size: typeof d.size === 'number' ? formatBytes(d.size, locale) : '',
        });
      case 'incident_linked':
        return t(d.how === 'customer' ? 'events.incidentLinkedByCustomer' : 'events.incidentLinked', {
          actor,
          name: str(d.name),
        });
      case 'incident_unlinked':
        return t('events.incidentUnlinked', { actor, name: str(d.name) });
      case 'excluded':
        return t('events.excluded', {
          actor,
          reason: t(`fairuse:exclusion.reason.${str(d.reason)}`, { defaultValue: str(d.reason) }),
        });
      case 'exclusion_removed':
        return t('events.exclusionRemoved', { actor });
      case 'tag_added':
        return t('macros:events.tagAdded', { actor, tag: str(d.tag) });
      case 'tag_removed':
        return t('macros:events.tagRemoved', { actor, tag: str(d.tag) });
      case 'sla_warning':
        return t('events.slaWarning', { target: target(d.target) });
      case 'sla_breach':
        return t('events.slaBreach', { target: target(d.target) });
      case 'sla_escalation':
        return t('events.slaEscalation', { level: typeof d.level === 'number' ? d.level : '?' });
      case 'satisfaction_answered':
        return t('satisfaction:event.answered', {
          actor,
          rating: t(`satisfaction:rating.${str(d.rating)}`, { defaultValue: str(d.rating) }),
        });
      case 'merged_into':
        return t('collab:event.mergedInto', { actor, number: typeof d.number === 'number' ? d.number : '?' });
      case 'merged_from':
        return t('collab:event.mergedFrom', { actor, number: typeof d.number === 'number' ? d.number : '?' });
      default:
        return t('events.other', { type: event.type, actor });
    }
  };
}

export function EventLog({ ticket }: { ticket: Ticket }) {
  const { t } = useTranslation('console');
  const events = useEvents(ticket.id);
  const describe = useDescribe(ticket);
  const headingId = useId();
  return (
    <section className="card event-log" aria-labelledby={headingId}>
      <h2 id={headingId}>{t('events.heading')}</h2>
      {events.isPending && <Loading />}
      <ErrorMessage error={events.error} />
      {/* Scrolls on its own when long, so it takes the focus to be scrolled by keyboard. */}
      <ol className="events" tabIndex={0} aria-labelledby={headingId}>
        {[...(events.data ?? [])].reverse().map((event) => (
          <li key={event.id} className={`event event-${event.type}`}>
            <Time iso={event.at} />
            <span>{describe(event)}</span>
            {typeof event.data.dueAt === 'string' && (
              <span className="muted">
                {t('events.dueAt')} <Time iso={event.data.dueAt} />
              </span>
            )}
          </li>
        ))}
      </ol>
    </section>
  );
}
