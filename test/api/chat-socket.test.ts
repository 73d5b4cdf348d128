import { randomUUID } from 'node:crypto';
import type { AddressInfo } from 'node:net';
import path from 'node:path';
import type { FastifyInstance } from 'fastify';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import type { ChatConversationOut, ChatMessageOut, ServerFrame } from '../../src/channels/chat/model.js';
import type { OrganizationOut } from '../../src/customers/schema.js';
import { MailDrop } from '../../src/notifications/mail-drop.js';
import { buildApp } from '../../src/server.js';
import { startServices } from '../../src/services.js';
import { ChatSocket, frame } from '../support/chat-socket.js';
import { databaseTargets } from '../support/databases.js';
import { TestDesk, type Person } from '../support/desk.js';

// The desk's clock stands still in tests, so the per-window limits would never reset: raised here.
const ENV = { CHAT_STARTS_PER_HOUR: '1000', CHAT_MESSAGES_PER_10S: '1000' };
const API = '/api/v1/chat';

interface Started {
  conversation: ChatConversationOut;
  visitorToken: string;
}

const message = (conversationId: string, match: (m: ChatMessageOut) => boolean) =>
  frame('message', (f) => f.conversationId === conversationId && match(f.message));
const ackOf = (clientId: string) => frame('ack', (f) => f.clientId === clientId);

