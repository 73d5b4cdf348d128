import { z } from 'zod';
import { idSchema, instantInput, isoOut } from '../shared/schema.js';
import { COMPONENT_STATES, INCIDENT_IMPACTS, INCIDENT_STATUSES, MAINTENANCE_STATUSES } from './model.js';

const noNul = (s: string) => !s.includes('\u0000');
const text = (max: number) => z.string().max(max).refine(noNul, { message: 'must not contain NUL' });
const line = (max: number) => text(max).trim();
const nonEmptyLine = (max: number) => line(max).pipe(z.string().min(1, 'must not be empty'));

export const MAX_UPDATE_BODY = 10_000;
export const MAX_POSTMORTEM = 100_000;

export const componentStateSchema = z.enum(COMPONENT_STATES);
export const incidentKindSchema = z.enum(['incident', 'maintenance']);
export const incidentStatusSchema = z.enum([...INCIDENT_STATUSES, ...MAINTENANCE_STATUSES]);
export const impactSchema = z.enum([...INCIDENT_IMPACTS, 'maintenance']);

// --- Components ---------------------------------------------------------------------------------

export const componentCreate = z.strictObject({
  name: nonEmptyLine(100),
  group: nonEmptyLine(100)
    .nullable()
    .optional()
    .describe('Components with the same group are shown together.'),
  description: line(500).default(''),
  position: z.number().int().min(0).max(10_000).default(0),
});
export type ComponentCreate = z.infer<typeof componentCreate>;

export const componentUpdate = z.strictObject({
  name: nonEmptyLine(100).optional(),
  group: nonEmptyLine(100).nullable().optional(),
  description: line(500).optional(),
  position: z.number().int().min(0).max(10_000).optional(),
  state: componentStateSchema
    .optional()
    .describe('A manual state; the next change of an incident holding the component sets it again.'),
});
export type ComponentUpdate = z.infer<typeof componentUpdate>;

export const componentOut = z.object({
  id: z.string(),
  group: z.string().nullable(),
  name: z.string(),
  description: z.string(),
  position: z.number().int(),
  state: componentStateSchema,
  createdAt: isoOut,
  updatedAt: isoOut,
});
export type ComponentOut = z.infer<typeof componentOut>;

// --- Incidents and maintenance ------------------------------------------------------------------

const affectedComponents = z
  .array(
    z.strictObject({
      id: idSchema,
      state: componentStateSchema
        .optional()
        .describe('Required for an incident; maintenance puts its components under_maintenance.'),
    }),
  )
  .max(200)
  .refine((list) => new Set(list.map((c) => c.id)).size === list.length, {
    message: 'names a component twice',
  });
export type AffectedComponentsInput = z.infer<typeof affectedComponents>;

export const incidentCreate = z
  .strictObject({
    kind: incidentKindSchema.default('incident'),
    name: nonEmptyLine(200),
    nameFr: nonEmptyLine(200).optional(),
    impact: impactSchema
      .optional()
      .describe('Required for an incident; maintenance has the impact maintenance.'),
    status: incidentStatusSchema
      .optional()
      .describe('The first status: investigating for an incident, scheduled for maintenance, unless given.'),
    body: nonEmptyLine(MAX_UPDATE_BODY),
    bodyFr: nonEmptyLine(MAX_UPDATE_BODY).optional(),
    components: affectedComponents.default([]),
    scheduledFor: instantInput.optional(),
    scheduledUntil: instantInput.optional(),
    autoTransition: z.boolean().default(true),
  })
  .refine(
    (b) => !b.scheduledFor || !b.scheduledUntil || Date.parse(b.scheduledUntil) > Date.parse(b.scheduledFor),
    { message: 'scheduledUntil must be after scheduledFor', path: ['scheduledUntil'] },
  );
export type IncidentCreate = z.infer<typeof incidentCreate>;

export const incidentUpdate = z.strictObject({
  name: nonEmptyLine(200).optional(),
  nameFr: nonEmptyLine(200).nullable().optional(),
  impact: impactSchema.optional(),
  components: affectedComponents.optional().describe('The components the incident affects, all of them.'),
  postmortem: text(MAX_POSTMORTEM)
    .nullable()
    .optional()
    .describe('Markdown, once the incident is resolved; null removes it.'),
});
export type IncidentUpdate = z.infer<typeof incidentUpdate>;

