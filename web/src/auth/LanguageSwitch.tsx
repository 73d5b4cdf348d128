import { useTranslation } from 'react-i18next';
import type { Locale } from '../api/types';
import { LOCALES } from '../i18n';
import { useLocale } from '../shared/components';
import { useSession } from './session';

/** The language picker of the top bar: a signed-in user's choice is saved to their profile. */
export function LanguageSwitch() {
  const { t } = useTranslation();
  const locale = useLocale();
  const { chooseLocale } = useSession();
  return (
    <label className="language-switch">
      <span className="visually-hidden">{t('language')}</span>
      <select value={locale} onChange={(e) => void chooseLocale(e.target.value as Locale)}>
        {LOCALES.map((l) => (
          <option key={l} value={l}>
            {t(`languageName.${l}`)}
          </option>
        ))}
      </select>
    </label>
  );
}
