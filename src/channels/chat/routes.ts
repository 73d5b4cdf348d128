import type { FastifyInstance, FastifyRequest } from 'fastify';
import type { ZodTypeProvider } from 'fastify-type-provider-zod';
import { allowAnyOrigin } from '../../http/cors.js';
import type { ChatAgents } from './agents.js';
import type { CannedReplies } from './canned.js';
import type { ChatHub } from './hub.js';
import type { ChatRepository } from './repository.js';
import { agentRoutes } from './routes/agents.js';
import { cannedReplyRoutes } from './routes/canned.js';
import { closingRoutes, conversationRoutes } from './routes/conversations.js';
import { signalRoutes, socketRoute } from './routes/live.js';
import { messageRoutes } from './routes/messages.js';
import { CHAT_TOKEN, type ChatApp } from './routes/shared.js';
import type { ChatService } from './service.js';
import type { ChatTickets } from './tickets.js';

export interface ChatChannel {
  service: ChatService;
  agents: ChatAgents;
  tickets: ChatTickets;
  canned: CannedReplies;
  hub: ChatHub;
  repo: ChatRepository;
}

/**
 * Live chat over HTTP: the visitor's calls (any website may make them: CORS without credentials,
 * authorized by the conversation's secret), the long-poll fallback for networks that refuse
 * WebSockets, the agents' queue, presence and canned replies, and the WebSocket itself.
 */
export function chatRoutes(chat: ChatChannel, options: { sameOrigin: (request: FastifyRequest) => boolean }) {
  return async (fastify: FastifyInstance) => {
    const app: ChatApp = fastify.withTypeProvider<ZodTypeProvider>();

    // The chat button runs on the vendor's website, another origin than the desk's; the agents'
    // routes (queue, presence, canned replies) stay same-origin.
    allowAnyOrigin(
      app,
      ['/chat/availability', '/chat/conversations', '/chat/conversations/*'],
      ['content-type', CHAT_TOKEN],
    );

    // Registered in this order so the OpenAPI document lists the routes as it always has.
    socketRoute(app, chat, options.sameOrigin);
    conversationRoutes(app, chat.service);
    messageRoutes(app, chat.service);
    signalRoutes(app, chat);
    closingRoutes(app, chat.service, chat.tickets);
    agentRoutes(app, chat.agents);
    cannedReplyRoutes(app, chat.canned);
  };
}
