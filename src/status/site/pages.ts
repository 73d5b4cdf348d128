import { html, trusted, type Html } from '../../helpcenter/site/html.js';
import { COMPONENT_STATES, STATE_SEVERITY } from '../model.js';
import { roundedPercent, type UptimeDay } from '../uptime.js';
import type { ComponentView, GroupView, HistoryView, HomeView, IncidentView } from './content.js';
import { UPTIME_DAYS } from './content.js';
import { dayText, durationText, monthText, percentText } from './format.js';
import { localizedPlain, localizedText, statusT, type StatusLocale } from './i18n.js';
import type { StatusPage } from './layout.js';
import {
  affectedList,
  incidentCard,
  maintenanceWindow,
  statusBadge,
  timedPhrase,
  updateList,
} from './parts.js';
import { historyPath, homePath, incidentPath } from './paths.js';
import { subscribeSection } from './subscribe.js';

// The states a day's text names, worst first; operational time goes without saying.
const NAMED_STATES = [...COMPONENT_STATES]
  .filter((s) => s !== 'operational')
  .sort((a, b) => STATE_SEVERITY[b] - STATE_SEVERITY[a]);

/** What a day's bar says in words: "Nov 3: 2 h 5 min of major outage — 91.32% uptime". */
export function dayBarText(locale: StatusLocale, day: UptimeDay): string {
  const t = statusT(locale);
  const date = dayText(day.dayNumber, locale);
  if (day.worst === null) return t('bar.noData', { date });
  const parts = NAMED_STATES.filter((state) => day.seconds[state] >= 1).map((state) =>
    t(`stateTime.${state}`, { duration: durationText(day.seconds[state], locale) }),
  );
  if (parts.length === 0) return t('bar.noDowntime', { date });
  const uptime =
    day.uptime === null
      ? ''
      : ` — ${t('bar.uptime', { percent: percentText(roundedPercent(day.uptime), locale) })}`;
  return t('bar.details', { date, details: `${parts.join(', ')}${uptime}` });
}

function uptimeBars(locale: StatusLocale, view: ComponentView): Html {
  const t = statusT(locale);
  const { uptime } = view.uptime;
  return html`<ol
      class="bars"
      aria-label="${t('home.uptimeOf', { component: view.component.name, days: UPTIME_DAYS })}"
    >
      ${view.uptime.days.map((day) => {
        const text = dayBarText(locale, day);
        return html`<li class="bar bar-${day.worst ?? 'none'}" title="${text}">
          <span class="visually-hidden">${text}</span>
        </li>`;
      })}
    </ol>
    <p class="bars-legend" aria-hidden="true">
      <span>${t('home.daysAgo', { count: UPTIME_DAYS })}</span>
      <span
        >${uptime === null ? t('home.noUptime') : t('home.uptime', { percent: percentText(roundedPercent(uptime), locale) })}</span
      >
      <span>${t('home.today')}</span>
    </p>
    ${uptime !== null && html`<p class="visually-hidden">${t('home.uptime', { percent: percentText(roundedPercent(uptime), locale) })}</p>`}`;
}

function componentItem(locale: StatusLocale, view: ComponentView): Html {
  const t = statusT(locale);
  const { component } = view;
  return html`<li class="component" id="component-${component.id}">
    <div class="component-head">
      <span class="component-name">${component.name}</span>
      <span class="state state-${component.state}">${t(`state.${component.state}`)}</span>
    </div>
    ${component.description && html`<p class="component-description">${component.description}</p>`}
    ${uptimeBars(locale, view)}
  </li>`;
}

function groupBlock(locale: StatusLocale, group: GroupView): Html {
  const list = html`<ul class="components">
    ${group.components.map((c) => componentItem(locale, c))}
  </ul>`;
  return group.name === null
    ? list
    : html`<section class="group">
        <h3>${group.name}</h3>
        ${list}
      </section>`;
}

function incidentSection(locale: StatusLocale, title: string, views: IncidentView[], timeZone: string) {
  if (views.length === 0) return false;
  return html`<section class="incidents">
    <h2>${title}</h2>
    ${views.map((v) => incidentCard(locale, v, timeZone))}
  </section>`;
}

export function homePage(locale: StatusLocale, view: HomeView): StatusPage {
  const t = statusT(locale);
  return {
    locale,
    title: t('site.name'),
    description: t('home.description'),
    path: homePath(locale),
    pathIn: homePath,
    timeZone: view.timeZone,
    main: html`<section class="overall overall-${view.overall}">
        <h1>${t(`overall.${view.overall}`)}</h1>
      </section>
      ${incidentSection(locale, t('home.activeIncidents'), view.incidents, view.timeZone)}
      ${incidentSection(locale, t('home.activeMaintenance'), view.activeMaintenance, view.timeZone)}
      <section class="component-list">
        <h2>${t('home.components')}</h2>
        ${
          view.groups.length === 0
            ? html`<p class="empty">${t('home.noComponents')}</p>`
            : view.groups.map((g) => groupBlock(locale, g))
        }
      </section>
      ${incidentSection(locale, t('home.upcomingMaintenance'), view.upcomingMaintenance, view.timeZone)}
      <p class="more"><a href="${historyPath(locale)}">${t('home.historyLink')}</a></p>
      ${subscribeSection(locale)}`,
  };
}

