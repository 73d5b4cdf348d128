import { useId, useState, type FormEvent } from 'react';
import { useTranslation } from 'react-i18next';
import { Link, useNavigate } from 'react-router';
import { ErrorMessage, Loading, Time } from '../../shared/components';
import { useDocumentTitle } from '../common';
import { byOrganization, useAllOrganizations, useFlags } from './queries';
import { useFairUseWording } from './wording';

/** Opens the review of any organization, flagged or not: a lead may act on what a customer reports. */
function ReviewAnyOrganization() {
  const { t } = useTranslation('fairuse');
  const id = useId();
  const navigate = useNavigate();
  const organizations = useAllOrganizations();
  const [choice, setChoice] = useState('');
  const submit = (event: FormEvent) => {
    event.preventDefault();
    if (choice) void navigate(`/admin/fairuse/organizations/${choice}`);
  };
  return (
    <form className="card fairuse-choose" onSubmit={submit} aria-labelledby={`${id}-title`}>
      <h2 id={`${id}-title`}>{t('overview.reviewTitle')}</h2>
      <label htmlFor={`${id}-org`} className="field-label">
        {t('overview.organization')}
      </label>
      <div className="action-row">
        <select id={`${id}-org`} value={choice} onChange={(e) => setChoice(e.target.value)} required>
          <option value="">{t('overview.chooseOrganization')}</option>
          {(organizations.data ?? []).map((o) => (
            <option key={o.id} value={o.id}>
              {o.name}
            </option>
          ))}
        </select>
        <button type="submit" disabled={!choice}>
          {t('overview.review')}
        </button>
      </div>
      <ErrorMessage error={organizations.error} />
    </form>
  );
}

/** Admin → Fair use: the organizations with open flags, most serious first, and the way to any other. */
export function FlagsPage() {
  const { t } = useTranslation('fairuse');
  useDocumentTitle(t('overview.title'));
  const wording = useFairUseWording();
  const flags = useFlags();
  const groups = byOrganization(flags.data ?? []);
  return (
    <section aria-labelledby="fairuse-title">
      <div className="page-head">
        <h1 id="fairuse-title">{t('overview.title')}</h1>
      </div>
      <p className="fairuse-intro">{t('overview.intro')}</p>
      <h2>{t('overview.flagged')}</h2>
      {flags.isPending && <Loading />}
      <ErrorMessage error={flags.error} />
      {flags.isSuccess &&
        (groups.length === 0 ? (
          <p className="muted">{t('overview.none')}</p>
        ) : (
          <div className="table-wrap">
            <table className="responsive" data-testid="fairuse-flagged">
              <caption className="visually-hidden">{t('overview.flagged')}</caption>
              <thead>
                <tr>
                  <th scope="col">{t('overview.organization')}</th>
                  <th scope="col">{t('overview.flags')}</th>
                  <th scope="col">{t('overview.strongest')}</th>
                  <th scope="col">{t('overview.latest')}</th>
                </tr>
              </thead>
              <tbody>
                {groups.map((group) => (
                  <tr key={group.id}>
                    <th scope="row">
                      <Link to={`/admin/fairuse/organizations/${group.id}`}>{group.name}</Link>
                    </th>
                    <td data-label={t('overview.flags')}>
                      <ul className="fairuse-kinds">
                        {group.flags.map((flag) => (
                          <li key={flag.id}>
                            <span className={`badge fairuse-kind kind-${flag.kind}`}>
                              {t(`kind.${flag.kind}`, { defaultValue: flag.kind })}
                            </span>{' '}
                            <span className="muted">{wording.summary(flag)}</span>
                          </li>
                        ))}
                      </ul>
                    </td>
                    <td data-label={t('overview.strongest')}>
                      {wording.share(Math.max(...group.flags.map((f) => f.score)))}
                    </td>
                    <td data-label={t('overview.latest')}>
                      <Time
                        iso={group.flags
                          .map((f) => f.window.to)
                          .reduce((a, b) => (Date.parse(a) >= Date.parse(b) ? a : b))}
                      />
                    </td>
                  </tr>
                ))}
              </tbody>
            </table>
          </div>
        ))}
      <ReviewAnyOrganization />
    </section>
  );
}
