import { useRef, useState } from 'react';
import { useTranslation } from 'react-i18next';
import { Link, useNavigate, useParams } from 'react-router';
import { ErrorMessage, Loading } from '../shared/components';
import { Attachments } from './Attachments';
import { Conversation } from './Conversation';
import { EventLog } from './EventLog';
import { FairUsePanel } from './FairUsePanel';
import { HelpCenterPanel } from './HelpCenterPanel';
import { IncidentPanel } from './IncidentPanel';
import { MacroPanel } from './MacroPicker';
import { MergeDialog, MergedNotice } from './MergeDialog';
import { PresenceBar, usePresence } from './Presence';
import { useLeadFraction, useTicket } from './queries';
import { neighbourInQueue, queueHref } from './queueOrder';
import { ReplyBox, type ReplyMode } from './ReplyBox';
import { Reproduction } from './Reproduction';
import { SatisfactionCard } from './SatisfactionCard';
import { useShortcuts } from './shortcuts';
import { SlaPanel } from './SlaPanel';
import { TagsEditor } from './TagsEditor';
import { TicketActions } from './TicketActions';
import { TicketHeader } from './TicketHeader';

const SHORTCUTS = [
  ['r', 'shortcuts.reply'],
  ['n', 'shortcuts.note'],
  ['j', 'shortcuts.next'],
  ['k', 'shortcuts.previous'],
  ['m', 'macros:shortcut'],
  ['?', 'shortcuts.help'],
] as const;

function ShortcutHelp({ open, onToggle }: { open: boolean; onToggle: (open: boolean) => void }) {
  const { t } = useTranslation('console');
  return (
    <details className="shortcut-help" open={open} onToggle={(e) => onToggle(e.currentTarget.open)}>
      <summary>{t('shortcuts.summary')}</summary>
      <dl>
        {SHORTCUTS.map(([key, label]) => (
          <div key={key}>
            <dt>
              <kbd>{key}</kbd>
            </dt>
            <dd>{t(label)}</dd>
          </div>
        ))}
        <div>
          <dt>
            <kbd>{t('shortcuts.ctrlKey')}</kbd>/<kbd>⌘</kbd> + <kbd>{t('shortcuts.enterKey')}</kbd>
          </dt>
          <dd>{t('shortcuts.send')}</dd>
        </div>
      </dl>
    </details>
  );
}

function TicketView({ id }: { id: string }) {
  const { t } = useTranslation('console');
  const navigate = useNavigate();
  const ticket = useTicket(id);
  const leadFraction = useLeadFraction();
  const [mode, setMode] = useState<ReplyMode>('public');
  const [helpOpen, setHelpOpen] = useState(false);
  const [edge, setEdge] = useState('');
  const [drafting, setDrafting] = useState(false);
  const [macrosOpen, setMacrosOpen] = useState(false);
  const present = usePresence(id, drafting);
  const replyRef = useRef<HTMLTextAreaElement>(null);

  const focusReply = (next: ReplyMode) => {
    setMode(next);
    replyRef.current?.focus();
  };
  const step = (direction: 1 | -1) => {
    const next = neighbourInQueue(id, direction);
    if (next) void navigate(`/console/tickets/${next}`);
    else setEdge(t(direction === 1 ? 'shortcuts.lastInQueue' : 'shortcuts.firstInQueue'));
  };
  useShortcuts({
    r: () => focusReply('public'),
    n: () => focusReply('internal'),
    j: () => step(1),
    k: () => step(-1),
    m: () => setMacrosOpen(true),
    '?': () => setHelpOpen((open) => !open),
  });

  return (
    <div className="ticket-page">
      <p className="ticket-nav">
        <Link to={queueHref()}>{t('ticket.backToQueue')}</Link>
        <span className="muted shortcut-hint">{t('shortcuts.hint')}</span>
        <span role="status" className="muted">
          {edge}
        </span>
      </p>
      <ShortcutHelp open={helpOpen} onToggle={setHelpOpen} />
      {ticket.isPending && <Loading />}
      <ErrorMessage error={ticket.error} />
      {ticket.data && (
        <>
          <TicketHeader ticket={ticket.data} />
          <PresenceBar people={present} />
          <MergedNotice ticket={ticket.data} />
          <div className="ticket-layout">
            <div className="ticket-main">
              <Reproduction ticket={ticket.data} />
              <Conversation ticketId={id} />
              <ReplyBox
                ticketId={id}
                mode={mode}
                onModeChange={setMode}
                textareaRef={replyRef}
                updatedAt={ticket.data.updatedAt}
                onDraftChange={setDrafting}
              />
            </div>
            <div className="ticket-side">
              <SlaPanel sla={ticket.data.sla} status={ticket.data.status} leadFraction={leadFraction} />
              <MacroPanel ticket={ticket.data} open={macrosOpen} onOpenChange={setMacrosOpen} />
              <TicketActions ticket={ticket.data} />
              <TagsEditor ticket={ticket.data} />
              <MergeDialog ticket={ticket.data} />
              <SatisfactionCard ticket={ticket.data} />
              <IncidentPanel ticket={ticket.data} />
              <HelpCenterPanel ticketId={id} />
              <FairUsePanel ticket={ticket.data} />
              <Attachments ticketId={id} />
              <EventLog ticket={ticket.data} />
            </div>
          </div>
        </>
      )}
    </div>
  );
}

/** /console/tickets/:id. Keyed by id, so moving to another ticket starts with a fresh reply box. */
export function TicketPage() {
  const { id = '' } = useParams();
  return <TicketView key={id} id={id} />;
}
