import { html, type Html } from '../../helpcenter/site/html.js';
import { tHtml } from '../../helpcenter/site/i18n.js';
import type { StatusIncidentRow, StatusIncidentUpdateRow } from '../model.js';
import type { IncidentView } from './content.js';
import type { AffectedComponent } from './repository.js';
import { instant } from './format.js';
import { localizedText, localizedUpdate, statusT, type StatusLocale } from './i18n.js';
import { incidentPath } from './paths.js';

/** An incident's or maintenance's status as a labelled badge (text, not colour alone). */
export function statusBadge(locale: StatusLocale, status: string): Html {
  const t = statusT(locale);
  return html`<span class="badge status-${status}">${t(`status.${status}`, { defaultValue: status })}</span>`;
}

/** The scheduled window of a maintenance, when it has one. */
export function maintenanceWindow(
  locale: StatusLocale,
  incident: StatusIncidentRow,
  timeZone: string,
): Html | false {
  if (incident.kind !== 'maintenance' || incident.scheduled_for === null) return false;
  const t = statusT(locale);
  const from = instant(incident.scheduled_for, locale, timeZone);
  return html`<p class="window">
    ${
      incident.scheduled_until === null
        ? tHtml(t, 'incident.windowFrom', { from })
        : tHtml(t, 'incident.window', { from, until: instant(incident.scheduled_until, locale, timeZone) })
    }
  </p>`;
}

/** "Started <time>", "Resolved <time>": a translated phrase around a time element. */
export function timedPhrase(
  locale: StatusLocale,
  key: 'incident.started' | 'incident.resolved' | 'incident.reported',
  at: number,
  timeZone: string,
): Html {
  return tHtml(statusT(locale), key, { at: instant(at, locale, timeZone) });
}

export function affectedList(locale: StatusLocale, affected: AffectedComponent[]): Html | false {
  if (affected.length === 0) return false;
  const t = statusT(locale);
  return html`<p class="affected">
    <span class="label">${t('incident.affected')}</span>
    ${affected.map(
      (a, i) =>
        html`${i > 0 && ', '}${a.name}
          <span class="state-text state-${a.state}">(${t(`state.${a.state}`)})</span>`,
    )}
  </p>`;
}

/** The updates, newest first, each with its status and time. */
export function updateList(
  locale: StatusLocale,
  updates: StatusIncidentUpdateRow[],
  timeZone: string,
  heading: 'h2' | 'h4',
): Html {
  const t = statusT(locale);
  const title = t('incident.updates');
  return html`${heading === 'h2' ? html`<h2>${title}</h2>` : html`<h4 class="visually-hidden">${title}</h4>`}
  ${
    updates.length === 0
      ? html`<p class="empty">${t('incident.noUpdates')}</p>`
      : html`<ol class="updates">
          ${updates.map(
            (u) =>
              html`<li class="update">
                <p class="update-head">
                  ${statusBadge(locale, u.status)} ${instant(u.created_at, locale, timeZone)}
                </p>
                <p class="update-body">${localizedUpdate(locale, u.body, u.body_fr)}</p>
              </li>`,
          )}
        </ol>`
  }`;
}

/** An open incident or maintenance on the home page: its name, status, window, components and updates. */
export function incidentCard(locale: StatusLocale, view: IncidentView, timeZone: string): Html {
  const { incident } = view;
  return html`<article class="incident impact-${incident.impact}">
    <h3>
      <a href="${incidentPath(locale, incident.id)}"
        >${localizedText(locale, incident.name, incident.name_fr)}</a
      >
      ${statusBadge(locale, incident.status)}
    </h3>
    ${maintenanceWindow(locale, incident, timeZone)} ${affectedList(locale, view.affected)}
    ${updateList(locale, view.updates, timeZone, 'h4')}
  </article>`;
}
