import type { Selectable, Transaction } from 'kysely';
import type {
  ComponentState,
  Database,
  StatusIncidentTable,
  StatusIncidentUpdateTable,
} from '../db/tables.js';

/** Component states, as the widely used hosted status-page format names them. */
export const COMPONENT_STATES = [
  'operational',
  'degraded_performance',
  'partial_outage',
  'major_outage',
  'under_maintenance',
] as const satisfies readonly ComponentState[];

export const INCIDENT_STATUSES = ['investigating', 'identified', 'monitoring', 'resolved'] as const;
export const MAINTENANCE_STATUSES = ['scheduled', 'in_progress', 'verifying', 'completed'] as const;
export const INCIDENT_IMPACTS = ['none', 'minor', 'major', 'critical'] as const;

export type IncidentStatus = (typeof INCIDENT_STATUSES)[number];
export type MaintenanceStatus = (typeof MAINTENANCE_STATUSES)[number];

/**
 * The policy's own stages of a P0 (section 3), offered as update texts for an incident tied to a
 * P0: the fix tested, deployed, normal operations restored.
 */
export const P0_STAGES = {
  en: {
    fix_tested: 'A fix has been developed and tested.',
    fix_deployed: 'The fix has been deployed to production.',
    restored: 'Normal operations have been restored.',
  },
  fr: {
    fix_tested: 'Un correctif a été développé et testé.',
    fix_deployed: 'Le correctif a été déployé en production.',
    restored: 'Le fonctionnement normal a été rétabli.',
  },
} as const;

export type StatusIncidentRow = Selectable<StatusIncidentTable>;
export type StatusIncidentUpdateRow = Selectable<StatusIncidentUpdateTable>;

/**
 * Told of every update published on an incident or a maintenance, inside the transaction that
 * publishes it: subscribers' deliveries and linked tickets' replies are written with the update or
 * not at all.
 */
export interface StatusUpdateListener {
  updatePublished(
    trx: Transaction<Database>,
    incident: StatusIncidentRow,
    update: StatusIncidentUpdateRow,
  ): Promise<void>;
}

/** The worst state wins: the page's overall indicator and a component under several incidents. */
export const STATE_SEVERITY: Record<ComponentState, number> = {
  operational: 0,
  under_maintenance: 1,
  degraded_performance: 2,
  partial_outage: 3,
  major_outage: 4,
};
