import type { FastifyBaseLogger, FastifyRequest } from 'fastify';
import type { WebSocket } from 'ws';
import { isStaff } from '../../auth/principal.js';
import { newId } from '../../shared/ids.js';
import { Problem } from '../../shared/problem.js';
import type { ChatHub, ChatSubscriber } from './hub.js';
import type { ServerFrame } from './model.js';
import { presentMessage } from './presenters.js';
import type { ChatRepository } from './repository.js';
import { clientFrame, type ClientFrame } from './schema.js';
import type { ChatCaller, ChatService } from './service.js';

/** Malformed frames a connection may send before it is closed. */
const MAX_BAD_FRAMES = 20;
/** A connection this far behind (bytes queued) is not sent typing signals. */
const SLOW_BYTES = 1024 * 1024;
/** A connection this far behind is closed: the client resumes from its last message. */
const STALLED_BYTES = 8 * 1024 * 1024;
const BACKLOG_PAGE = 200;
/** Conversations one connection may follow (a console with many chats open). */
const MAX_JOINS = 100;

export interface SocketDeps {
  service: ChatService;
  repo: ChatRepository;
  hub: ChatHub;
  /** The desk's own origins: a staff session cookie is honoured only from them. */
  sameOrigin: (request: FastifyRequest) => boolean;
  log: FastifyBaseLogger;
}

/**
 * One chat WebSocket: visitors join a conversation with its secret, staff (signed in to the desk)
 * join any and hear the queue. Every frame is validated; what goes wrong in one frame is answered
 * with an error frame, and only a flood of bad frames closes the socket.
 */
