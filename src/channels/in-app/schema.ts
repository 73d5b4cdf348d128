import { z } from 'zod';
import { sessionUserOut } from '../../auth/schema.js';

export const embedBody = z.strictObject({
  token: z
    .string()
    .min(1)
    .max(4096)
    .describe('A JWT (HS256) the vendor\u2019s server signed with EMBED_SECRET: email, name, iat, exp.'),
});

export const embedOut = z.object({
  sessionToken: z.string().describe('Send as `Authorization: Bearer <sessionToken>` from the widget.'),
  expiresAt: z.iso.datetime(),
  user: sessionUserOut,
});
