import type { FastifyInstance } from 'fastify';
import type { ZodTypeProvider } from 'fastify-type-provider-zod';
import { z } from 'zod';
import { principal } from '../auth/hook.js';
import { commonProblems, problemSchema } from '../http/problem-schema.js';
import { pageSchema } from '../shared/pagination.js';
import type { OrganizationsService } from './organizations-service.js';
import {
  organizationCreate,
  organizationListQuery,
  organizationOut,
  organizationUpdate,
  subscriptionInput,
  subscriptionOut,
  userCreate,
  userListQuery,
  userOut,
  userUpdate,
} from './schema.js';
import { tierSchema } from '../policy/tiers.js';
import { idParams, idSchema } from '../shared/schema.js';
import type { UsersService } from './users-service.js';

const writeProblems = { ...commonProblems, 409: problemSchema, 422: problemSchema };

export function customersRoutes(organizations: OrganizationsService, users: UsersService) {
  return async (fastify: FastifyInstance) => {
    const app = fastify.withTypeProvider<ZodTypeProvider>();
    const orgTags = ['organizations'];
    const userTags = ['users'];

    app.post('/organizations', {
      schema: {
        tags: orgTags,
        summary: 'Create a customer organization, optionally with its subscription',
        body: organizationCreate,
        response: { 201: organizationOut, ...writeProblems },
      },
      handler: async (request, reply) =>
        reply.code(201).send(await organizations.create(principal(request), request.body)),
    });

    app.get('/organizations', {
      schema: {
        tags: orgTags,
        summary: 'List organizations (customers see their own)',
        querystring: organizationListQuery,
        response: { 200: pageSchema(organizationOut), ...commonProblems },
      },
      handler: async (request) =>
        organizations.list(principal(request), request.query.limit, request.query.cursor),
    });

    app.get('/organizations/:id', {
      schema: {
        tags: orgTags,
        summary: 'One organization with its current tier',
        params: idParams,
        response: { 200: organizationOut, ...commonProblems },
      },
      handler: async (request) => organizations.get(principal(request), request.params.id),
    });

    app.patch('/organizations/:id', {
      schema: {
        tags: orgTags,
        summary: 'Change an organization',
        params: idParams,
        body: organizationUpdate,
        response: { 200: organizationOut, ...writeProblems },
      },
      handler: async (request) => organizations.update(principal(request), request.params.id, request.body),
    });

    app.get('/organizations/:id/subscriptions', {
      schema: {
        tags: orgTags,
        summary: 'Subscription terms, newest first',
        params: idParams,
        response: { 200: z.object({ data: z.array(subscriptionOut) }), ...commonProblems },
      },
      handler: async (request) => ({
        data: await organizations.listSubscriptions(principal(request), request.params.id),
      }),
    });

    app.post('/organizations/:id/subscriptions', {
      schema: {
        tags: orgTags,
        summary: 'Add a subscription term (renewal, upgrade)',
        params: idParams,
        body: subscriptionInput,
        response: { 201: subscriptionOut, ...writeProblems },
      },
      handler: async (request, reply) =>
        reply
          .code(201)
          .send(await organizations.addSubscription(principal(request), request.params.id, request.body)),
    });

    app.patch('/organizations/:id/subscriptions/:subscriptionId', {
      schema: {
        tags: orgTags,
        summary: 'Change a subscription\u2019s tier (a running term can only be raised)',
        params: z.strictObject({ id: idSchema, subscriptionId: idSchema }),
        body: z.strictObject({ tier: tierSchema }),
        response: { 200: subscriptionOut, ...writeProblems },
      },
      handler: async (request) =>
        organizations.changeTier(
          principal(request),
          request.params.id,
          request.params.subscriptionId,
          request.body.tier,
        ),
    });

    app.post('/users', {
      schema: {
        tags: userTags,
        summary: 'Create a staff or customer user',
        body: userCreate,
        response: { 201: userOut, ...writeProblems },
      },
      handler: async (request, reply) =>
        reply.code(201).send(await users.create(principal(request), request.body)),
    });

    app.get('/users', {
      schema: {
        tags: userTags,
        summary: 'List users you may see',
        querystring: userListQuery,
        response: { 200: pageSchema(userOut), ...commonProblems },
      },
      handler: async (request) => users.list(principal(request), request.query),
    });

    app.get('/users/:id', {
      schema: {
        tags: userTags,
        summary: 'One user',
        params: idParams,
        response: { 200: userOut, ...commonProblems },
      },
      handler: async (request) => users.get(principal(request), request.params.id),
    });

    app.patch('/users/:id', {
      schema: {
        tags: userTags,
        summary: 'Change a user\u2019s name, role or locale',
        params: idParams,
        body: userUpdate,
        response: { 200: userOut, ...writeProblems },
      },
      handler: async (request) => users.update(principal(request), request.params.id, request.body),
    });

    app.delete('/users/:id', {
      schema: {
        tags: userTags,
        summary: 'Remove a user\u2019s access',
        description:
          'Refused with 409 when it would leave a paying organization without a designated contact.',
        params: idParams,
        response: { 204: z.null(), ...writeProblems },
      },
      handler: async (request, reply) => {
        await users.deactivate(principal(request), request.params.id);
        return reply.code(204).send(null);
      },
    });
  };
}
