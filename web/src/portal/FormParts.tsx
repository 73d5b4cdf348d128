import { useId } from 'react';
import { useTranslation } from 'react-i18next';
import type { PolicyDocument, Priority, RequestType, Tier } from '../api/types';
import { PRIORITIES } from '../api/types';
import { useLocale } from '../shared/components';
import { formatBytes, localized } from '../shared/format';
import { allRequestTypes, lowestTierIncluding } from './promise';

/** The priorities as the policy defines them, in the customer's language, so they can pick honestly. */
export function PriorityField({
  policy,
  value,
  onChange,
}: {
  policy: PolicyDocument;
  value: Priority | null;
  onChange: (p: Priority) => void;
}) {
  const { t } = useTranslation('portal');
  const locale = useLocale();
  const id = useId();
  return (
    <fieldset className="choice-group" aria-describedby={`${id}-intro`}>
      <legend>{t('form.priority')}</legend>
      <p id={`${id}-intro`} className="field-hint">
        {localized(policy.severity.text, locale)}
      </p>
      {PRIORITIES.map((p) => {
        const def = policy.priorities[p];
        return (
          <label key={p} className={`choice${value === p ? ' selected' : ''}`}>
            <input
              type="radio"
              name="priority"
              value={p}
              checked={value === p}
              onChange={() => onChange(p)}
              required
              aria-labelledby={`${id}-${p}-name`}
              aria-describedby={`${id}-${p}`}
            />
            <span className="choice-text">
              <span className="choice-title" id={`${id}-${p}-name`}>
                <span className={`badge priority-${p}`}>{p}</span> {localized(def?.name, locale)}
              </span>
              <span id={`${id}-${p}`} className="choice-description">
                {localized(def?.description, locale)}
              </span>
              {/* The effort of the chosen priority only: four of them would bury the descriptions. */}
              {value === p && def?.resolutionEffort && (
                <span className="choice-effort">
                  {t('form.resolutionEffort')} {localized(def.resolutionEffort, locale)}
                </span>
              )}
            </span>
          </label>
        );
      })}
    </fieldset>
  );
}

/**
 * The kinds of request the policy knows; those the customer's support level does not include stay
 * visible but disabled, naming the lowest level that includes them.
 */
export function RequestTypeField({
  policy,
  tier,
  value,
  onChange,
}: {
  policy: PolicyDocument;
  tier: Tier | undefined;
  value: RequestType;
  onChange: (type: RequestType) => void;
}) {
  const { t } = useTranslation('portal');
  const locale = useLocale();
  const included = tier ? (policy.tiers[tier]?.requestTypes ?? []) : null;
  return (
    <fieldset className="choice-group compact">
      <legend>{t('form.requestType')}</legend>
      {allRequestTypes(policy).map((type) => {
        const allowed = !included || included.includes(type);
        const from = allowed ? undefined : lowestTierIncluding(policy, type);
        return (
          <label
            key={type}
            className={`choice${allowed ? '' : ' disabled'}${value === type ? ' selected' : ''}`}
          >
            <input
              type="radio"
              name="requestType"
              value={type}
              checked={value === type}
              disabled={!allowed}
              onChange={() => onChange(type)}
            />
            <span className="choice-text">
              <span className="choice-title">{t(`common:requestType.${type}`, { defaultValue: type })}</span>
              {from && (
                <span className="choice-description">
                  {t('form.includedFrom', { tier: localized(policy.tiers[from].name, locale) })}
                </span>
              )}
            </span>
          </label>
        );
      })}
    </fieldset>
  );
}

export interface Reproduction {
  steps: string;
  expected: string;
  actual: string;
  environment: string;
}
export const EMPTY_REPRODUCTION: Reproduction = { steps: '', expected: '', actual: '', environment: '' };

/** What lets the support team reproduce a problem: all optional, each a plain-text box. */
export function ReproductionFields({
  value,
  onChange,
}: {
  value: Reproduction;
  onChange: (r: Reproduction) => void;
}) {
  const { t } = useTranslation('portal');
  const fields = ['steps', 'expected', 'actual', 'environment'] as const;
  return (
    <fieldset className="reproduction">
      <legend>{t('form.reproduction.title')}</legend>
      <p className="field-hint">{t('form.reproduction.hint')}</p>
      {fields.map((name) => (
        <label key={name} className="field">
          <span className="field-label">{t(`form.reproduction.${name}`)}</span>
          <textarea
            name={name}
            rows={name === 'environment' ? 2 : 3}
            value={value[name]}
            onChange={(e) => onChange({ ...value, [name]: e.target.value })}
            placeholder={t(`form.reproduction.${name}Placeholder`)}
          />
        </label>
      ))}
    </fieldset>
  );
}

/**
 * A file chooser in the page's language: the browser's own button would speak the browser's
 * language, not the customer's.
 */
export function FileButton({
  label,
  onFiles,
  disabled = false,
}: {
  label: string;
  onFiles: (files: File[]) => void;
  disabled?: boolean;
}) {
  return (
    <label className={`button file-button${disabled ? ' disabled' : ''}`}>
      <input
        type="file"
        multiple
        className="visually-hidden"
        disabled={disabled}
        onChange={(e) => {
          const chosen = Array.from(e.target.files ?? []);
          e.target.value = '';
          if (chosen.length) onFiles(chosen);
        }}
      />
      {label}
    </label>
  );
}

/** Files chosen to go with the request; they are uploaded once the ticket exists. */
export function FilePicker({ files, onChange }: { files: File[]; onChange: (files: File[]) => void }) {
  const { t } = useTranslation('portal');
  const locale = useLocale();
  return (
    <div className="field">
      <span className="field-label">{t('form.attachments')}</span>
      <div className="upload-row">
        <FileButton label={t('form.chooseFiles')} onFiles={(chosen) => onChange([...files, ...chosen])} />
        {files.length === 0 && <span className="muted">{t('form.noFiles')}</span>}
      </div>
      {files.length > 0 && (
        <ul className="file-list">
          {files.map((file, i) => (
            <li key={`${file.name}-${i}`}>
              <span className="file-name">{file.name}</span>{' '}
              <span className="muted">{formatBytes(file.size, locale)}</span>{' '}
              <button
                type="button"
                className="link"
                onClick={() => onChange(files.filter((_, j) => j !== i))}
                aria-label={t('form.removeFile', { name: file.name })}
              >
                {t('form.remove')}
              </button>
            </li>
          ))}
        </ul>
      )}
    </div>
  );
}
