import { useQueryClient, type UseQueryResult } from '@tanstack/react-query';
import {
  createContext,
  useCallback,
  useContext,
  useEffect,
  useMemo,
  useReducer,
  useRef,
  useState,
  type ReactNode,
} from 'react';
import { useTranslation } from 'react-i18next';
import { ChatClient, type ChatTransport, type ConnectionState } from '../../../chat/client';
import type { ChatConversation } from '../../../chat/types';
import { get, getBearerToken } from '../../api/client';
import type { Session } from '../../api/types';
import { useSession } from '../../auth/session';
import { setChatAlerts } from './alerts';
import { chatKeys, fetchChatMessages, useChatQueue, type ChatQueue } from './queries';
import { flashTitle, playRingTone, stopTitleFlash, unlockAudio } from './ring';
import { chatReducer, emptyChatState, isWritable, lastSeq, unreadCount, type ChatState } from './store';

export interface ChatSocketError {
  status: number;
  title: string;
  detail?: string;
}

interface ChatContextValue {
  client: ChatClient | null;
  connection: { state: ConnectionState; transport: ChatTransport };
  queue: UseQueryResult<ChatQueue>;
  state: ChatState;
  agentId: string;
  selectedId: string | null;
  select: (conversationId: string | null) => void;
  /** Called before accepting a chat: it will be among mine without having been handed over. */
  accepting: (conversationId: string) => void;
  /** Holds a chat in the console (after accepting it): joins it and loads its transcript. */
  open: (conversation: ChatConversation, select?: boolean) => void;
  /** A fresher copy of a held chat, from a REST answer (transfer, end). */
  update: (conversation: ChatConversation) => void;
  /** The ticket a chat was turned into. */
  setTicket: (conversationId: string, ticket: { id: string; number: number }) => void;
  /** Lets go of a chat that is over or no longer the agent's. */
  close: (conversationId: string) => void;
  send: (conversationId: string, body: string) => void;
  /** Drops a message the desk refused; `resend` sends its text again under a new id. */
  discard: (conversationId: string, clientId: string, resend?: string) => void;
  typing: (conversationId: string, active: boolean) => void;
  /** The agent has read the chat up to its newest message. */
  markSeen: (conversationId: string) => void;
  socketError: ChatSocketError | null;
  dismissError: () => void;
}

const ChatContext = createContext<ChatContextValue | null>(null);

export function useChat(): ChatContextValue {
  const value = useContext(ChatContext);
  if (!value) throw new Error('useChat outside ChatProvider');
  return value;
}

export const useHasChatProvider = () => useContext(ChatContext) !== null;

// While the agent is looking at the window, the title flashes this long; otherwise until they come back.
const FLASH_WHILE_FOCUSED_MS = 8000;
// Replays after a join come as a burst of frames; one receipt answers the burst.
const RECEIPT_DEBOUNCE_MS = 200;

/**
 * The console's one live chat connection for as long as the console is open: it follows the
 * incoming queue (and rings on new chats), holds the agent's active chats with their transcripts,
 * and sends what the agent writes, types and reads.
 */
