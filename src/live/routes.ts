import type { FastifyInstance } from 'fastify';
import type { ServerResponse } from 'node:http';
import { principal } from '../auth/hook.js';
import { canSeeTicket, isStaff, type Principal } from '../auth/principal.js';
import { serviceUnavailable } from '../shared/problem.js';
import type { LiveBus, PresenceSignal, TicketActivity } from './bus.js';

const HEARTBEAT_MS = 25_000;

export interface LiveRoutesOptions {
  /** Open streams this process accepts before answering 503 (each holds a socket). */
  maxConnections?: number;
  heartbeatMs?: number;
}

/** Whether a viewer may hear of an activity: the same rule as reading the ticket. */
export function mayHear(viewer: Principal, activity: TicketActivity): boolean {
  if (activity.visibility === 'internal' && !isStaff(viewer)) return false;
  return canSeeTicket(viewer, {
    organization_id: activity.organizationId,
    requester_id: activity.requesterId,
  });
}

const present = (a: TicketActivity) =>
  JSON.stringify({
    kind: a.kind,
    ticketId: a.ticketId,
    number: a.number,
    organizationId: a.organizationId,
    at: new Date(a.at).toISOString(),
  });

const presentPresence = (p: PresenceSignal) =>
  JSON.stringify({
    ticketId: p.ticketId,
    userId: p.userId,
    name: p.name,
    state: p.state,
    at: new Date(p.at).toISOString(),
  });

/**
 * GET /live: a server-sent event stream of the ticket activity the viewer may see, so the console
 * and the portal show new tickets and replies without reloading. Events carry ids, not content:
 * the page refetches what changed through the ordinary, authorized API.
 */
export function liveRoutes(bus: LiveBus, options: LiveRoutesOptions = {}) {
  const maxConnections = options.maxConnections ?? 2000;
  const heartbeatMs = options.heartbeatMs ?? HEARTBEAT_MS;
  return async (app: FastifyInstance) => {
    const open = new Set<ServerResponse>();
    app.addHook('preClose', async () => {
      for (const res of open) res.end();
    });

    app.get('/live', {
      schema: {
        tags: ['live'],
        summary: 'Server-sent events: ticket.created, ticket.updated, message.created, presence',
        description:
          'Each event names a ticket the viewer may see (internal notes only to staff). presence (staff only): someone is viewing, replying on, or has left a ticket. A comment line arrives every 25 s to keep proxies from closing the stream.',
      },
      handler: async (request, reply) => {
        const viewer = principal(request);
        if (open.size >= maxConnections)
          throw serviceUnavailable('Too many live connections; try again later.');
        const res = reply.raw;
        void reply.hijack();
        res.writeHead(200, {
          'content-type': 'text/event-stream; charset=utf-8',
          'cache-control': 'no-cache, no-transform',
          connection: 'keep-alive',
          'x-accel-buffering': 'no',
        });
        res.write('retry: 5000\n: connected\n\n');
        open.add(res);
        const unsubscribe = bus.subscribe((message) => {
          if (message.kind === 'presence') {
            if (isStaff(viewer)) res.write(`event: presence\ndata: ${presentPresence(message)}\n\n`);
          } else if (mayHear(viewer, message))
            res.write(`event: ${message.kind}\ndata: ${present(message)}\n\n`);
        });
        const heartbeat = setInterval(() => res.write(': ping\n\n'), heartbeatMs);
        heartbeat.unref();
        const close = () => {
          clearInterval(heartbeat);
          unsubscribe();
          open.delete(res);
        };
        request.raw.on('close', close);
        res.on('close', close);
      },
    });
  };
}
