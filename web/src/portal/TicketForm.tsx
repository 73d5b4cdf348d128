import { useMutation, useQueryClient } from '@tanstack/react-query';
import { useId, useState, type FormEvent } from 'react';
import { useTranslation } from 'react-i18next';
import type { ArticleHit } from '../api/helpcenter';
import type { Priority, RequestType, Ticket } from '../api/types';
import { ErrorMessage, Loading, useLocale } from '../shared/components';
import { localized } from '../shared/format';
import { submitTicket, useOrganization, usePolicy, type TicketDraft, type UploadFailure } from './api';
import { ExpectedResponse } from './ExpectedResponse';
import { OpenIncidents } from './Incidents';
import {
  EMPTY_REPRODUCTION,
  FilePicker,
  PriorityField,
  ReproductionFields,
  RequestTypeField,
  type Reproduction,
} from './FormParts';
import { ArticleDialog, SuggestionList, useArticleSuggestions } from './Suggestions';
import { FilingError, SupportLimitNotice } from './SupportLimitNotice';

// Until the customer says otherwise: a frequently used function impaired, with a workaround.
const DEFAULT_PRIORITY: Priority = 'P2';

/** Request types that describe something broken, for which reproduction details help. */
const REPRODUCIBLE: RequestType[] = ['problem'];

export interface TicketFormProps {
  channel: TicketDraft['channel'];
  /** The customer's organization, for their tier; the widget passes it since it has no cookie session. */
  organizationId: string | null;
  onCreated: (ticket: Ticket, failures: UploadFailure[]) => void;
  /** A suggested article answered the question: the form closes without sending. */
  onAnswered: () => void;
}

const orNull = (s: string) => (s.trim() ? s.trim() : null);

/** The one form customers file requests with, in the portal and in the embedded support widget. */
export function TicketForm({ channel, organizationId, onCreated, onAnswered }: TicketFormProps) {
  const { t } = useTranslation('portal');
  const locale = useLocale();
  const queryClient = useQueryClient();
  const hintId = useId();
  const policy = usePolicy();
  const organization = useOrganization(organizationId);
  const [subject, setSubject] = useState('');
  const [body, setBody] = useState('');
  const [priority, setPriority] = useState<Priority | null>(DEFAULT_PRIORITY);
  const [requestType, setRequestType] = useState<RequestType>('question');
  const [reproduction, setReproduction] = useState<Reproduction>(EMPTY_REPRODUCTION);
  const [files, setFiles] = useState<File[]>([]);
  const [incidentId, setIncidentId] = useState<string | null>(null);
  const suggestions = useArticleSuggestions(subject, body, channel === 'in_app' ? 'widget' : 'portal');
  const [reading, setReading] = useState<ArticleHit | null>(null);

  const submit = useMutation({
    mutationFn: () => {
      const showsReproduction = REPRODUCIBLE.includes(requestType);
      const suggestionSessionId = suggestions.sessionId();
      const draft: TicketDraft = {
        subject,
        body,
        priority: priority ?? DEFAULT_PRIORITY,
        requestType,
        channel,
        ...(suggestionSessionId && { suggestionSessionId }),
        ...(incidentId && { incidentId }),
        ...(showsReproduction && {
          reproduction: {
            steps: orNull(reproduction.steps),
            expected: orNull(reproduction.expected),
            actual: orNull(reproduction.actual),
            environment: orNull(reproduction.environment),
          },
        }),
      };
      return submitTicket(draft, files);
    },
    onSuccess: ({ ticket, failures }) => {
      void queryClient.invalidateQueries({ queryKey: ['tickets'] });
      queryClient.setQueryData(['ticket', ticket.id], ticket);
      onCreated(ticket, failures);
    },
  });

  if (policy.isError) return <ErrorMessage error={policy.error} />;
  if (!policy.data || (organizationId && organization.isPending)) return <Loading />;
  const doc = policy.data;
  const tier = organization.data?.tier;
  const urgent = doc.channels.urgent;

  const onSubmit = (event: FormEvent) => {
    event.preventDefault();
    if (!submit.isPending) submit.mutate();
  };

  return (
    <form className="ticket-form" onSubmit={onSubmit}>
      {organization.isError && <ErrorMessage error={organization.error} />}
      <SupportLimitNotice organizationId={organizationId} />
      <label className="field">
        <span className="field-label">{t('form.subject')}</span>
        <input
          name="subject"
          value={subject}
          onChange={(e) => setSubject(e.target.value)}
          required
          maxLength={300}
          autoComplete="off"
        />
      </label>
      <label className="field">
        <span className="field-label">{t('form.description')}</span>
        <textarea
          name="body"
          value={body}
          onChange={(e) => setBody(e.target.value)}
          required
          rows={6}
          aria-describedby={hintId}
        />
      </label>
      <p id={hintId} className="field-hint after-field">
        {t('form.descriptionHint')}
      </p>
      {/* Beside the suggestions: what the desk already knows is wrong. */}
      <OpenIncidents confirmed={incidentId} onConfirm={setIncidentId} />
      <SuggestionList
        suggestions={suggestions.suggestions}
        onOpen={(hit) => {
          setReading(hit);
          suggestions.opened(hit.articleId);
        }}
      />
      {reading && <ArticleDialog hit={reading} onClose={() => setReading(null)} onAnswered={onAnswered} />}

      <RequestTypeField policy={doc} tier={tier} value={requestType} onChange={setRequestType} />
      {REPRODUCIBLE.includes(requestType) && (
        <ReproductionFields value={reproduction} onChange={setReproduction} />
      )}

      <PriorityField policy={doc} value={priority} onChange={setPriority} />
      {priority && urgent?.priorities.includes(priority) && (
        <div className="urgent-notice" role="note">
          <strong>{t('form.urgentTitle', { priority })}</strong> {localized(urgent.text, locale)}
        </div>
      )}
      {/* Right after the priority it depends on, and just above the send button. */}
      <ExpectedResponse priority={priority} policy={doc} />

      <FilePicker files={files} onChange={setFiles} />

      <FilingError error={submit.error} organizationId={organizationId} />
      <div className="form-actions">
        <button type="submit" className="primary" disabled={submit.isPending}>
          {t('form.submit')}
        </button>
        {submit.isPending && (
          <span className="muted" role="status">
            {files.length ? t('form.sendingWithFiles', { count: files.length }) : t('form.sending')}
          </span>
        )}
      </div>
    </form>
  );
}