export function handleChatSocket(deps: SocketDeps, socket: WebSocket, request: FastifyRequest) {
  const { service, repo, hub, log } = deps;
  const staff =
    request.principal &&
    isStaff(request.principal) &&
    (request.headers.authorization !== undefined || deps.sameOrigin(request))
      ? request.principal
      : null;
  const callers = new Map<string, ChatCaller>();
  const joined = new Map<string, ChatSubscriber>();
  let badFrames = 0;
  let inOrder: Promise<void> = Promise.resolve();
  const send = (frame: ServerFrame) => {
    if (socket.readyState !== socket.OPEN) return;
    if (socket.bufferedAmount > STALLED_BYTES) {
      socket.close(1013, 'too far behind; reconnect');
      return;
    }
    if (frame.type === 'typing' && socket.bufferedAmount > SLOW_BYTES) return;
    socket.send(JSON.stringify(frame));
  };
  const subscriber: ChatSubscriber = { id: newId(), side: staff ? 'agent' : 'visitor', send };
  if (staff) hub.addStaff(subscriber, staff.userId);

  const fail = (ref: string | undefined, error: unknown) => {
    if (error instanceof Problem)
      send({
        type: 'error',
        ...(ref ? { ref } : {}),
        status: error.status,
        title: error.title,
        detail: error.detail,
      });
    else {
      log.error({ err: error }, 'chat: a frame failed');
      send({
        type: 'error',
        ...(ref ? { ref } : {}),
        status: 500,
        title: 'Internal Server Error',
        detail: 'The desk could not handle this; try again.',
      });
    }
  };

  const callerFor = (conversationId: string): ChatCaller | undefined => callers.get(conversationId);

  const handle = async (frame: ClientFrame) => {
    switch (frame.type) {
      case 'ping':
        send({ type: 'pong' });
        return;
      case 'join': {
        const caller: ChatCaller = frame.token
          ? { kind: 'visitor', token: frame.token }
          : staff
            ? { kind: 'staff', principal: staff }
            : { kind: 'visitor', token: '' };
        if (!callers.has(frame.conversationId) && callers.size >= MAX_JOINS)
          throw new Problem(
            429,
            'Too Many Requests',
            `A connection follows at most ${MAX_JOINS} conversations.`,
          );
        const access = await service.access(caller, frame.conversationId);
        callers.set(frame.conversationId, caller);
        const sub = access.side === subscriber.side ? subscriber : { ...subscriber, side: access.side };
        // Joining again (a resume) replaces the earlier subscription instead of doubling it.
        const previous = joined.get(frame.conversationId);
        if (previous) hub.leave(frame.conversationId, previous);
        joined.set(frame.conversationId, sub);
        // Listen first, then read what is stored: nothing falls between the two (the client drops repeats).
        hub.join(frame.conversationId, sub);
        send({ type: 'joined', conversation: await service.get(caller, frame.conversationId) });
        let after = frame.after ?? 0;
        for (;;) {
          const page = await repo.messagesAfter(frame.conversationId, after, BACKLOG_PAGE);
          for (const m of page)
            send({ type: 'message', conversationId: frame.conversationId, message: presentMessage(m) });
          if (page.length < BACKLOG_PAGE) break;
          after = Number(page.at(-1)!.seq);
        }
        return;
      }
      case 'leave':
        callers.delete(frame.conversationId);
        hub.leave(frame.conversationId, joined.get(frame.conversationId) ?? subscriber);
        joined.delete(frame.conversationId);
        return;
      case 'send': {
        const caller = joinedCaller(frame.conversationId);
        const { message } = await service.post(caller, frame.conversationId, {
          clientId: frame.clientId,
          body: frame.body,
          attachmentId: frame.attachmentId,
        });
        send({ type: 'ack', conversationId: frame.conversationId, clientId: frame.clientId, message });
        return;
      }
      case 'typing':
        await service.typing(
          joinedCaller(frame.conversationId),
          frame.conversationId,
          frame.active,
          subscriber.id,
        );
        return;
      case 'receipt':
        await service.receipt(joinedCaller(frame.conversationId), frame.conversationId, {
          ...(frame.deliveredSeq !== undefined ? { deliveredSeq: frame.deliveredSeq } : {}),
          ...(frame.seenSeq !== undefined ? { seenSeq: frame.seenSeq } : {}),
        });
        return;
    }
  };

  const joinedCaller = (conversationId: string) => {
    const caller = callerFor(conversationId);
    if (!caller) throw new Problem(409, 'Conflict', 'Join the conversation on this connection first.');
    return caller;
  };

  socket.on('message', (data, isBinary) => {
    let parsed: ClientFrame | undefined;
    let ref: string | undefined;
    try {
      if (isBinary) throw new Error('binary frame');
      const text = Array.isArray(data)
        ? Buffer.concat(data).toString('utf8')
        : data instanceof ArrayBuffer
          ? Buffer.from(data).toString('utf8')
          : data.toString('utf8');
      const value: unknown = JSON.parse(text);
      if (
        value &&
        typeof value === 'object' &&
        typeof (value as { clientId?: unknown }).clientId === 'string'
      )
        ref = (value as { clientId: string }).clientId.slice(0, 100);
      const result = clientFrame.safeParse(value);
      if (!result.success)
        throw new Error(result.error.issues.map((i) => `${i.path.join('.')}: ${i.message}`).join('; '));
      parsed = result.data;
    } catch (error) {
      badFrames += 1;
      send({
        type: 'error',
        ...(ref ? { ref } : {}),
        status: 400,
        title: 'Bad Request',
        detail: `The frame was refused: ${error instanceof Error ? error.message : 'malformed'}.`,
      });
      if (badFrames > MAX_BAD_FRAMES) socket.close(1008, 'too many malformed frames');
      return;
    }
    // One frame at a time, in the order sent: a client's messages are stored in the order it wrote them.
    inOrder = inOrder.then(() =>
      handle(parsed).catch((error: unknown) =>
        fail(
          parsed.type === 'send' ? parsed.clientId : parsed.type === 'ping' ? ref : parsed.conversationId,
          error,
        ),
      ),
    );
  });

  socket.on('close', () => {
    for (const [id, sub] of joined) hub.leave(id, sub);
    joined.clear();
    callers.clear();
    if (staff) hub.removeStaff(subscriber);
  });
  socket.on('error', (error) => log.debug({ err: error }, 'chat: socket error'));
}
