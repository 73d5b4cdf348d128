import { randomUUID } from 'node:crypto';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import type { ChatConversationOut } from '../src/channels/chat/model.js';
import { loadConfig } from '../src/config.js';
import { createServices } from '../src/services.js';
import { ChatSocket, frame } from './support/chat-socket.js';
import { createTestDatabase, databaseTargets, type TestDatabase } from './support/databases.js';
import { startServer, type RunningServer } from './support/process.js';

// Two server processes share a desk only through PostgreSQL (LISTEN/NOTIFY carries chat events).
const targets = databaseTargets().filter((t) => t.dialect === 'postgres');

async function call<T>(
  server: RunningServer,
  method: string,
  path: string,
  init: { token?: string; body?: unknown },
) {
  const res = await fetch(`${server.url}/api/v1${path}`, {
    method,
    headers: {
      ...(init.token ? { authorization: `Bearer ${init.token}` } : {}),
      ...(init.body !== undefined ? { 'content-type': 'application/json' } : {}),
    },
    ...(init.body !== undefined ? { body: JSON.stringify(init.body) } : {}),
  });
  const text = await res.text();
  if (!res.ok) throw new Error(`${method} ${path} answered ${res.status}: ${text}`);
  return JSON.parse(text) as T;
}

describe.each(targets)('live chat across two server processes on $dialect', (target) => {
  let database: TestDatabase;
  let first: RunningServer | undefined;
  let second: RunningServer | undefined;
  let agent: { id: string; name: string; token: string };
  const sockets = new Set<ChatSocket>();

  beforeAll(async () => {
    database = await createTestDatabase(target);
    const config = loadConfig({ DATA_DIR: database.dataDir, LOG_LEVEL: 'silent' });
    const services = createServices(config, database.db);
    await services.policy.ensureDefault();
    const user = await services.users.create(null, {
      email: 'alex@desk.test',
      name: 'Alex Agent',
      role: 'agent',
    });
    agent = { id: user.id, name: user.name, token: (await services.auth.createToken(user.id, 'test')).token };
    const env = {
      DATABASE_URL: database.databaseUrl,
      DATA_DIR: database.dataDir,
      ACCORD_DEMO: '0',
      SCHEDULER_INTERVAL_MS: '0',
      CHAT_MESSAGES_PER_10S: '1000',
    };
    [first, second] = await Promise.all([startServer(env), startServer(env)]);
  }, 120_000);
  afterEach(async () => {
    await Promise.all([...sockets].map((s) => s.close()));
    sockets.clear();
  });
  afterAll(async () => {
    await Promise.all([first?.stop(), second?.stop()]);
    await database?.drop();
  });

  const open = async (server: RunningServer, headers: Record<string, string> = {}) => {
    const socket = await ChatSocket.open(`${server.url.replace(/^http/, 'ws')}/api/v1/chat/socket`, headers);
    sockets.add(socket);
    return socket;
  };

  it('carries messages, typing and a long message between a visitor on one process and an agent on the other', async () => {
    const [a, b] = [first!, second!];
    expect(a.url).not.toBe(b.url);
    await call(b, 'PUT', '/chat/presence', { token: agent.token, body: { status: 'online', capacity: 5 } });
    const agentSocket = await open(b, { authorization: `Bearer ${agent.token}` });

    const started = await call<{ conversation: ChatConversationOut; visitorToken: string }>(
      a,
      'POST',
      '/chat/conversations',
      { body: { name: 'Dana Visitor', email: 'dana@customer.test', message: 'Hello from the website.' } },
    );
    const id = started.conversation.id;
    // Started on the first process, heard by the console on the second.
    await agentSocket.next(frame('queue', (f) => f.reason === 'queued' && f.conversationId === id));
    await call(b, 'POST', `/chat/conversations/${id}/accept`, { token: agent.token });

    const visitor = await open(a);
    visitor.send({ type: 'join', conversationId: id, token: started.visitorToken, after: 0 });
    expect((await visitor.next(frame('joined'))).conversation).toMatchObject({
      status: 'active',
      lastSeq: 2,
    });
    agentSocket.send({ type: 'join', conversationId: id, after: 2 });
    await agentSocket.next(frame('joined'));
    const fromSeq = (seq: number) =>
      frame('message', (f) => f.conversationId === id && f.message.seq === seq);
    await visitor.next(fromSeq(2));

    const question = randomUUID();
    visitor.send({ type: 'send', conversationId: id, clientId: question, body: 'The export stops at 80%.' });
    const ack = await visitor.next(frame('ack', (f) => f.clientId === question));
    expect((await agentSocket.next(fromSeq(3))).message).toEqual(ack.message);

    const reply = randomUUID();
    agentSocket.send({ type: 'send', conversationId: id, clientId: reply, body: 'Which file?' });
    const replyAck = await agentSocket.next(frame('ack', (f) => f.clientId === reply));
    expect((await visitor.next(fromSeq(4))).message).toEqual(replyAck.message);
    expect(replyAck.message.author).toEqual({ kind: 'agent', id: agent.id, name: agent.name });

    visitor.send({ type: 'typing', conversationId: id, active: true });
    expect(await agentSocket.next(frame('typing'))).toMatchObject({
      side: 'visitor',
      name: 'Dana Visitor',
      active: true,
    });
    agentSocket.send({ type: 'typing', conversationId: id, active: true });
    expect(await visitor.next(frame('typing'))).toMatchObject({
      side: 'agent',
      name: agent.name,
      active: true,
    });

    // Over NOTIFY's 8000-byte payload once wrapped in an event: it travels as a reference.
    const long = `${'é'.repeat(3900)} (the whole log)`;
    expect(long.length).toBeLessThanOrEqual(4000);
    expect(Buffer.byteLength(long)).toBeGreaterThan(7000);
    const longId = randomUUID();
    visitor.send({ type: 'send', conversationId: id, clientId: longId, body: long });
    const longAck = await visitor.next(frame('ack', (f) => f.clientId === longId));
    const atAgent = await agentSocket.next(fromSeq(5));
    expect(atAgent.message).toEqual(longAck.message);
    expect(atAgent.message.body).toBe(long);
    const longReply = randomUUID();
    agentSocket.send({ type: 'send', conversationId: id, clientId: longReply, body: long });
    await agentSocket.next(frame('ack', (f) => f.clientId === longReply));
    expect((await visitor.next(fromSeq(6))).message.body).toBe(long);
  });
});
