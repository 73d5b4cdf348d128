import type { FastifyInstance } from 'fastify';
import type { ZodTypeProvider } from 'fastify-type-provider-zod';
import { z } from 'zod';
import { principal } from '../auth/hook.js';
import { PRESENCE_STATES } from '../live/bus.js';
import { commonProblems } from '../http/problem-schema.js';
import { idParams, isoOut } from '../shared/schema.js';
import { toIso } from '../shared/time.js';
import type { PresentPerson, TicketPresence } from './presence.js';

const presenceUpdate = z.strictObject({
  state: z
    .enum(PRESENCE_STATES)
    .describe('viewing: the ticket is open; replying: a reply is being written; left: closed.'),
});

const presenceList = z.object({
  data: z.array(
    z.object({
      userId: z.string(),
      name: z.string(),
      state: z.enum(['viewing', 'replying']),
      until: isoOut.describe('When the presence lapses unless renewed.'),
    }),
  ),
});

const present = (people: PresentPerson[]) => ({
  data: people.map((p) => ({ userId: p.userId, name: p.name, state: p.state, until: toIso(p.until) })),
});

/** Staff presence on a ticket: who else has it open or is replying (the collision warning). */
export function presenceRoutes(presence: TicketPresence) {
  return async (fastify: FastifyInstance) => {
    const app = fastify.withTypeProvider<ZodTypeProvider>();
    app.post('/tickets/:id/presence', {
      schema: {
        tags: ['tickets'],
        summary: 'Say you are viewing, replying on, or leaving a ticket (staff); answers who else is there',
        description:
          'A presence lasts 30 seconds unless renewed; other staff hear of it as a presence event on GET /live.',
        params: idParams,
        body: presenceUpdate,
        response: { 200: presenceList, ...commonProblems },
      },
      handler: async (request) =>
        present(await presence.announce(principal(request), request.params.id, request.body.state)),
    });
    app.get('/tickets/:id/presence', {
      schema: {
        tags: ['tickets'],
        summary: 'Who else of the staff is viewing or replying on a ticket (staff)',
        params: idParams,
        response: { 200: presenceList, ...commonProblems },
      },
      handler: async (request) => present(await presence.list(principal(request), request.params.id)),
    });
  };
}
