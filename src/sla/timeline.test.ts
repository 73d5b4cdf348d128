import { describe, expect, it } from 'vitest';
import { timelineFromEvents, type TimelineEvent } from './timeline.js';

const at = (iso: string): number => {
  const ms = Date.parse(iso);
  if (!iso.endsWith('Z') || Number.isNaN(ms)) throw new Error(`not a UTC instant: ${iso}`);
  return ms;
};

const OPENED = at('2026-06-02T14:00:00Z');

const message = (iso: string, data: Record<string, unknown>): TimelineEvent => ({
  type: 'message_added',
  at: at(iso),
  data,
});
const statusChanged = (iso: string, to: unknown): TimelineEvent => ({
  type: 'status_changed',
  at: at(iso),
  data: { from: 'whatever', to },
});

describe('timelineFromEvents', () => {
  it('with no events: opened as new, no replies', () => {
    expect(timelineFromEvents(OPENED, [])).toEqual({
      openedAt: OPENED,
      staffPublicReplies: [],
      statuses: [{ at: OPENED, status: 'new' }],
    });
  });

  it('takes the opening status from the created event, at the opening instant', () => {
    const tl = timelineFromEvents(OPENED, [
      { type: 'created', at: OPENED + 5, data: { status: 'open', priority: 'P2' } },
    ]);
    expect(tl.statuses).toEqual([{ at: OPENED, status: 'open' }]);
  });

  it('ignores a created event without a status', () => {
    const tl = timelineFromEvents(OPENED, [
      { type: 'created', at: OPENED, data: {} },
      { type: 'created', at: OPENED, data: { status: 3 } },
    ]);
    expect(tl.statuses).toEqual([{ at: OPENED, status: 'new' }]);
  });

  it('counts public messages by staff of every role', () => {
    const tl = timelineFromEvents(OPENED, [
      message('2026-06-02T14:10:00Z', { visibility: 'public', authorRole: 'agent' }),
      message('2026-06-02T14:20:00Z', { visibility: 'public', authorRole: 'lead' }),
      message('2026-06-02T14:30:00Z', { visibility: 'public', authorRole: 'admin' }),
    ]);
    expect(tl.staffPublicReplies).toEqual([
      at('2026-06-02T14:10:00Z'),
      at('2026-06-02T14:20:00Z'),
      at('2026-06-02T14:30:00Z'),
    ]);
  });

  it('does not count internal notes, even by staff', () => {
    const tl = timelineFromEvents(OPENED, [
      message('2026-06-02T14:10:00Z', { visibility: 'internal', authorRole: 'agent' }),
      message('2026-06-02T14:20:00Z', { visibility: 'internal', authorRole: 'admin' }),
    ]);
    expect(tl.staffPublicReplies).toEqual([]);
  });

  it('does not count customer messages', () => {
    const tl = timelineFromEvents(OPENED, [
      message('2026-06-02T14:10:00Z', { visibility: 'public', authorRole: 'contact' }),
      message('2026-06-02T14:20:00Z', { visibility: 'public', authorRole: 'member' }),
    ]);
    expect(tl.staffPublicReplies).toEqual([]);
  });

  it('does not count messages with a missing or unknown visibility or author role', () => {
    const tl = timelineFromEvents(OPENED, [
      message('2026-06-02T14:10:00Z', { authorRole: 'agent' }),
      message('2026-06-02T14:11:00Z', { visibility: 'public' }),
      message('2026-06-02T14:12:00Z', { visibility: 'public', authorRole: 'robot' }),
      message('2026-06-02T14:13:00Z', { visibility: 'PUBLIC', authorRole: 'agent' }),
      message('2026-06-02T14:14:00Z', { visibility: 'public', authorRole: 42 }),
    ]);
    expect(tl.staffPublicReplies).toEqual([]);
  });

  it('does not count the opening message, even when staff filed the ticket for a customer', () => {
    const tl = timelineFromEvents(OPENED, [
      { type: 'created', at: OPENED, data: { status: 'open' } },
      message('2026-06-02T14:00:00Z', { visibility: 'public', authorRole: 'agent', initial: true }),
      message('2026-06-02T14:00:00Z', { visibility: 'public', authorRole: 'contact', initial: true }),
    ]);
    expect(tl.staffPublicReplies).toEqual([]);
  });

  it('does not count automatic messages (acknowledgements)', () => {
    const tl = timelineFromEvents(OPENED, [
      message('2026-06-02T14:00:01Z', { visibility: 'public', authorRole: 'agent', automatic: true }),
      message('2026-06-02T14:30:00Z', { visibility: 'public', authorRole: 'agent', automatic: false }),
    ]);
    expect(tl.staffPublicReplies).toEqual([at('2026-06-02T14:30:00Z')]);
  });

  it('counts a message only when initial and automatic are exactly true, not merely truthy', () => {
    const tl = timelineFromEvents(OPENED, [
      message('2026-06-02T14:10:00Z', { visibility: 'public', authorRole: 'agent', initial: false }),
      message('2026-06-02T14:20:00Z', { visibility: 'public', authorRole: 'agent', initial: 'no' }),
    ]);
    expect(tl.staffPublicReplies).toEqual([at('2026-06-02T14:10:00Z'), at('2026-06-02T14:20:00Z')]);
  });

  it('appends status changes in order after the opening status', () => {
    const tl = timelineFromEvents(OPENED, [
      { type: 'created', at: OPENED, data: { status: 'new' } },
      statusChanged('2026-06-02T14:10:00Z', 'open'),
      statusChanged('2026-06-02T14:20:00Z', 'waiting_on_customer'),
      statusChanged('2026-06-02T15:00:00Z', 'open'),
      statusChanged('2026-06-02T16:00:00Z', 'resolved'),
      statusChanged('2026-06-03T09:00:00Z', 'open'),
      statusChanged('2026-06-04T09:00:00Z', 'closed'),
    ]);
    expect(tl.statuses).toEqual([
      { at: OPENED, status: 'new' },
      { at: at('2026-06-02T14:10:00Z'), status: 'open' },
      { at: at('2026-06-02T14:20:00Z'), status: 'waiting_on_customer' },
      { at: at('2026-06-02T15:00:00Z'), status: 'open' },
      { at: at('2026-06-02T16:00:00Z'), status: 'resolved' },
      { at: at('2026-06-03T09:00:00Z'), status: 'open' },
      { at: at('2026-06-04T09:00:00Z'), status: 'closed' },
    ]);
  });

  it('ignores a status change without a target status', () => {
    const tl = timelineFromEvents(OPENED, [
      statusChanged('2026-06-02T14:10:00Z', undefined),
      statusChanged('2026-06-02T14:20:00Z', null),
    ]);
    expect(tl.statuses).toEqual([{ at: OPENED, status: 'new' }]);
  });

  it('sorts staff replies that arrive out of order', () => {
    const tl = timelineFromEvents(OPENED, [
      message('2026-06-02T16:00:00Z', { visibility: 'public', authorRole: 'agent' }),
      message('2026-06-02T14:30:00Z', { visibility: 'public', authorRole: 'lead' }),
      message('2026-06-02T15:00:00Z', { visibility: 'internal', authorRole: 'agent' }),
      message('2026-06-02T15:15:00Z', { visibility: 'public', authorRole: 'admin' }),
    ]);
    expect(tl.staffPublicReplies).toEqual([
      at('2026-06-02T14:30:00Z'),
      at('2026-06-02T15:15:00Z'),
      at('2026-06-02T16:00:00Z'),
    ]);
  });

  it('ignores other event types', () => {
    const tl = timelineFromEvents(OPENED, [
      { type: 'priority_changed', at: at('2026-06-02T14:05:00Z'), data: { from: 'P3', to: 'P0' } },
      { type: 'assigned', at: at('2026-06-02T14:06:00Z'), data: { to: 'open' } },
      { type: 'sla_breach', at: at('2026-06-02T14:07:00Z'), data: { target: 'first_response' } },
    ]);
    expect(tl).toEqual({
      openedAt: OPENED,
      staffPublicReplies: [],
      statuses: [{ at: OPENED, status: 'new' }],
    });
  });

  it('reads a whole ticket history', () => {
    const tl = timelineFromEvents(OPENED, [
      { type: 'created', at: OPENED, data: { status: 'new' } },
      message('2026-06-02T14:00:00Z', { visibility: 'public', authorRole: 'contact', initial: true }),
      message('2026-06-02T14:00:02Z', { visibility: 'public', authorRole: 'agent', automatic: true }),
      message('2026-06-02T14:05:00Z', { visibility: 'internal', authorRole: 'agent' }),
      message('2026-06-02T14:12:00Z', { visibility: 'public', authorRole: 'agent' }),
      statusChanged('2026-06-02T14:12:00Z', 'waiting_on_customer'),
      message('2026-06-02T15:00:00Z', { visibility: 'public', authorRole: 'contact' }),
      statusChanged('2026-06-02T15:00:00Z', 'open'),
      message('2026-06-02T15:20:00Z', { visibility: 'public', authorRole: 'lead' }),
      statusChanged('2026-06-02T15:21:00Z', 'resolved'),
    ]);
    expect(tl).toEqual({
      openedAt: OPENED,
      staffPublicReplies: [at('2026-06-02T14:12:00Z'), at('2026-06-02T15:20:00Z')],
      statuses: [
        { at: OPENED, status: 'new' },
        { at: at('2026-06-02T14:12:00Z'), status: 'waiting_on_customer' },
        { at: at('2026-06-02T15:00:00Z'), status: 'open' },
        { at: at('2026-06-02T15:21:00Z'), status: 'resolved' },
      ],
    });
  });
});
