import fastifyCookie from '@fastify/cookie';
import fastifyMultipart from '@fastify/multipart';
import fastifySwagger from '@fastify/swagger';
import fastifySwaggerUi from '@fastify/swagger-ui';
import Fastify, { type FastifyInstance, type FastifyRequest } from 'fastify';
import { jsonSchemaTransform, validatorCompiler, type ZodTypeProvider } from 'fastify-type-provider-zod';
import { sql } from 'kysely';
import { z } from 'zod';
import { registerAuthentication } from './auth/hook.js';
import { authRoutes } from './auth/routes.js';
import type { Config } from './config.js';
import { customersRoutes } from './customers/routes.js';
import { frameworkErrorHandler, registerErrorHandling } from './http/errors.js';
import { registerJsonParser } from './http/json.js';
import { IdempotentRequests } from './http/idempotency.js';
import { problemSchema } from './http/problem-schema.js';
import { responseSerializerCompiler } from './http/serializer.js';
import type { Services } from './services.js';
import { ticketsRoutes } from './tickets/routes.js';
import { mergeRoutes } from './tickets/merge-routes.js';
import { presenceRoutes } from './tickets/presence-routes.js';
import { policyRoutes } from './policy/routes.js';
import { slaRoutes } from './sla/routes.js';
import { notificationsRoutes } from './notifications/routes.js';
import { webAppRoutes } from './webapp/routes.js';
import { liveRoutes } from './live/routes.js';
import { PostgresLiveBus } from './live/postgres-bus.js';
import { embedRoutes } from './channels/in-app/routes.js';
import { mailRoutes } from './notifications/mail-routes.js';
import { demoLoginRoutes, demoRoutes } from './webapp/demo-routes.js';
import { helpCenterRoutes } from './helpcenter/routes.js';
import { helpCenterStructureRoutes } from './helpcenter/structure-routes.js';
import { helpCenterEngagementRoutes } from './helpcenter/engagement-routes.js';
import { helpCenterSiteRoutes } from './helpcenter/site/routes.js';
import { reportsRoutes } from './reports/routes.js';
import { macrosRoutes } from './macros/routes.js';
import { ticketTagsRoutes } from './tickets/tags-routes.js';
import { satisfactionPageRoutes, satisfactionRoutes } from './satisfaction/routes.js';
import { importRoutes } from './imports/routes.js';
import { statusRoutes } from './status/routes.js';
import { statusV2Routes } from './status/v2-routes.js';
import { statusSiteRoutes } from './status/site/routes.js';
import { statusSubscriptionRoutes } from './status/subscribers/routes.js';
import { incidentTicketRoutes } from './status/tickets/routes.js';
import fastifyWebsocket from '@fastify/websocket';
import { chatRoutes } from './channels/chat/routes.js';
import { MAX_FRAME_BYTES } from './channels/chat/model.js';
import { PostgresBroadcast } from './live/broadcast.js';
import { fairUseSignalsRoutes } from './fairuse/signals/index.js'; // fair use (signals)
import { fairUseLimitsRoutes } from './fairuse/limits/routes.js'; // fair use (limits)
import { exclusionsRoutes } from './fairuse/exclusions/routes.js'; // fair use (limits)
import { auditRoutes } from './fairuse/audit-routes.js'; // fair use (limits)
import { spamRoutes } from './fairuse/spam/routes.js'; // fair use (limits)

export interface AppOptions {
  config: Config;
  services: Services;
  /** false silences request logs (tests); default logs at the configured level. */
  logger?: boolean;
  /**
   * A demo desk also serves the demo vendor app's token endpoint (/demo/token) and lists its people
   * to sign in as (GET /api/v1/demo, 404 elsewhere).
   */
  demo?: boolean;
}

const API = '/api/v1';

