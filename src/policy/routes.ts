import type { FastifyInstance } from 'fastify';
import type { ZodTypeProvider } from 'fastify-type-provider-zod';
import { z } from 'zod';
import { principal } from '../auth/hook.js';
import { idParams } from '../shared/schema.js';
import { commonProblems, problemSchema } from '../http/problem-schema.js';
import { forbidden } from '../shared/problem.js';
import { isStaff } from '../auth/principal.js';
import {
  diffOut,
  overridesOut,
  publishedOut,
  publishIn,
  publishPreviewOut,
  versionOut,
} from './api-schema.js';
import { policyOverridesSchema } from './overrides.js';
import type { PolicyService } from './service.js';

const tags = ['policy'];

// The file may be up to a million characters; JSON escaping makes the body a little larger.
const PUBLISH_BODY_LIMIT = 4 * 1024 * 1024;

const publishProblems = {
  ...commonProblems,
  409: problemSchema.describe('This version of the policy is already published.'),
  422: problemSchema.describe(
    'The file is not a valid policy (`problems`: path, message, line), the effective date has passed, or a change lowers a service level without allowRegression (`lowering`: the changes).',
  ),
};

export function policyRoutes(policy: PolicyService) {
  return async (fastify: FastifyInstance) => {
    const app = fastify.withTypeProvider<ZodTypeProvider>();

    app.get('/policy', {
      config: { public: true },
      schema: {
        tags,
        summary: 'The support policy in force now, as published',
        security: [],
        response: { 200: versionOut },
      },
      handler: async () => policy.current(),
    });

    app.get('/policy/versions', {
      schema: {
        tags,
        summary: 'Every published version, oldest first',
        response: { 200: z.object({ data: z.array(versionOut) }), ...commonProblems },
      },
      handler: async (request) => {
        if (!isStaff(principal(request))) throw forbidden('Policy versions are for staff.');
        return { data: await policy.listVersions() };
      },
    });

    app.get('/policy/diff', {
      schema: {
        tags,
        summary: 'What changed between two versions, with the changes that lower the service level flagged',
        querystring: z.strictObject({ from: z.string().min(1).max(100), to: z.string().min(1).max(100) }),
        response: { 200: diffOut, ...commonProblems },
      },
      handler: async (request) => {
        if (!isStaff(principal(request))) throw forbidden('Policy versions are for staff.');
        return policy.diff(request.query.from, request.query.to);
      },
    });

    app.post('/policy/versions/preview', {
      bodyLimit: PUBLISH_BODY_LIMIT,
      schema: {
        tags,
        summary:
          'What publishing a policy file would change and who would keep their version; nothing is written',
        body: publishIn,
        response: { 200: publishPreviewOut, ...publishProblems },
      },
      handler: async (request) => policy.previewVersion(principal(request), request.body),
    });

    app.post('/policy/versions', {
      bodyLimit: PUBLISH_BODY_LIMIT,
      schema: {
        tags,
        summary:
          'Publish a policy file as a new version (admins); one that lowers a service level needs allowRegression',
        body: publishIn,
        response: { 201: publishedOut, ...publishProblems },
      },
      handler: async (request, reply) =>
        reply.code(201).send(await policy.publishVersion(principal(request), request.body)),
    });

    app.get('/organizations/:id/policy-overrides', {
      schema: {
        tags,
        summary: 'The contract overrides of an organization',
        params: idParams,
        response: { 200: overridesOut, ...commonProblems },
      },
      handler: async (request) => policy.getOverrides(principal(request), request.params.id),
    });

    app.put('/organizations/:id/policy-overrides', {
      schema: {
        tags,
        summary: 'Record the contract overrides of an organization (the Agreement prevails over the policy)',
        params: idParams,
        body: z.strictObject({
          overrides: policyOverridesSchema,
          reason: z.string().trim().min(1).max(2000),
        }),
        response: { 200: overridesOut, ...commonProblems, 422: problemSchema },
      },
      handler: async (request) =>
        policy.setOverrides(
          principal(request),
          request.params.id,
          request.body.overrides,
          request.body.reason,
        ),
    });

    app.delete('/organizations/:id/policy-overrides', {
      schema: {
        tags,
        summary: 'Remove the contract overrides of an organization',
        params: idParams,
        response: { 204: z.null(), ...commonProblems },
      },
      handler: async (request, reply) => {
        await policy.deleteOverrides(principal(request), request.params.id);
        return reply.code(204).send(null);
      },
    });
  };
}
