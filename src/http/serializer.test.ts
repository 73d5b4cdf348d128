import Fastify from 'fastify';
import { validatorCompiler } from 'fastify-type-provider-zod';
import { describe, expect, it } from 'vitest';
import { z } from 'zod';
import { conflict } from '../shared/problem.js';
import { registerErrorHandling } from './errors.js';
import { problemSchema } from './problem-schema.js';
import { responseSerializerCompiler } from './serializer.js';

/** Compiles `schema` the way the app does for a route's response, logging into `debug`. */
function serializerOf(schema: z.ZodType, debug: unknown[] = []) {
  const compile = responseSerializerCompiler({ debug: (...args: unknown[]) => debug.push(args) });
  return compile({ schema, method: 'GET', url: '/test', httpStatus: '200' });
}

const written = (schema: z.ZodType, data: unknown) => JSON.parse(serializerOf(schema)(data)) as unknown;

describe('response serialization from JSON Schema', () => {
  it('leaves out keys the schema does not list, at every depth', () => {
    const schema = z.object({
      id: z.string(),
      requester: z.object({ name: z.string() }),
      messages: z.array(z.object({ body: z.string() })),
    });
    const row = {
      id: 't1',
      passwordHash: 'secret',
      requester: { name: 'Ada', email: 'ada@example.com' },
      messages: [{ body: 'hello', internalNote: 'not for the customer' }],
    };
    expect(written(schema, row)).toEqual({
      id: 't1',
      requester: { name: 'Ada' },
      messages: [{ body: 'hello' }],
    });
  });

  it('writes Dates as ISO 8601 strings, for z.date() and for ISO date-time strings', () => {
    const schema = z.object({ createdAt: z.date(), dueAt: z.iso.datetime().nullable() });
    const at = new Date('2026-06-01T12:00:00.000Z');
    expect(written(schema, { createdAt: at, dueAt: new Date('2026-06-02T09:30:00.000Z') })).toEqual({
      createdAt: '2026-06-01T12:00:00.000Z',
      dueAt: '2026-06-02T09:30:00.000Z',
    });
  });

  it('writes null for nullable fields, leaves out absent optional ones and fills defaults', () => {
    const schema = z.object({
      assignee: z.object({ id: z.string() }).nullable(),
      closedAt: z.string().nullable(),
      tags: z.array(z.string()).nullable(),
      note: z.string().optional(),
      channel: z.enum(['email', 'chat', 'portal']).default('portal'),
    });
    expect(written(schema, { assignee: null, closedAt: null, tags: null })).toEqual({
      assignee: null,
      closedAt: null,
      tags: null,
      channel: 'portal',
    });
    expect(
      written(schema, { assignee: { id: 'u1', role: 'agent' }, closedAt: 'x', tags: ['a'], note: 'n' }),
    ).toEqual({ assignee: { id: 'u1' }, closedAt: 'x', tags: ['a'], note: 'n', channel: 'portal' });
  });

  it('picks the branch of a union the way zod does, even when the value carries extra keys', () => {
    const event = z.discriminatedUnion('kind', [
      z.object({ kind: z.literal('reply'), body: z.string() }),
      z.object({ kind: z.literal('status'), from: z.string(), to: z.string() }),
    ]);
    const schema = z.object({
      events: z.array(event),
      actor: z.union([z.object({ userId: z.string() }), z.object({ system: z.literal(true) })]),
    });
    expect(
      written(schema, {
        events: [
          { kind: 'reply', body: 'hi', ticketId: 't1' },
          { kind: 'status', from: 'new', to: 'open', body: 'stray' },
        ],
        actor: { system: true, extra: 1 },
      }),
    ).toEqual({
      events: [
        { kind: 'reply', body: 'hi' },
        { kind: 'status', from: 'new', to: 'open' },
      ],
      actor: { system: true },
    });
  });

  it('writes records with their value schema and keeps the extra keys of a catchall', () => {
    const schema = z.object({
      counts: z.record(z.string(), z.object({ open: z.number().int() })),
      meta: z.object({ a: z.string() }).catchall(z.unknown()),
    });
    expect(
      written(schema, {
        counts: { P0: { open: 2, hidden: true }, P1: { open: 0 } },
        meta: { a: 'x', retryAfter: 30 },
      }),
    ).toEqual({ counts: { P0: { open: 2 }, P1: { open: 0 } }, meta: { a: 'x', retryAfter: 30 } });
  });

  it('fails a response that lacks a required field, as zod did', () => {
    const serialize = serializerOf(z.object({ id: z.string(), subject: z.string() }));
    expect(() => serialize({ id: 't1' })).toThrow(/subject/);
  });

  it('keeps zod for a schema whose output JSON Schema cannot say what zod writes, and says so once', () => {
    const debug: unknown[] = [];
    const schema = z.object({
      name: z.string().trim(),
      total: z.number().transform((n) => n * 100),
    });
    const serialize = serializerOf(schema, debug);
    expect(JSON.parse(serialize({ name: '  Ada ', total: 2, extra: true }))).toEqual({
      name: 'Ada',
      total: 200,
    });
    expect(debug).toHaveLength(1);
  });
});

describe('responses through fastify', () => {
  async function app() {
    const app = Fastify({ logger: false });
    app.setValidatorCompiler(validatorCompiler);
    app.setSerializerCompiler(responseSerializerCompiler());
    registerErrorHandling(app);
    const schema = {
      response: {
        200: z.object({ id: z.string(), subject: z.string() }),
        409: problemSchema,
      },
    };
    app.get('/missing-field', { schema }, async () => ({ id: 't1', secret: 'x' }));
    app.get('/conflict', { schema }, async () => {
      throw conflict('already-merged', 'The ticket was merged.', { mergedInto: 't2' });
    });
    await app.ready();
    return app;
  }

  it('answers a handler result that does not match its schema with a 500 problem, not a crash', async () => {
    const server = await app();
    const response = await server.inject({ method: 'GET', url: '/missing-field' });
    expect(response.statusCode).toBe(500);
    expect(response.headers['content-type']).toContain('application/problem+json');
    expect(response.json()).toMatchObject({ status: 500, title: 'Internal Server Error' });
    expect(response.body).not.toContain('secret');
    await server.close();
  });

  it('writes a problem+json with its extension members', async () => {
    const server = await app();
    const response = await server.inject({ method: 'GET', url: '/conflict' });
    expect(response.statusCode).toBe(409);
    expect(response.headers['content-type']).toContain('application/problem+json');
    expect(response.json()).toEqual({
      type: 'urn:accord:problem:already-merged',
      title: 'Conflict',
      status: 409,
      detail: 'The ticket was merged.',
      mergedInto: 't2',
    });
    await server.close();
  });
});