export async function buildApp({
  config,
  services,
  logger = true,
  demo = false,
}: AppOptions): Promise<FastifyInstance> {
  const app = Fastify({
    logger: logger
      ? {
          level: config.logLevel,
          redact: ['req.headers.authorization', 'req.headers.cookie', 'res.headers["set-cookie"]'],
        }
      : false,
    bodyLimit: config.maxBodyBytes,
    trustProxy: process.env.TRUST_PROXY === '1',
    // Ids are UUIDs; a longer path parameter is refused before it reaches a handler.
    routerOptions: { maxParamLength: 200 },
    frameworkErrors: frameworkErrorHandler,
  });
  app.setValidatorCompiler(validatorCompiler);
  // Responses are written from their schema's JSON Schema by fast-json-stringify, not parsed by zod.
  app.setSerializerCompiler(responseSerializerCompiler(app.log));
  registerErrorHandling(app);
  registerJsonParser(app);

  await app.register(fastifyCookie);
  await app.register(fastifyMultipart, {
    limits: {
      fileSize: config.maxAttachmentBytes,
      files: 1,
      fields: 5,
      fieldSize: 1024,
      parts: 6,
      headerPairs: 100,
    },
  });
  await app.register(fastifySwagger, {
    openapi: {
      openapi: '3.1.0',
      info: {
        title: 'Accord API',
        version: '1',
        description:
          'The support desk that runs your published support policy. Times are ISO 8601 UTC; errors are RFC 9457 problem+json. Authenticate with `Authorization: Bearer <token>` or the session cookie plus the x-csrf-token header.',
      },
      components: {
        securitySchemes: {
          bearer: { type: 'http', scheme: 'bearer', description: 'A personal API token' },
          session: { type: 'apiKey', in: 'cookie', name: 'accord_session' },
        },
      },
      security: [{ bearer: [] }, { session: [] }],
    },
    transform: jsonSchemaTransform,
  });
  // The interactive API documentation is readable without signing in.
  app.addHook('onRoute', (route) => {
    if (route.url.startsWith('/api/docs')) route.config = { ...(route.config ?? {}), public: true };
  });
  await app.register(fastifySwaggerUi, {
    routePrefix: '/api/docs',
    uiConfig: { deepLinking: true },
    staticCSP: true,
  });
  registerAuthentication(app, services.auth);
  services.principalCache.useLogger(app.log);
  if (services.principalChanges instanceof PostgresBroadcast) services.principalChanges.useLogger(app.log);
  app.addHook('onClose', async () => {
    services.principalCache.close();
    await services.principalChanges.close();
  });

  const typed = app.withTypeProvider<ZodTypeProvider>();
  typed.get(`${API}/health`, {
    config: { public: true },
    schema: {
      tags: ['system'],
      summary: 'Liveness and database reachability',
      security: [],
      response: {
        200: z.object({ status: z.literal('ok'), database: z.enum(['sqlite', 'postgres']) }),
        503: problemSchema,
      },
    },
    handler: async () => {
      await sql`select 1`.execute(services.db.kysely);
      return { status: 'ok' as const, database: services.db.dialect };
    },
  });
  app.get(`${API}/openapi.json`, { config: { public: true }, schema: { hide: true } }, async () =>
    app.swagger(),
  );

  await app.register(
    authRoutes(services.auth, { secureCookies: config.secureCookies, sessionTtlMs: config.sessionTtlMs }),
    { prefix: API },
  );
  await app.register(customersRoutes(services.organizations, services.users), { prefix: API });
  await app.register(demoLoginRoutes(demo), { prefix: API });
  // Idempotency-Key on the create routes: a retried ticket or message is answered, not made twice.
  const idempotency = new IdempotentRequests(services.db.kysely, services.clock);
  await app.register(
    ticketsRoutes(services.tickets, services.conversation, services.attachments, idempotency),
    { prefix: API },
  );
  await app.register(policyRoutes(services.policyService), { prefix: API });
  await app.register(slaRoutes(services.slaPreview), { prefix: API });
  await app.register(notificationsRoutes(services.notifications, services.clock), { prefix: API });
  await app.register(embedRoutes(services.embed), { prefix: API });
  await app.register(mailRoutes(services.outbox, services.clock, services.staffReplyAddresses), {
    prefix: API,
  });
  await app.register(liveRoutes(services.live), { prefix: API });
  await app.register(mergeRoutes(services.merges), { prefix: API });
  await app.register(presenceRoutes(services.presence), { prefix: API });
  await app.register(fastifyWebsocket, {
    options: { maxPayload: MAX_FRAME_BYTES },
    // Shutting down says so (1001, going away): chat clients reconnect and resume.
    preClose(done) {
      for (const client of this.websocketServer.clients) client.close(1001, 'shutting down');
      this.websocketServer.close(() => done());
    },
  });
  await app.register(
    chatRoutes(services.chat, { sameOrigin: (request) => sameOrigin(request, config.publicUrl) }),
    { prefix: API },
  );
  services.chat.hub.start(app.log);
  if (services.chat.events instanceof PostgresBroadcast) services.chat.events.useLogger(app.log);
  app.addHook('onClose', async () => {
    services.chat.hub.stop();
    await services.chat.events.close();
  });
  await app.register(reportsRoutes(services.reports), { prefix: API });
  await app.register(ticketTagsRoutes(services.ticketTags), { prefix: API });
  await app.register(macrosRoutes(services.macros), { prefix: API });
  await app.register(satisfactionRoutes(services.satisfaction), { prefix: API });
  // The page a satisfaction mail's link opens, answered without signing in.
  await app.register(satisfactionPageRoutes(services.satisfaction, services.satisfactionSurveys));
  await app.register(fairUseSignalsRoutes(services.fairUseFlags), { prefix: API }); // fair use (signals)
  // fair use (limits): limits and contact messages, exclusions, the audit log, the spam folder
  const fairUseLimits = services.fairUseLimits;
  await app.register(fairUseLimitsRoutes(fairUseLimits.limits), { prefix: API });
  await app.register(exclusionsRoutes(fairUseLimits.exclusions), { prefix: API });
  await app.register(auditRoutes(fairUseLimits.audit), { prefix: API });
  await app.register(spamRoutes(fairUseLimits.spam), { prefix: API });
  await app.register(statusRoutes(services.status), { prefix: API });
  await app.register(incidentTicketRoutes(services.incidentTickets, services.incidentNotices), {
    prefix: API,
  });
  // POST /api/v1/status/subscribers and the confirm and unsubscribe pages under /status.
  await app.register(statusSubscriptionRoutes(services.statusSubscriptions));
  // The hosted status-page format's public JSON, at the root where status widgets look for it.
  await app.register(statusV2Routes(services.status));
  await app.register(importRoutes(services.ticketImport, { maxBytes: config.importMaxBytes }), {
    prefix: API,
  });
  await app.register(helpCenterStructureRoutes(services.helpCenterStructure), { prefix: API });
  await app.register(helpCenterRoutes(services.helpCenter), { prefix: API });
  await app.register(
    helpCenterEngagementRoutes(
      services.helpCenter,
      services.helpCenterEngagement,
      services.ticketHelpCenter,
      // fair use (limits): public searches and suggestions per address
      { perMinute: config.helpCenterSearchesPerMinute, clock: services.clock },
    ),
    { prefix: API },
  );
  if (services.live instanceof PostgresLiveBus) services.live.useLogger(app.log);
  app.addHook('onClose', () => services.live.close());
  await app.register(
    helpCenterSiteRoutes({
      content: services.helpCenter,
      structure: services.helpCenterStructure,
      contentRepo: services.helpCenterContent,
      engagement: services.helpCenterEngagement,
      auth: services.auth,
      publicUrl: config.publicUrl ?? `http://localhost:${config.port}`,
    }),
  );
  await app.register(
    statusSiteRoutes({
      db: services.db.kysely,
      clock: services.clock,
      // The bars' days and the second clock shown are the policy's support time zone.
      timeZoneAt: async (at) => (await services.policy.inForceAt(at)).policy.support.timeZone,
      publicUrl: config.publicUrl ?? `http://localhost:${config.port}`,
      subscriptions: services.statusSubscriptions,
    }),
  );
  await app.register(webAppRoutes());
  if (demo && config.embedSecret) await app.register(demoRoutes(config.embedSecret, services.clock));
  return app;
}

/**
 * Whether a browser request comes from the desk's own pages: its Origin is the desk's public URL or
 * the host it was sent to. A WebSocket carries the session cookie from any site, so a staff socket
 * is only honoured from here.
 */
function sameOrigin(request: FastifyRequest, publicUrl: string | undefined): boolean {
  const origin = request.headers.origin;
  if (!origin) return false;
  try {
    const url = new URL(origin);
    if (publicUrl && url.origin === new URL(publicUrl).origin) return true;
    return url.host === request.headers.host;
  } catch {
    return false;
  }
}
