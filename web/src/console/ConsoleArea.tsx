import { Navigate, Route, Routes } from 'react-router';
import { useLiveUpdates } from '../api/live';
import './console.css';
import { QueuePage } from './QueuePage';
import { TicketPage } from './TicketPage';

/**
 * The agent console: the queue at /console and one ticket at /console/tickets/:id. It follows the
 * live stream for as long as it is open, so new tickets and replies show without a reload.
 */
export default function ConsoleArea() {
  useLiveUpdates();
  return (
    <div className="console-area">
      <Routes>
        <Route index element={<QueuePage />} />
        <Route path="tickets/:id" element={<TicketPage />} />
        <Route path="*" element={<Navigate to="/console" replace />} />
      </Routes>
    </div>
  );
}
