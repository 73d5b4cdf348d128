import { z } from 'zod';
import { idSchema, isoOut } from '../shared/schema.js';
import { tagListSchema } from '../tickets/tags-schema.js';
import { prioritySchema, statusSchema } from '../tickets/schema.js';
import { MAX_TAGS_PER_TICKET } from '../tickets/tags.js';
import { PLACEHOLDERS } from './placeholders.js';

export const MAX_MACRO_TEXT = 20_000;

const text = z
  .string()
  .trim()
  .min(1, 'must not be empty')
  .max(MAX_MACRO_TEXT, `must be at most ${MAX_MACRO_TEXT} characters`);

const macroFields = {
  title: z.string().trim().min(1, 'must not be empty').max(100),
  shared: z
    .boolean()
    .describe('true: the whole team uses it (leads and admins only); false: personal to its owner.'),
  text: z
    .strictObject({ en: text.nullable().optional(), fr: text.nullable().optional() })
    .describe(
      `The reply per language; the requester's language is used, else the other one. Placeholders: ${PLACEHOLDERS.map((p) => `{{${p}}}`).join(', ')}.`,
    ),
  public: z.boolean().describe('true: a reply to the requester; false: an internal note.'),
  status: statusSchema.exclude(['new']).nullable(),
  priority: prioritySchema.nullable(),
  priorityReason: z.string().trim().min(1).max(2000).nullable().describe('Required with a priority.'),
  assigneeId: idSchema.nullable().describe('An active staff user.'),
  tags: tagListSchema(MAX_TAGS_PER_TICKET).describe('Tags the macro adds to the ticket.'),
};

export const macroCreate = z
  .strictObject({
    ...macroFields,
    shared: macroFields.shared.default(false),
    text: macroFields.text.default({}),
    public: macroFields.public.default(true),
    status: macroFields.status.optional(),
    priority: macroFields.priority.optional(),
    priorityReason: macroFields.priorityReason.optional(),
    assigneeId: macroFields.assigneeId.optional(),
    tags: macroFields.tags.default([]),
  })
  .refine((m) => !m.priority || m.priorityReason, {
    message: 'required when the macro changes the priority',
    path: ['priorityReason'],
  });
export type MacroCreate = z.infer<typeof macroCreate>;

export const macroUpdate = z
  .strictObject({
    title: macroFields.title.optional(),
    shared: macroFields.shared.optional(),
    text: macroFields.text.optional(),
    public: macroFields.public.optional(),
    status: macroFields.status.optional(),
    priority: macroFields.priority.optional(),
    priorityReason: macroFields.priorityReason.optional(),
    assigneeId: macroFields.assigneeId.optional(),
    tags: macroFields.tags.optional(),
  })
  .refine((p) => Object.keys(p).length > 0, { message: 'give at least one field to change' });
export type MacroUpdate = z.infer<typeof macroUpdate>;

export const macroQuery = z.strictObject({
  q: z.string().max(100).optional().describe('Words in the title or a text.'),
});

export const macroParams = z.strictObject({ id: idSchema, macroId: idSchema });

export const macroOut = z.object({
  id: z.string(),
  title: z.string(),
  shared: z.boolean(),
  ownerId: z.string().nullable(),
  text: z.object({ en: z.string().nullable(), fr: z.string().nullable() }),
  public: z.boolean(),
  status: statusSchema.nullable(),
  priority: prioritySchema.nullable(),
  priorityReason: z.string().nullable(),
  assigneeId: z.string().nullable(),
  assignee: z.object({ id: z.string(), name: z.string() }).nullable(),
  tags: z.array(z.string()),
  createdAt: isoOut,
  updatedAt: isoOut,
});
export type MacroOut = z.infer<typeof macroOut>;

export const macroPreviewOut = z.object({
  macroId: z.string(),
  ticketId: z.string(),
  language: z.enum(['en', 'fr']).nullable().describe('The language of the reply; null without a text.'),
  body: z.string().nullable().describe('The reply with its placeholders filled.'),
  public: z.boolean(),
  status: statusSchema.nullable().describe('The status the ticket moves to, if it changes.'),
  priority: prioritySchema.nullable(),
  priorityReason: z.string().nullable(),
  assignee: z.object({ id: z.string(), name: z.string() }).nullable(),
  tags: z.array(z.string()).describe('Tags the ticket gains (those it already has left out).'),
});
export type MacroPreview = z.infer<typeof macroPreviewOut>;

export const macroApplyOut = z.object({
  messageId: z.string().nullable(),
  preview: macroPreviewOut.describe('What was applied.'),
});