async function until(condition: () => boolean, what: string, timeoutMs = 5000) {
  const deadline = Date.now() + timeoutMs;
  while (!condition()) {
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}`);
    await new Promise((resolve) => setTimeout(resolve, 10));
  }
}

describe.each(databaseTargets())('live chat over a WebSocket on $dialect', (target) => {
  let desk: TestDesk;
  let org: OrganizationOut;
  let origin: string;
  let socketUrl: string;
  let visitors = 0;
  const sockets = new Set<ChatSocket>();

  beforeAll(async () => {
    desk = await TestDesk.start(target, ENV);
    await desk.app.listen({ port: 0, host: '127.0.0.1' });
    origin = `http://127.0.0.1:${(desk.app.server.address() as AddressInfo).port}`;
    socketUrl = `${origin.replace('http:', 'ws:')}${API}/socket`;
    org = await desk.organization('premium');
  });
  afterEach(async () => {
    await Promise.all([...sockets].map((s) => s.close()));
    sockets.clear();
  });
  afterAll(() => desk?.close());

  const open = async (headers: Record<string, string> = {}, url = socketUrl) => {
    const socket = await ChatSocket.open(url, headers);
    sockets.add(socket);
    return socket;
  };
  const bearer = (person: Person) => ({ authorization: `Bearer ${person.token}` });

  /** An agent online with room for many chats, as the console sets it. */
  const onlineAgent = async (app: { api: TestDesk['api'] } = desk) => {
    const agent = await desk.person('agent');
    const res = await app.api('PUT', `${API}/presence`, {
      token: agent.token,
      body: { status: 'online', capacity: 20 },
    });
    expect(res.statusCode, res.body).toBe(200);
    return agent;
  };

  /** A visitor from the organization's domain starts a chat, with a first message. */
  const startChat = async (extra: Record<string, unknown> = {}): Promise<Started> => {
    visitors += 1;
    const res = await desk.api('POST', `${API}/conversations`, {
      body: {
        name: 'Dana Visitor',
        email: `dana.${visitors}@${org.domains[0]}`,
        message: 'Hello, the export stops at 80%.',
        ...extra,
      },
    });
    expect(res.statusCode, res.body).toBe(201);
    return res.json<Started>();
  };

  const accept = async (agent: Person, id: string) => {
    const res = await desk.api('POST', `${API}/conversations/${id}/accept`, { token: agent.token });
    expect(res.statusCode, res.body).toBe(200);
    return res.json<ChatConversationOut>();
  };

  const storedMessages = async (id: string, person: Person) => {
    const res = await desk.api('GET', `${API}/conversations/${id}/messages?limit=200`, {
      token: person.token,
    });
    expect(res.statusCode, res.body).toBe(200);
    return res.json<{ data: ChatMessageOut[] }>().data;
  };

  /** A chat an agent has accepted: seq 1 is the visitor's first message, seq 2 the agent joining. */
  const activeChat = async () => {
    const agent = await onlineAgent();
    const started = await startChat();
    await accept(agent, started.conversation.id);
    return { agent, id: started.conversation.id, token: started.visitorToken };
  };

  /** Both sides on sockets, joined to the chat and holding its backlog. */
  const bothJoined = async () => {
    const chat = await activeChat();
    const visitor = await open();
    visitor.send({ type: 'join', conversationId: chat.id, token: chat.token, after: 0 });
    await visitor.next(frame('joined'));
    await visitor.next(message(chat.id, (m) => m.seq === 2));
    const agent = await open(bearer(chat.agent));
    agent.send({ type: 'join', conversationId: chat.id, after: 0 });
    await agent.next(frame('joined'));
    await agent.next(message(chat.id, (m) => m.seq === 2));
    return { ...chat, visitor, agentSocket: agent };
  };

  it('carries messages both ways, each stored once, and replays what came after the given seq', async () => {
    const agent = await onlineAgent();
    const agentSocket = await open(bearer(agent));
    const started = await startChat();
    const id = started.conversation.id;
    // An unverified visitor is not told the organization their address matched (the agents are).
    expect(started.conversation.organization).toBeNull();
    await accept(agent, id);

    const visitor = await open();
    visitor.send({ type: 'join', conversationId: id, token: started.visitorToken, after: 1 });
    const joined = await visitor.next(frame('joined'));
    expect(joined.conversation).toMatchObject({ id, status: 'active', lastSeq: 2 });
    expect(joined.conversation.agent?.id).toBe(agent.user.id);
    const joinNotice = await visitor.next(message(id, () => true));
    expect(joinNotice.message).toMatchObject({ seq: 2, author: { kind: 'system' } });
    await visitor.roundTrip();
    // Joined after seq 1: the first message is not sent again.
    expect(visitor.received(message(id, (m) => m.seq === 1))).toEqual([]);

    agentSocket.send({ type: 'join', conversationId: id, after: 0 });
    expect((await agentSocket.next(frame('joined'))).conversation.id).toBe(id);
    const backlog = [
      await agentSocket.next(message(id, () => true)),
      await agentSocket.next(message(id, () => true)),
    ];
    expect(backlog.map((f) => [f.message.seq, f.message.author.kind])).toEqual([
      [1, 'visitor'],
      [2, 'system'],
    ]);
    expect(backlog[0]!.message.body).toBe('Hello, the export stops at 80%.');

    const question = randomUUID();
    visitor.send({
      type: 'send',
      conversationId: id,
      clientId: question,
      body: '  It fails on the March file.  ',
    });
    const ack = await visitor.next(ackOf(question));
    expect(ack.message).toMatchObject({
      clientId: question,
      seq: 3,
      author: { kind: 'visitor', id: null, name: 'Dana Visitor' },
      body: 'It fails on the March file.',
      attachment: null,
    });
    const atAgent = await agentSocket.next(message(id, (m) => m.clientId === question));
    expect(atAgent.message).toEqual(ack.message);
    // The sender hears its own message too (and drops it by id).
    expect((await visitor.next(message(id, (m) => m.clientId === question))).message.id).toBe(ack.message.id);

    const reply = randomUUID();
    agentSocket.send({ type: 'send', conversationId: id, clientId: reply, body: 'Looking at it now.' });
    const replyAck = await agentSocket.next(ackOf(reply));
    expect(replyAck.message).toMatchObject({
      seq: 4,
      author: { kind: 'agent', id: agent.user.id, name: agent.user.name },
    });
    const atVisitor = await visitor.next(message(id, (m) => m.clientId === reply));
    expect(atVisitor.message).toEqual(replyAck.message);

    const stored = await storedMessages(id, agent);
    expect(stored.map((m) => [m.seq, m.author.kind, m.body])).toEqual([
      [1, 'visitor', 'Hello, the export stops at 80%.'],
      [2, 'system', expect.any(String)],
      [3, 'visitor', 'It fails on the March file.'],
      [4, 'agent', 'Looking at it now.'],
    ]);
    expect(stored[2]).toEqual(ack.message);
    // The visitor reads the same with the conversation's secret.
    const asVisitor = await desk.api('GET', `${API}/conversations/${id}/messages?after=2`, {
      headers: { 'x-chat-token': started.visitorToken },
    });
    expect(asVisitor.json<{ data: ChatMessageOut[] }>().data.map((m) => m.id)).toEqual([
      ack.message.id,
      replyAck.message.id,
    ]);
  });

  it('stores a message sent twice, and again after a reconnect, once under the same id', async () => {
    const { id, token, agent, visitor, agentSocket } = await bothJoined();
    const clientId = randomUUID();
    const send = { type: 'send', conversationId: id, clientId, body: 'Is the March file too big?' };
    // Twice at once: the second arrives before the first is stored.
    visitor.send(send);
    visitor.send(send);
    const first = await visitor.next(ackOf(clientId));
    const second = await visitor.next(ackOf(clientId));
    expect(second.message.id).toBe(first.message.id);
    expect(first.message.seq).toBe(3);
    await agentSocket.next(message(id, (m) => m.clientId === clientId));

    await visitor.close();
    const again = await open();
    again.send({ type: 'join', conversationId: id, token, after: 2 });
    await again.next(frame('joined'));
    expect((await again.next(message(id, () => true))).message.id).toBe(first.message.id);
    again.send(send);
    expect((await again.next(ackOf(clientId))).message).toEqual(first.message);

    // Something new after the resend: the agent has heard the message once, and then the new one.
    const next = randomUUID();
    again.send({ type: 'send', conversationId: id, clientId: next, body: 'It is 12 MB.' });
    expect((await again.next(ackOf(next))).message.seq).toBe(4);
    await agentSocket.next(message(id, (m) => m.clientId === next));
    expect(agentSocket.received(message(id, (m) => m.clientId === clientId))).toHaveLength(1);

    const stored = await storedMessages(id, agent);
    expect(stored.map((m) => m.seq)).toEqual([1, 2, 3, 4]);
    expect(stored.filter((m) => m.clientId === clientId)).toEqual([first.message]);
  });

  it('stores what one socket sends in the order it was sent, even right after joining', async () => {
    const chat = await activeChat();
    const visitor = await open();
    // No wait for `joined`: a client resending its backlog after a reconnect does just this.
    visitor.send({ type: 'join', conversationId: chat.id, token: chat.token, after: 0 });
    const ids = Array.from({ length: 10 }, () => randomUUID());
    ids.forEach((clientId, i) =>
      visitor.send({ type: 'send', conversationId: chat.id, clientId, body: `part ${i}` }),
    );
    for (const clientId of ids) await visitor.next(ackOf(clientId));
    expect(visitor.received(frame('error'))).toEqual([]);
    const stored = await storedMessages(chat.id, chat.agent);
    expect(stored.filter((m) => m.author.kind === 'visitor' && m.seq > 1).map((m) => m.body)).toEqual(
      ids.map((_, i) => `part ${i}`),
    );
    // Joining again resumes; it does not double what the socket hears.
    visitor.send({ type: 'join', conversationId: chat.id, token: chat.token, after: stored.at(-1)!.seq });
    await visitor.next(frame('joined'));
    const extra = randomUUID();
    const agentSocket = await open(bearer(chat.agent));
    agentSocket.send({ type: 'join', conversationId: chat.id, after: stored.at(-1)!.seq });
    await agentSocket.next(frame('joined'));
    agentSocket.send({ type: 'send', conversationId: chat.id, clientId: extra, body: 'Got all ten.' });
    await visitor.next(message(chat.id, (m) => m.clientId === extra));
    await visitor.roundTrip();
    expect(visitor.received(message(chat.id, (m) => m.clientId === extra))).toHaveLength(1);
  });

  it('relays typing to the other side only, and receipts that only ever rise', async () => {
    const { id, token, agent, visitor, agentSocket } = await bothJoined();

    visitor.send({ type: 'typing', conversationId: id, active: true });
    expect(await agentSocket.next(frame('typing'))).toEqual({
      type: 'typing',
      conversationId: id,
      side: 'visitor',
      name: 'Dana Visitor',
      active: true,
    });
    // The desk wrote the signal to every other connection in one go: the sender's answer comes after it.
    await visitor.roundTrip();
    expect(visitor.received(frame('typing'))).toEqual([]);

    agentSocket.send({ type: 'typing', conversationId: id, active: false });
    expect(await visitor.next(frame('typing'))).toMatchObject({
      side: 'agent',
      name: agent.user.name,
      active: false,
    });
    await agentSocket.roundTrip();
    expect(agentSocket.received(frame('typing'))).toHaveLength(1);

    for (const body of ['First, open Settings.', 'Then Export.']) {
      const clientId = randomUUID();
      agentSocket.send({ type: 'send', conversationId: id, clientId, body });
      await agentSocket.next(ackOf(clientId));
    }
    // Four messages now: 1 visitor, 2 joined, 3 and 4 from the agent.
    const visitorReceipt = (delivered: number, seen: number) =>
      frame('receipt', (f) => f.side === 'visitor' && f.deliveredSeq === delivered && f.seenSeq === seen);

    visitor.send({ type: 'receipt', conversationId: id, deliveredSeq: 4, seenSeq: 1 });
    await agentSocket.next(visitorReceipt(4, 1));
    // Seen rises to 3; delivered, already 4, is not lowered to 2.
    visitor.send({ type: 'receipt', conversationId: id, deliveredSeq: 2, seenSeq: 3 });
    await agentSocket.next(visitorReceipt(4, 3));
    const lower = await desk.api('POST', `${API}/conversations/${id}/receipts`, {
      headers: { 'x-chat-token': token },
      body: { deliveredSeq: 1, seenSeq: 1 },
    });
    expect(lower.statusCode).toBe(204);
    // Past the last message counts as the last message.
    visitor.send({ type: 'receipt', conversationId: id, seenSeq: 99 });
    await agentSocket.next(visitorReceipt(4, 4));
    expect(
      agentSocket
        .received(frame('receipt', (f) => f.side === 'visitor'))
        .map((f) => [f.deliveredSeq, f.seenSeq]),
    ).toEqual([
      [4, 1],
      [4, 3],
      [4, 4],
    ]);

    agentSocket.send({ type: 'receipt', conversationId: id, seenSeq: 4 });
    expect(await visitor.next(frame('receipt', (f) => f.side === 'agent'))).toEqual({
      type: 'receipt',
      conversationId: id,
      side: 'agent',
      deliveredSeq: 4,
      seenSeq: 4,
    });
    const conversation = await desk.api('GET', `${API}/conversations/${id}`, { token: agent.token });
    expect(conversation.json<ChatConversationOut>()).toMatchObject({
      visitorReceipt: { deliveredSeq: 4, seenSeq: 4 },
      agentReceipt: { deliveredSeq: 4, seenSeq: 4 },
    });
  });

  it('tells staff sockets when a chat is waiting and when it is taken', async () => {
    const watcher = await open(bearer(await onlineAgent()));
    const taker = await onlineAgent();
    const { conversation } = await startChat({ priority: 'P1' });
    expect(
      await watcher.next(
        frame('queue', (f) => f.reason === 'queued' && f.conversationId === conversation.id),
      ),
    ).toEqual({ type: 'queue', reason: 'queued', conversationId: conversation.id });
    await accept(taker, conversation.id);
    expect(
      await watcher.next(
        frame('queue', (f) => f.reason === 'accepted' && f.conversationId === conversation.id),
      ),
    ).toEqual({ type: 'queue', reason: 'accepted', conversationId: conversation.id, agentId: taker.user.id });
  });

  it('answers each bad frame with an error and keeps the socket open', async () => {
    const { conversation, visitorToken } = await startChat();
    const id = conversation.id;
    const socket = await open();
    const error = () => socket.next(frame('error'));

    socket.sendRaw('this is not JSON');
    expect(await error()).toMatchObject({ status: 400, title: 'Bad Request' });
    socket.send({ type: 'shout', conversationId: id });
    expect(await error()).toMatchObject({ status: 400 });

    const early = randomUUID();
    socket.send({ type: 'send', conversationId: id, clientId: early, body: 'Anyone there?' });
    expect(await error()).toMatchObject({ status: 409, ref: early });

    socket.send({ type: 'join', conversationId: id, token: `${visitorToken}x`, after: 0 });
    expect(await error()).toMatchObject({ status: 404 });
    expect(socket.received(frame('joined'))).toEqual([]);

    socket.send({ type: 'join', conversationId: id, token: visitorToken, after: 0 });
    await socket.next(frame('joined'));
    const long = randomUUID();
    socket.send({ type: 'send', conversationId: id, clientId: long, body: 'a'.repeat(4001) });
    expect(await error()).toMatchObject({ status: 400, ref: long });

    socket.sendRaw(Buffer.from(JSON.stringify({ type: 'ping' })), true);
    expect(await error()).toMatchObject({ status: 400 });

    await socket.roundTrip();
    expect(socket.isOpen).toBe(true);
    // Only the refused send frames are stored nowhere: the first message is all there is.
    const agent = await onlineAgent();
    expect((await storedMessages(id, agent)).map((m) => m.seq)).toEqual([1]);
  });

  it('closes a socket after more than 20 malformed frames (1008), and on a frame over 64 KB (1009)', async () => {
    const flooder = await open();
    for (let i = 0; i < 20; i++) flooder.sendRaw(`{ broken ${i}`);
    await flooder.roundTrip();
    expect(flooder.received(frame('error'))).toHaveLength(20);
    expect(flooder.isOpen).toBe(true);
    flooder.sendRaw('{ one too many');
    expect((await flooder.closed).code).toBe(1008);

    const big = await open();
    big.send({ type: 'ping', padding: 'x'.repeat(65 * 1024) });
    expect((await big.closed).code).toBe(1009);
    expect(big.received(frame('pong'))).toEqual([]);
  });

  it('honours a staff session cookie only from the desk’s own origin', async () => {
    const password = 'a-long-password-123';
    const agent = await desk.person('agent', undefined, password);
    const login = await desk.api('POST', '/api/v1/auth/login', {
      body: { email: agent.user.email, password },
    });
    expect(login.statusCode, login.body).toBe(200);
    const session = login.cookies.find((c) => c.name === 'accord_session');
    expect(session).toBeDefined();
    const cookie = `accord_session=${session!.value}`;

    const own = await open({ cookie, origin });
    const foreign = await open({ cookie, origin: 'https://evil.example' });
    const noOrigin = await open({ cookie });

    const { conversation } = await startChat();
    const id = conversation.id;
    await own.next(frame('queue', (f) => f.reason === 'queued' && f.conversationId === id));
    await foreign.roundTrip();
    await noOrigin.roundTrip();
    expect(foreign.received(frame('queue'))).toEqual([]);
    expect(noOrigin.received(frame('queue'))).toEqual([]);

    foreign.send({ type: 'join', conversationId: id, after: 0 });
    expect(await foreign.next(frame('error'))).toMatchObject({ status: 404 });
    noOrigin.send({ type: 'join', conversationId: id, after: 0 });
    expect(await noOrigin.next(frame('error'))).toMatchObject({ status: 404 });
    expect([...foreign.received(frame('message')), ...noOrigin.received(frame('message'))]).toEqual([]);

    own.send({ type: 'join', conversationId: id, after: 0 });
    expect((await own.next(frame('joined'))).conversation.id).toBe(id);
    expect((await own.next(message(id, () => true))).message.seq).toBe(1);
  });

  it('long-polls: stored messages at once, else the next one posted while it waits', async () => {
    const { id, token, agent } = await activeChat();
    const poll = async (after: number) => {
      const res = await fetch(`${origin}${API}/conversations/${id}/events?after=${after}&wait=5`, {
        headers: { 'x-chat-token': token },
      });
      expect(res.status).toBe(200);
      return ((await res.json()) as { frames: ServerFrame[] }).frames;
    };

    const stored = await poll(0);
    expect(stored.map((f) => (f.type === 'message' ? f.message.seq : f.type))).toEqual([1, 2]);

    const hub = desk.services.chat.hub;
    await until(() => hub.connectionCount === 0, 'the earlier sockets to be gone');
    const waiting = poll(2);
    await until(() => hub.connectionCount === 1, 'the poll to wait');
    const clientId = randomUUID();
    const posted = await desk.api('POST', `${API}/conversations/${id}/messages`, {
      token: agent.token,
      body: { clientId, body: 'Try the file again now.' },
    });
    expect(posted.statusCode, posted.body).toBe(201);
    const frames = await waiting;
    expect(frames).toContainEqual({ type: 'message', conversationId: id, message: posted.json() });
    expect(frames.filter((f) => f.type === 'message').map((f) => f.message.seq)).toEqual([3]);
  });

  // Closes the desk's app (its server, hub and broadcast) for good: the suite's last test.
  it('loses nothing when the desk restarts mid-chat: clients re-join after their last seq and resend', async () => {
    const { id, token, agent } = await activeChat();
    const port = Number(new URL(origin).port);
    // The second process: new services (hub, limits, broadcast) on the same database.
    let second: FastifyInstance | undefined;
    const restarted = await startServices(desk.config, desk.database.db, {
      clock: () => desk.now,
      mailer: new MailDrop(path.join(desk.database.dataDir, 'mail-drop')),
    });
    try {
      const visitor = await open();
      visitor.send({ type: 'join', conversationId: id, token, after: 0 });
      await visitor.next(frame('joined'));
      const agentSocket = await open(bearer(agent));
      agentSocket.send({ type: 'join', conversationId: id, after: 0 });
      await agentSocket.next(frame('joined'));

      /** What the visitor's screen holds: every message it was sent or had acknowledged, by seq. */
      const seen = new Map<number, ChatMessageOut>();
      const unacked = new Map<string, string>();
      const sendFromVisitor = (socket: ChatSocket, clientId: string, body: string) => {
        unacked.set(clientId, body);
        socket.send({ type: 'send', conversationId: id, clientId, body });
      };
      const settle = (socket: ChatSocket) => {
        for (const f of socket.frames) {
          if (f.type === 'message') seen.set(f.message.seq, f.message);
          if (f.type === 'ack') {
            seen.set(f.message.seq, f.message);
            unacked.delete(f.clientId);
          }
        }
      };

      const v1 = randomUUID();
      sendFromVisitor(visitor, v1, 'The export stops at 80%.');
      await visitor.next(ackOf(v1));
      const a1 = randomUUID();
      agentSocket.send({ type: 'send', conversationId: id, clientId: a1, body: 'Which file?' });
      await visitor.next(message(id, (m) => m.clientId === a1));

      // v2 is stored and announced, but its acknowledgement never reaches the visitor: the network
      // drops while the desk restarts.
      visitor.loseIncoming();
      const v2 = randomUUID();
      sendFromVisitor(visitor, v2, 'The March one.');
      const v2AtAgent = await agentSocket.next(message(id, (m) => m.clientId === v2));
      visitor.ws.terminate();
      await visitor.closed;
      settle(visitor);
      expect(unacked.has(v2)).toBe(true);
      expect(Math.max(...seen.keys())).toBe(4);

      await desk.app.close();
      // Going away (1001): the client knows to reconnect and resume.
      expect((await agentSocket.closed).code).toBe(1001);
      await expect(ChatSocket.open(socketUrl)).rejects.toThrow();

      second = await buildApp({ config: desk.config, services: restarted, logger: false });
      await second.listen({ port, host: '127.0.0.1' });

      // Written while the visitor is away: typed offline, and the agent's answer on the new process.
      const v3 = randomUUID();
      unacked.set(v3, 'Should I split it?');
      const agentAgain = await open(bearer(agent));
      agentAgain.send({ type: 'join', conversationId: id, after: v2AtAgent.message.seq });
      await agentAgain.next(frame('joined'));
      const a2 = randomUUID();
      agentAgain.send({ type: 'send', conversationId: id, clientId: a2, body: 'Yes, by quarter.' });
      await agentAgain.next(ackOf(a2));

      const back = await open();
      back.send({ type: 'join', conversationId: id, token, after: Math.max(...seen.keys()) });
      const rejoined = await back.next(frame('joined'));
      expect(rejoined.conversation.status).toBe('active');
      for (const [clientId, body] of [...unacked]) sendFromVisitor(back, clientId, body);
      const v2Ack = await back.next(ackOf(v2));
      const v3Ack = await back.next(ackOf(v3));
      expect(v2Ack.message).toEqual(v2AtAgent.message);
      await agentAgain.next(message(id, (m) => m.clientId === v3));
      settle(back);
      expect(unacked.size).toBe(0);

      const stored = await restarted.chat.repo.messagesAfter(id, 0, 200);
      const seqs = stored.map((m) => Number(m.seq));
      expect(seqs).toEqual(Array.from({ length: seqs.length }, (_, i) => i + 1));
      expect(seqs.at(-1)).toBe(v3Ack.message.seq);
      for (const clientId of [v1, a1, v2, v3, a2])
        expect(stored.filter((m) => m.client_id === clientId)).toHaveLength(1);
      // The visitor's screen has every message, each once, with no hole.
      expect([...seen.keys()].sort((a, b) => a - b)).toEqual(seqs);
      expect([...seen.values()].map((m) => m.id).sort()).toEqual(stored.map((m) => m.id).sort());
    } finally {
      await Promise.all([...sockets].map((s) => s.close()));
      sockets.clear();
      await second?.close();
    }
  });
});
