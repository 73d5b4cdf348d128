import { useTranslation } from 'react-i18next';
import type { BusinessCalendar, Locale } from '../api/types';
import { ErrorMessage, Loading, useLocale } from '../shared/components';
import { humanizeDuration } from '../shared/format';
import { formatDay, todayUtc, useDocumentTitle, usePolicy } from './common';
import { nextFederalHolidays } from './holidays';

const WEEKDAYS = ['mon', 'tue', 'wed', 'thu', 'fri', 'sat', 'sun'] as const;
const UPCOMING = 8;

function weekdayName(index: number, locale: Locale): string {
  // 2024-01-01 was a Monday.
  return new Intl.DateTimeFormat(locale === 'fr' ? 'fr-FR' : 'en-US', {
    weekday: 'long',
    timeZone: 'UTC',
  }).format(new Date(Date.UTC(2024, 0, 1 + index)));
}

/** Today's date where the calendar is, since holidays are local dates. */
function todayIn(timeZone: string): string {
  try {
    return new Intl.DateTimeFormat('en-CA', {
      timeZone,
      year: 'numeric',
      month: '2-digit',
      day: '2-digit',
    }).format(new Date());
  } catch {
    return todayUtc();
  }
}

/** The business calendars of the policy in force. They are read-only: they come from the policy file. */
export function CalendarsPage() {
  const { t } = useTranslation('admin');
  const locale = useLocale();
  useDocumentTitle(t('calendars.title'));
  const query = usePolicy();
  const policy = query.data?.policy;

  return (
    <section aria-labelledby="calendars-title">
      <h1 id="calendars-title">{t('calendars.title')}</h1>
      <p className="notice">{t('calendars.readOnly')}</p>
      {query.isPending && <Loading />}
      <ErrorMessage error={query.error} />
      {policy && query.data && (
        <>
          <dl className="summary">
            <div>
              <dt>{t('calendars.policyVersion')}</dt>
              <dd>{query.data.version}</dd>
            </div>
            <div>
              <dt>{t('calendars.default')}</dt>
              <dd>
                <code>{policy.defaultCalendar}</code>
              </dd>
            </div>
            <div>
              <dt>{t('calendars.businessDay')}</dt>
              <dd>{humanizeDuration(policy.businessDay, locale)}</dd>
            </div>
          </dl>
          <p className="muted">
            {t('calendars.businessDayExplained', { length: humanizeDuration(policy.businessDay, locale) })}
          </p>
          {Object.entries(policy.calendars).map(([name, calendar]) => (
            <CalendarView
              key={name}
              name={name}
              calendar={calendar}
              isDefault={name === policy.defaultCalendar}
            />
          ))}
          <p className="muted">{t('calendars.overridesNote')}</p>
        </>
      )}
    </section>
  );
}

function CalendarView({
  name,
  calendar,
  isDefault,
}: {
  name: string;
  calendar: BusinessCalendar;
  isDefault: boolean;
}) {
  const { t } = useTranslation('admin');
  const locale = useLocale();
  const headingId = `calendar-${name}`;
  const opened = new Set(calendar.openDates ?? []);
  const today = todayIn(calendar.timeZone);
  const federal = calendar.holidayRules.includes('us-federal');
  const upcoming = federal ? nextFederalHolidays(today, UPCOMING) : [];
  const closed = (calendar.closedDates ?? []).filter((d) => d >= today);

  return (
    <section aria-labelledby={headingId} className="card calendar">
      <h2 id={headingId}>
        <code>{name}</code>
        {isDefault && <span className="tag">{t('calendars.isDefault')}</span>}
      </h2>
      <p>
        <strong>{t('calendars.timeZone')}:</strong> {calendar.timeZone}
      </p>
      <div className="calendar-grid">
        <div className="table-wrap">
          <table>
            <caption>{t('calendars.hours')}</caption>
            <thead>
              <tr>
                <th scope="col">{t('calendars.day')}</th>
                <th scope="col">{t('calendars.open')}</th>
              </tr>
            </thead>
            <tbody>
              {WEEKDAYS.map((day, i) => {
                const intervals = calendar.hours[day] ?? [];
                return (
                  <tr key={day}>
                    <th scope="row">{weekdayName(i, locale)}</th>
                    <td>
                      {intervals.length === 0 ? (
                        <span className="muted">{t('calendars.closed')}</span>
                      ) : (
                        intervals.map((x) => `${x.open}–${x.close}`).join(', ')
                      )}
                    </td>
                  </tr>
                );
              })}
            </tbody>
          </table>
        </div>
        <div>
          <h3>{t('calendars.holidayRules')}</h3>
          {calendar.holidayRules.length === 0 ? (
            <p>{t('calendars.noHolidayRules')}</p>
          ) : (
            <ul>
              {calendar.holidayRules.map((rule) => (
                <li key={rule}>
                  {t(`calendars.rules.${rule}`, { defaultValue: rule })} (<code>{rule}</code>)
                </li>
              ))}
            </ul>
          )}
          <h3>{t('calendars.closedDates')}</h3>
          <DateList dates={calendar.closedDates ?? []} locale={locale} empty={t('calendars.noneListed')} />
          <h3>{t('calendars.openDates')}</h3>
          <DateList dates={calendar.openDates ?? []} locale={locale} empty={t('calendars.noneListed')} />
        </div>
      </div>
      {(upcoming.length > 0 || closed.length > 0) && (
        <div className="table-wrap">
          <table>
            <caption>{t('calendars.upcoming', { zone: calendar.timeZone })}</caption>
            <thead>
              <tr>
                <th scope="col">{t('calendars.date')}</th>
                <th scope="col">{t('calendars.why')}</th>
              </tr>
            </thead>
            <tbody>
              {[
                ...upcoming.map((h) => ({
                  date: h.date,
                  why: t(`calendars.federal.${h.holiday}`),
                  open: opened.has(h.date),
                })),
                ...closed.map((date) => ({ date, why: t('calendars.closedDate'), open: false })),
              ]
                .sort((a, b) => a.date.localeCompare(b.date))
                .map((row) => (
                  <tr key={`${row.date}-${row.why}`}>
                    <th scope="row">
                      <time dateTime={row.date}>{formatDay(row.date, locale)}</time>
                    </th>
                    <td>
                      {row.why}
                      {row.open && <span className="tag">{t('calendars.openAnyway')}</span>}
                    </td>
                  </tr>
                ))}
            </tbody>
          </table>
        </div>
      )}
    </section>
  );
}

function DateList({ dates, locale, empty }: { dates: string[]; locale: Locale; empty: string }) {
  if (dates.length === 0) return <p className="muted">{empty}</p>;
  return (
    <ul>
      {dates.map((d) => (
        <li key={d}>
          <time dateTime={d}>{formatDay(d, locale)}</time>
        </li>
      ))}
    </ul>
  );
}
