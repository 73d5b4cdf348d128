import { z } from 'zod';
import { STATUS_LOCALES } from './text.js';

const noNul = (s: string) => !s.includes('\u0000');

export const subscribeBody = z
  .strictObject({
    email: z.email({ message: 'must be an email address' }).max(254).optional(),
    url: z
      .url({ protocol: /^https$/, message: 'must be an https:// URL' })
      .max(2000)
      .refine(noNul, { message: 'must not contain NUL' })
      .optional()
      .describe('A webhook endpoint (https only); it receives each update as a signed POST.'),
    componentIds: z
      .array(z.string().min(1).max(200))
      .min(1)
      .max(100)
      .optional()
      .describe('Only updates of incidents affecting these components; every update when absent.'),
    locale: z.enum(STATUS_LOCALES).default('en'),
  })
  .refine((b) => (b.email === undefined) !== (b.url === undefined), {
    message: 'give either email or url',
    path: ['email'],
  });
export type SubscribeInput = z.infer<typeof subscribeBody>;

export const subscribeAccepted = z.object({
  status: z.literal('pending'),
  detail: z.string(),
});

export const webhookCreated = z.object({
  id: z.string(),
  url: z.string(),
  secret: z
    .string()
    .describe(
      'The HMAC-SHA256 key of X-Accord-Signature (t=<unix>,v1=<hex of "<t>.<body>">); shown this once.',
    ),
  unsubscribeUrl: z.string(),
  componentIds: z.array(z.string()).nullable(),
  locale: z.enum(STATUS_LOCALES),
});
