import { useId, useState, type FormEvent } from 'react';
import { useTranslation } from 'react-i18next';
import type { CannedReply } from '../../../chat/types';
import type { Locale } from '../../api/types';
import { ErrorMessage, Loading } from '../../shared/components';
import { Dialog } from './Dialog';
import { useCannedReplies, useDeleteCannedReply, useSaveCannedReply } from './queries';

const TITLE_MAX = 100;
const BODY_MAX = 4000;

function CannedReplyForm({ reply, onDone }: { reply: CannedReply | null; onDone: () => void }) {
  const { t } = useTranslation('chat');
  const save = useSaveCannedReply();
  const [title, setTitle] = useState(reply?.title ?? '');
  const [body, setBody] = useState(reply?.body ?? '');
  const [locale, setLocale] = useState<Locale | ''>(reply?.locale ?? '');
  const headingId = useId();
  const titleId = useId();
  const bodyId = useId();
  const localeId = useId();

  const submit = (event: FormEvent) => {
    event.preventDefault();
    if (!title.trim() || !body.trim()) return;
    save.mutate(
      { id: reply?.id, title: title.trim(), body, locale: locale || null },
      {
        onSuccess: () => {
          setTitle('');
          setBody('');
          setLocale('');
          onDone();
        },
      },
    );
  };

  return (
    <form className="chat-canned-form" onSubmit={submit} aria-labelledby={headingId}>
      <h3 id={headingId}>{reply ? t('canned.editing', { title: reply.title }) : t('canned.new')}</h3>
      <div className="field">
        <label htmlFor={titleId} className="field-label">
          {t('canned.title')}
        </label>
        <input
          id={titleId}
          value={title}
          required
          maxLength={TITLE_MAX}
          onChange={(e) => setTitle(e.target.value)}
        />
      </div>
      <div className="field">
        <label htmlFor={bodyId} className="field-label">
          {t('canned.body')}
        </label>
        <textarea
          id={bodyId}
          value={body}
          required
          maxLength={BODY_MAX}
          rows={4}
          onChange={(e) => setBody(e.target.value)}
        />
      </div>
      <div className="field">
        <label htmlFor={localeId} className="field-label">
          {t('canned.locale')}
        </label>
        <select id={localeId} value={locale} onChange={(e) => setLocale(e.target.value as Locale | '')}>
          <option value="">{t('canned.anyLocale')}</option>
          <option value="en">{t('common:languageName.en')}</option>
          <option value="fr">{t('common:languageName.fr')}</option>
        </select>
      </div>
      <ErrorMessage error={save.error} />
      <div className="action-row">
        <button type="submit" className="primary" disabled={!title.trim() || !body.trim() || save.isPending}>
          {reply ? t('canned.save') : t('canned.add')}
        </button>
        {reply && (
          <button type="button" onClick={onDone}>
            {t('dialog.cancel')}
          </button>
        )}
      </div>
    </form>
  );
}

/** The desk's canned replies: add, change and remove them. */
export function CannedRepliesDialog({ onClose }: { onClose: () => void }) {
  const { t } = useTranslation('chat');
  const replies = useCannedReplies('');
  const remove = useDeleteCannedReply();
  const [editing, setEditing] = useState<CannedReply | null>(null);
  return (
    <Dialog title={t('canned.manage')} onClose={onClose} testId="chat-canned-dialog">
      {replies.isPending && <Loading />}
      <ErrorMessage error={replies.error} />
      <ErrorMessage error={remove.error} />
      {replies.data?.length === 0 && <p className="muted">{t('canned.noneYet')}</p>}
      <ul className="chat-canned-manage">
        {replies.data?.map((reply) => (
          <li key={reply.id}>
            <div>
              <strong>{reply.title}</strong>{' '}
              <span className="badge chat-canned-locale">
                {reply.locale ? t(`common:languageName.${reply.locale}`) : t('canned.anyLocale')}
              </span>
              <p className="chat-canned-body">{reply.body}</p>
            </div>
            <div className="action-row">
              <button type="button" onClick={() => setEditing(reply)}>
                {t('canned.edit')}
                <span className="visually-hidden"> {reply.title}</span>
              </button>
              <button
                type="button"
                className="danger"
                disabled={remove.isPending}
                onClick={() => {
                  if (editing?.id === reply.id) setEditing(null);
                  remove.mutate(reply.id);
                }}
              >
                {t('canned.delete')}
                <span className="visually-hidden"> {reply.title}</span>
              </button>
            </div>
          </li>
        ))}
      </ul>
      {/* A new key per reply: the form starts from that reply's fields. */}
      <CannedReplyForm key={editing?.id ?? 'new'} reply={editing} onDone={() => setEditing(null)} />
    </Dialog>
  );
}
