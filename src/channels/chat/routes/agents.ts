import { principal } from '../../../auth/hook.js';
import type { ChatAgents } from '../agents.js';
import { conversationOut, idParam, presenceBody, presenceOut, queueOut, transferBody } from '../schema.js';
import { errors, staffOnly, tags, type ChatApp } from './shared.js';

/**
 * The agents' side: the queue, presence, taking and handing on chats. Staff only: the authentication
 * hook refuses anonymous calls.
 */
export function agentRoutes(app: ChatApp, agents: ChatAgents) {
  app.get('/chat/queue', {
    schema: {
      tags,
      summary: 'Chats waiting (in queue order), mine, and who is present',
      response: { 200: queueOut, ...errors },
    },
    handler: async (request) => agents.queue(principal(request)),
  });

  app.put('/chat/presence', {
    schema: {
      tags,
      summary: 'Set my presence and chat capacity',
      body: presenceBody,
      response: { 200: presenceOut, ...errors },
    },
    handler: async (request) =>
      agents.setPresence(principal(request), request.body.status, request.body.capacity),
  });

  app.post('/chat/conversations/:id/accept', {
    schema: {
      tags,
      summary: 'Take a waiting chat',
      params: idParam,
      response: { 200: conversationOut, ...errors },
    },
    handler: async (request) => agents.accept(staffOnly(request), request.params.id),
  });

  app.post('/chat/conversations/:id/transfer', {
    schema: {
      tags,
      summary: 'Hand a chat to another online agent',
      params: idParam,
      body: transferBody,
      response: { 200: conversationOut, ...errors },
    },
    handler: async (request) => agents.transfer(staffOnly(request), request.params.id, request.body.agentId),
  });
}
