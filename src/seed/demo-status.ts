import type { Principal } from '../auth/principal.js';
import type { Services } from '../services.js';

const HOUR = 3600_000;
const DAY = 24 * HOUR;

/**
 * The demo desk's status page: MaintainX's components since a month ago, a minor incident resolved
 * twelve days ago, and the critical incident opened from the demo's P0 ticket, which is still open.
 */
export async function seedDemoStatus(
  services: Services,
  lead: Principal,
  setClock: (at: number) => void,
  now: number,
  p0TicketId: string | undefined,
) {
  setClock(now - 30 * DAY);
  const component = (name: string, group: string, position: number) =>
    services.status.createComponent(lead, { name, group, description: '', position });
  const web = await component('Web app', 'MaintainX Platform', 0);
  const mobile = await component('Mobile apps', 'MaintainX Platform', 1);
  await component('REST API', 'MaintainX Platform', 2);
  await component('Single sign-on', 'Integrations', 3);
  await component('Status and help center', 'Support', 4);

  const past = now - 12 * DAY;
  setClock(past);
  const incident = await services.status.createIncident(lead, {
    kind: 'incident',
    name: 'Mobile sync delays',
    nameFr: 'Retards de synchronisation mobile',
    impact: 'minor',
    body: 'Work orders completed on mobile take up to 20 minutes to appear on the web. We are investigating.',
    bodyFr:
      'Les bons de travail clôturés sur mobile mettent jusqu’à 20 minutes à apparaître sur le web. Nous analysons le problème.',
    components: [{ id: mobile.id, state: 'degraded_performance' }],
    autoTransition: true,
  });
  setClock(past + 40 * 60_000);
  await services.status.addUpdate(lead, incident.incident.id, {
    status: 'identified',
    body: 'A queue worker was stuck after a deployment; it has been restarted and the backlog is draining.',
    bodyFr:
      'Un traitement de file était bloqué après un déploiement ; il a été relancé et le retard se résorbe.',
  });
  setClock(past + 2 * HOUR);
  await services.status.addUpdate(lead, incident.incident.id, {
    status: 'resolved',
    body: 'Normal operations have been restored. Every delayed work order has synchronized.',
    bodyFr: 'Le fonctionnement normal a été rétabli. Tous les bons de travail en attente sont synchronisés.',
  });

  if (p0TicketId) {
    setClock(now - 10 * 60_000);
    await services.incidentTickets.openFromTicket(lead, p0TicketId, {
      name: 'Platform unreachable for some customers',
      nameFr: 'Plateforme inaccessible pour certains clients',
      impact: 'critical',
      components: [{ id: web.id, state: 'major_outage' }],
      body: 'Some customers see a blank screen after signing in. We are investigating.',
      bodyFr: 'Certains clients voient un écran vide après la connexion. Nous analysons le problème.',
    });
  }
}