export function ChatProvider({ children }: { children: ReactNode }) {
  const { t } = useTranslation('chat');
  const { user } = useSession();
  const agentId = user?.id ?? '';
  const queryClient = useQueryClient();
  const queue = useChatQueue();
  const [state, dispatch] = useReducer(chatReducer, emptyChatState);
  const stateRef = useRef(state);
  stateRef.current = state;
  const [client, setClient] = useState<ChatClient | null>(null);
  const [connection, setConnection] = useState<ChatContextValue['connection']>({
    state: 'connecting',
    transport: 'websocket',
  });
  const [selectedId, setSelectedId] = useState<string | null>(null);
  const [socketError, setSocketError] = useState<ChatSocketError | null>(null);
  const joined = useRef(new Set<string>());
  const deliveredSent = useRef(new Map<string, number>());

  // Ringing: a chat is new when a queue answer holds it for the first time.
  const knownQueued = useRef<Set<string> | null>(null);
  const knownMine = useRef<Set<string> | null>(null);
  const ringCount = useRef(0);
  const flashStop = useRef<ReturnType<typeof setTimeout> | undefined>(undefined);

  const stopRinging = useCallback(() => {
    clearTimeout(flashStop.current);
    ringCount.current = 0;
    stopTitleFlash();
    setChatAlerts({ ringing: false });
  }, []);

  const ring = useCallback(
    (count: number) => {
      playRingTone();
      ringCount.current += count;
      flashTitle(t('ring.title', { count: ringCount.current }));
      setChatAlerts({ ringing: true });
      clearTimeout(flashStop.current);
      if (document.visibilityState === 'visible' && document.hasFocus())
        flashStop.current = setTimeout(stopRinging, FLASH_WHILE_FOCUSED_MS);
    },
    [t, stopRinging],
  );

  useEffect(() => {
    const onFocus = () => {
      if (ringCount.current > 0) stopRinging();
    };
    const onVisible = () => {
      if (document.visibilityState === 'visible' && document.hasFocus()) onFocus();
    };
    window.addEventListener('focus', onFocus);
    document.addEventListener('visibilitychange', onVisible);
    // Audio needs one gesture on the page before a tone may play.
    window.addEventListener('pointerdown', unlockAudio, { once: true });
    window.addEventListener('keydown', unlockAudio, { once: true });
    return () => {
      window.removeEventListener('focus', onFocus);
      document.removeEventListener('visibilitychange', onVisible);
      window.removeEventListener('pointerdown', unlockAudio);
      window.removeEventListener('keydown', unlockAudio);
      stopRinging();
      setChatAlerts({ waiting: 0, unread: 0, ringing: false });
    };
  }, [stopRinging]);

  // One client per console session; it connects as soon as it exists, so queue frames flow before
  // the agent joins any chat.
  useEffect(() => {
    const chatClient = new ChatClient({
      baseUrl: '',
      storage: null,
      headers: (): Record<string, string> => {
        const bearer = getBearerToken();
        if (bearer) return { authorization: `Bearer ${bearer}` };
        const csrf = queryClient.getQueryData<Session | null>(['session'])?.csrfToken;
        return csrf ? { 'x-csrf-token': csrf } : {};
      },
    });
    const joinedNow = joined.current;
    const deliveredNow = deliveredSent.current;
    setClient(chatClient);
    const offs = [
      chatClient.on('message', (conversationId, message) =>
        dispatch({ type: 'messages', conversationId, messages: [message] }),
      ),
      chatClient.on('ack', (conversationId, clientId, message) =>
        dispatch({ type: 'ack', conversationId, clientId, message }),
      ),
      chatClient.on('typing', (frame) => {
        if (frame.side === 'visitor')
          dispatch({
            type: 'typing',
            conversationId: frame.conversationId,
            name: frame.name,
            active: frame.active,
            now: Date.now(),
          });
      }),
      chatClient.on('receipt', (frame) => {
        if (frame.side === 'visitor')
          dispatch({
            type: 'receipt',
            conversationId: frame.conversationId,
            deliveredSeq: frame.deliveredSeq,
            seenSeq: frame.seenSeq,
          });
      }),
      chatClient.on('conversation', (conversation) => {
        // A chat handed to this agent while the console held it read-only becomes writable again.
        if (conversation.status === 'active' && conversation.agent?.id === agentId)
          dispatch({ type: 'add', conversation });
        else dispatch({ type: 'conversation', conversation });
      }),
      chatClient.on('queue', () => {
        // The answer tells what is new; ringing follows from it (see below), so a frame and the
        // periodic refresh never ring twice for one chat.
        void queryClient.invalidateQueries({ queryKey: chatKeys.queue });
      }),
      chatClient.on('state', (connectionState, transport) => {
        setConnection({ state: connectionState, transport });
        // Queue frames sent while the connection was down are lost: read the queue again.
        if (connectionState === 'open') void queryClient.invalidateQueries({ queryKey: chatKeys.queue });
      }),
      chatClient.on('error', (frame) => {
        const held = frame.ref
          ? stateRef.current.order.some((id) =>
              stateRef.current.chats[id]?.pending.some((p) => p.clientId === frame.ref),
            )
          : false;
        if (held && frame.ref)
          dispatch({ type: 'failed', clientId: frame.ref, error: frame.detail ?? frame.title });
        else setSocketError({ status: frame.status, title: frame.title, detail: frame.detail });
      }),
    ];
    return () => {
      for (const off of offs) off();
      chatClient.close();
      joinedNow.clear();
      deliveredNow.clear();
      setClient(null);
    };
  }, [queryClient, agentId]);

  // Every held chat is joined once per client; the join replays what the console does not hold yet.
  useEffect(() => {
    if (!client) return;
    for (const id of state.order) {
      if (joined.current.has(id)) continue;
      joined.current.add(id);
      const chat = state.chats[id];
      client.join(id, { after: chat ? lastSeq(chat) : 0 });
      // The stored transcript over REST as well: it shows at once even while the socket is still
      // connecting, and the store keeps one copy per seq.
      fetchChatMessages(id)
        .then((messages) => dispatch({ type: 'messages', conversationId: id, messages }))
        .catch(() => undefined);
    }
  }, [client, state.order, state.chats]);

  // Tells the visitor what reached the console ("delivered"), once per burst of messages.
  useEffect(() => {
    if (!client) return;
    const timer = setTimeout(() => {
      for (const id of state.order) {
        const chat = state.chats[id];
        if (!chat || !isWritable(chat, agentId)) continue;
        const seq = lastSeq(chat);
        const sent = Math.max(
          deliveredSent.current.get(id) ?? 0,
          chat.conversation.agentReceipt.deliveredSeq,
        );
        if (seq > sent) {
          deliveredSent.current.set(id, seq);
          client.receipt(id, { deliveredSeq: seq });
        }
      }
    }, RECEIPT_DEBOUNCE_MS);
    return () => clearTimeout(timer);
  }, [client, state, agentId]);

  // The agent's active chats from the queue answer: after a reload, and for chats transferred in.
  useEffect(() => {
    const data = queue.data;
    if (!data) return;
    // Only chats the console does not hold yet: a held chat's frames and REST answers are fresher
    // than a queue answer that may have been on its way while the chat changed.
    for (const conversation of data.mine)
      if (!stateRef.current.chats[conversation.id]) dispatch({ type: 'add', conversation });

    const queuedIds = data.queued.map((c) => c.id);
    const mineIds = data.mine.map((c) => c.id);
    let fresh = 0;
    if (knownQueued.current && knownMine.current) {
      // New waiting chats ring only an agent who is online; a chat handed over always rings.
      const newQueued = queuedIds.filter((id) => !knownQueued.current?.has(id)).length;
      if (data.presence.status === 'online') fresh += newQueued;
      fresh += mineIds.filter((id) => !knownMine.current?.has(id)).length;
    }
    knownQueued.current = new Set([...(knownQueued.current ?? []), ...queuedIds]);
    knownMine.current = new Set([...(knownMine.current ?? []), ...mineIds]);
    if (fresh > 0) ring(fresh);
    setChatAlerts({ waiting: data.queued.length });

    // A held chat that is no longer among mine was ended, transferred or taken back while a frame
    // about it was missed (a dropped connection): read it again.
    const mine = new Set(mineIds);
    for (const id of stateRef.current.order) {
      const chat = stateRef.current.chats[id];
      if (
        chat &&
        chat.conversation.status === 'active' &&
        chat.conversation.agent?.id === agentId &&
        !mine.has(id)
      )
        get<ChatConversation>(`/chat/conversations/${id}`)
          .then((conversation) => dispatch({ type: 'conversation', conversation }))
          .catch(() => undefined);
    }
  }, [queue.data, ring, agentId]);

  const unread = state.order.reduce(
    (sum, id) => sum + (state.chats[id] ? unreadCount(state.chats[id]) : 0),
    0,
  );
  useEffect(() => setChatAlerts({ unread }), [unread]);

  const value = useMemo<ChatContextValue>(() => {
    const select = (conversationId: string | null) => setSelectedId(conversationId);
    return {
      client,
      connection,
      queue,
      state,
      agentId,
      selectedId: selectedId && state.chats[selectedId] ? selectedId : (state.order[0] ?? null),
      select,
      accepting: (conversationId) => {
        knownMine.current?.add(conversationId);
      },
      open: (conversation, selectIt = true) => {
        knownMine.current?.add(conversation.id);
        dispatch({ type: 'add', conversation });
        if (selectIt) setSelectedId(conversation.id);
        stopRinging();
      },
      update: (conversation) => dispatch({ type: 'conversation', conversation }),
      setTicket: (conversationId, ticket) => dispatch({ type: 'ticket', conversationId, ticket }),
      close: (conversationId) => {
        if (joined.current.delete(conversationId)) client?.leave(conversationId);
        deliveredSent.current.delete(conversationId);
        dispatch({ type: 'close', conversationId });
      },
      send: (conversationId, body) => {
        if (!client) return;
        const sending = client.send(conversationId, body);
        dispatch({
          type: 'sending',
          conversationId,
          message: { clientId: sending.clientId, body: sending.body, state: 'sending' },
        });
      },
      discard: (conversationId, clientId, resend) => {
        dispatch({ type: 'discard', conversationId, clientId });
        if (resend !== undefined && client) {
          const sending = client.send(conversationId, resend);
          dispatch({
            type: 'sending',
            conversationId,
            message: { clientId: sending.clientId, body: sending.body, state: 'sending' },
          });
        }
      },
      typing: (conversationId, active) => client?.typing(conversationId, active),
      markSeen: (conversationId) => {
        const chat = state.chats[conversationId];
        if (!chat) return;
        const seq = lastSeq(chat);
        if (seq <= chat.seenSeq) return;
        dispatch({ type: 'seen', conversationId, seq });
        // Receipts belong to the chat's agent while it lasts; an old chat is only marked read here.
        if (!client || !isWritable(chat, agentId)) return;
        deliveredSent.current.set(
          conversationId,
          Math.max(deliveredSent.current.get(conversationId) ?? 0, seq),
        );
        client.receipt(conversationId, { deliveredSeq: seq, seenSeq: seq });
      },
      socketError,
      dismissError: () => setSocketError(null),
    };
  }, [client, connection, queue, state, agentId, selectedId, socketError, stopRinging]);

  return <ChatContext.Provider value={value}>{children}</ChatContext.Provider>;
}