/** Past incidents and maintenance, newest first, under the month (in the policy's zone) they began. */
export function historyPage(
  locale: StatusLocale,
  view: HistoryView,
  links: { older: string | null; first: boolean },
): StatusPage {
  const t = statusT(locale);
  const months: { month: string; items: HistoryView['incidents'] }[] = [];
  for (const incident of view.incidents) {
    const month = monthText(incident.created_at, locale, view.timeZone);
    if (months.at(-1)?.month !== month) months.push({ month, items: [] });
    months.at(-1)!.items.push(incident);
  }
  return {
    locale,
    title: t('history.title'),
    description: t('history.description'),
    path: historyPath(locale),
    pathIn: historyPath,
    timeZone: view.timeZone,
    // Older pages are reachable from the first one; only the first is worth indexing.
    noindex: !links.first,
    main: html`<h1>${t('history.title')}</h1>
      ${view.incidents.length === 0 && html`<p class="empty">${t('history.empty')}</p>`}
      ${months.map(
        (m) =>
          html`<section class="month">
            <h2>${m.month}</h2>
            <ul class="history">
              ${m.items.map(
                (i) =>
                  html`<li class="impact-${i.impact}">
                    <a href="${incidentPath(locale, i.id)}">${localizedText(locale, i.name, i.name_fr)}</a>
                    ${statusBadge(locale, i.status)}
                    ${
                      maintenanceWindow(locale, i, view.timeZone) ||
                      html`<p class="meta">
                        ${timedPhrase(locale, 'incident.reported', i.started_at ?? i.created_at, view.timeZone)}${i.resolved_at !== null && html`. ${timedPhrase(locale, 'incident.resolved', i.resolved_at, view.timeZone)}`}
                      </p>`
                    }
                  </li>`,
              )}
            </ul>
          </section>`,
      )}
      ${
        (links.older || !links.first) &&
        html`<nav class="pagination" aria-label="${t('history.pages')}">
          ${!links.first && html`<a href="${historyPath(locale)}">${t('history.newest')}</a>`}
          ${links.older && html`<a rel="next" href="${links.older}">${t('history.older')}</a>`}
        </nav>`
      }`,
  };
}

/** One incident or maintenance with every update, newest first, and its postmortem. */
export function incidentPage(locale: StatusLocale, view: IncidentView, timeZone: string): StatusPage {
  const t = statusT(locale);
  const { incident } = view;
  const name = localizedPlain(locale, incident.name, incident.name_fr);
  return {
    locale,
    title: name,
    description: t(
      incident.kind === 'maintenance' ? 'incident.descriptionMaintenance' : 'incident.descriptionIncident',
      {
        name,
      },
    ),
    path: incidentPath(locale, incident.id),
    pathIn: (l) => incidentPath(l, incident.id),
    timeZone,
    main: html`<nav class="breadcrumbs" aria-label="${t('site.breadcrumbs')}">
        <a href="${historyPath(locale)}">${t('incident.allIncidents')}</a>
      </nav>
      <article class="incident-page impact-${incident.impact}">
        <h1>${localizedText(locale, incident.name, incident.name_fr)}</h1>
        <p class="meta">
          ${statusBadge(locale, incident.status)}
          ${incident.kind === 'incident' && html`<span class="impact">${t(`impact.${incident.impact}`)}</span>`}
        </p>
        ${maintenanceWindow(locale, incident, timeZone)}
        <p class="meta">
          ${timedPhrase(locale, incident.started_at === null ? 'incident.reported' : 'incident.started', incident.started_at ?? incident.created_at, timeZone)}${incident.resolved_at !== null && html`. ${timedPhrase(locale, 'incident.resolved', incident.resolved_at, timeZone)}`}
        </p>
        ${affectedList(locale, view.affected)} ${updateList(locale, view.updates, timeZone, 'h2')}
        ${
          incident.postmortem_html &&
          // Sanitized when it was saved, like the help center's articles.
          html`<section class="postmortem">
            <h2>${t('incident.postmortem')}</h2>
            <div class="prose">${trusted(incident.postmortem_html)}</div>
          </section>`
        }
      </article>`,
  };
}

export type ErrorKind = 'notFound' | 'badRequest' | 'serverError';

export function errorPage(locale: StatusLocale, kind: ErrorKind, path: string): StatusPage {
  const t = statusT(locale);
  return {
    locale,
    title: t(`error.${kind}.title`),
    description: t(`error.${kind}.text`),
    path,
    pathIn: homePath,
    noindex: true,
    main: html`<h1>${t(`error.${kind}.title`)}</h1>
      <p>${t(`error.${kind}.text`)}</p>
      <p><a href="${homePath(locale)}">${t('error.home')}</a></p>`,
  };
}