export const updateCreate = z.strictObject({
  status: incidentStatusSchema,
  body: nonEmptyLine(MAX_UPDATE_BODY),
  bodyFr: nonEmptyLine(MAX_UPDATE_BODY).optional(),
  components: affectedComponents
    .optional()
    .describe('When given, the components the incident affects from now on, all of them.'),
});
export type UpdateCreate = z.infer<typeof updateCreate>;

export const incidentListQuery = z.strictObject({
  kind: incidentKindSchema.optional(),
  open: z
    .enum(['true', 'false'])
    .transform((v) => v === 'true')
    .optional()
    .describe('true: not yet resolved or completed; false: resolved or completed.'),
  limit: z.coerce.number().int().min(1).max(200).default(50),
  cursor: z.string().max(512).optional(),
});

export const updateOut = z.object({
  id: z.string(),
  status: incidentStatusSchema,
  body: z.string(),
  bodyFr: z.string().nullable(),
  authorId: z.string().nullable(),
  createdAt: isoOut,
});
export type UpdateOut = z.infer<typeof updateOut>;

const incidentFields = {
  id: z.string(),
  kind: incidentKindSchema,
  name: z.string(),
  nameFr: z.string().nullable(),
  impact: impactSchema,
  status: incidentStatusSchema,
  scheduledFor: isoOut.nullable(),
  scheduledUntil: isoOut.nullable(),
  autoTransition: z.boolean(),
  postmortemMarkdown: z.string().nullable(),
  postmortemHtml: z.string().nullable(),
  originTicketId: z.string().nullable(),
  createdBy: z.string().nullable(),
  createdAt: isoOut,
  updatedAt: isoOut,
  startedAt: isoOut.nullable(),
  resolvedAt: isoOut.nullable(),
  components: z.array(z.object({ id: z.string(), name: z.string(), state: componentStateSchema })),
};
export const incidentListItemOut = z.object(incidentFields);
export const incidentOut = z.object({ ...incidentFields, updates: z.array(updateOut) });
export type IncidentListItemOut = z.infer<typeof incidentListItemOut>;
export type IncidentOut = z.infer<typeof incidentOut>;

// --- The hosted status-page format (Statuspage public API v2) ----------------------------------

export const v2Page = z.object({
  id: z.string(),
  name: z.string(),
  url: z.string(),
  time_zone: z.string(),
  updated_at: isoOut,
});
export const v2Status = z.object({
  indicator: z.enum(['none', 'minor', 'major', 'critical', 'maintenance']),
  description: z.string(),
});
export const v2Component = z.object({
  id: z.string(),
  name: z.string(),
  status: componentStateSchema,
  created_at: isoOut,
  updated_at: isoOut,
  position: z.number().int(),
  description: z.string().nullable(),
  showcase: z.boolean(),
  start_date: z.string().nullable(),
  group_id: z.string().nullable(),
  page_id: z.string(),
  group: z.boolean(),
  only_show_if_degraded: z.boolean(),
  components: z.array(z.string()).optional(),
});
export const v2IncidentUpdate = z.object({
  id: z.string(),
  status: incidentStatusSchema,
  body: z.string(),
  incident_id: z.string(),
  created_at: isoOut,
  updated_at: isoOut,
  display_at: isoOut,
  affected_components: z
    .array(
      z.object({
        code: z.string(),
        name: z.string(),
        old_status: componentStateSchema,
        new_status: componentStateSchema,
      }),
    )
    .nullable(),
  deliver_notifications: z.boolean(),
});
export const v2Incident = z.object({
  id: z.string(),
  name: z.string(),
  status: incidentStatusSchema,
  created_at: isoOut,
  updated_at: isoOut,
  monitoring_at: isoOut.nullable(),
  resolved_at: isoOut.nullable(),
  impact: impactSchema,
  shortlink: z.string(),
  started_at: isoOut,
  page_id: z.string(),
  incident_updates: z.array(v2IncidentUpdate),
  components: z.array(v2Component),
});
export const v2Maintenance = v2Incident.extend({
  scheduled_for: isoOut.nullable(),
  scheduled_until: isoOut.nullable(),
});
export type V2Page = z.infer<typeof v2Page>;
export type V2Status = z.infer<typeof v2Status>;
export type V2Component = z.infer<typeof v2Component>;
export type V2Incident = z.infer<typeof v2Incident>;
export type V2Maintenance = z.infer<typeof v2Maintenance>;
export type V2IncidentUpdate = z.infer<typeof v2IncidentUpdate>;
