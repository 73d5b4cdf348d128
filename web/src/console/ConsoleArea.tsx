import { Navigate, Route, Routes } from 'react-router';
import { useLiveUpdates } from '../api/live';
import './console.css';
import { QueuePage } from './QueuePage';
import { TicketPage } from './TicketPage';
import { ChatProvider } from './chat/ChatProvider';
import { ChatsPage } from './chat/ChatsPage';
import { SearchPage } from '../search/SearchPage';
import { MacrosPage } from '../admin/MacrosPage';

/**
 * The agent console: the queue at /console, one ticket at /console/tickets/:id and live chats at
 * /console/chats. It follows the
 * live stream for as long as it is open, so new tickets and replies show without a reload.
 */
export default function ConsoleArea() {
  useLiveUpdates();
  return (
    // One chat connection for the whole console: a new chat rings on every console page.
    <ChatProvider>
      <div className="console-area">
        <Routes>
          <Route index element={<QueuePage />} />
          <Route path="tickets/:id" element={<TicketPage />} />
          <Route path="search" element={<SearchPage area="console" />} />
          <Route path="chats" element={<ChatsPage />} />
          <Route path="macros" element={<MacrosPage />} />
          <Route path="*" element={<Navigate to="/console" replace />} />
        </Routes>
      </div>
    </ChatProvider>
  );
}
