import { describe, expect, it } from 'vitest';
import { afterFailure, DEFAULT_DELIVERY_POLICY, messageOptions } from './delivery.js';
import type { OutboundMail } from './outbox.js';

const MINUTE = 60_000;
const NOW = Date.parse('2026-06-01T12:00:00Z');

describe('afterFailure', () => {
  it.each([
    [1, NOW + MINUTE],
    [2, NOW + 5 * MINUTE],
    [3, NOW + 30 * MINUTE],
    [4, NOW + 2 * 60 * MINUTE],
    [5, NOW + 6 * 60 * MINUTE],
  ])('a transient failure on attempt %i waits its backoff (retry at %i)', (attempts, retryAt) => {
    expect(afterFailure(attempts, new Error('connection refused'), NOW)).toEqual({ retryAt });
  });

  it('gives up once the attempts are spent', () => {
    expect(afterFailure(DEFAULT_DELIVERY_POLICY.maxAttempts, new Error('timeout'), NOW)).toEqual({
      fail: true,
    });
  });

  it('gives up at once on a permanent refusal, and retries a temporary one', () => {
    const refused = Object.assign(new Error('550 no such user'), { responseCode: 550, permanent: true });
    const busy = Object.assign(new Error('451 try later'), { responseCode: 451, permanent: false });
    expect(afterFailure(1, refused, NOW)).toEqual({ fail: true });
    expect(afterFailure(1, busy, NOW)).toEqual({ retryAt: NOW + MINUTE });
  });

  it('repeats the last wait when the policy allows more attempts than waits', () => {
    const policy = { backoffMs: [MINUTE, 10 * MINUTE], maxAttempts: 10 };
    expect(afterFailure(7, new Error('x'), NOW, policy)).toEqual({ retryAt: NOW + 10 * MINUTE });
  });
});

describe('messageOptions', () => {
  const mail: OutboundMail = {
    id: 'm1',
    messageId: '<a@acme.test>',
    kind: 'reply',
    ticketId: 't1',
    to: 'ann@customer.test',
    subject: '[#1001] Export',
    text: 'Hello',
    html: null,
    headers: {
      'Reply-To': 'support+tok@acme.test',
      'In-Reply-To': '<b@customer.test>',
      References: '<a0@acme.test>  <b@customer.test>',
      'List-Unsubscribe': '<https://desk.test/unsubscribe/x>',
      'X-Accord-Ticket': '1001',
    },
    attempts: 1,
    createdAt: NOW,
  };

  it('keeps the queued Message-ID and date, and turns threading headers into message fields', () => {
    const options = messageOptions(mail, { name: 'Support', address: 'support@acme.test' });
    expect(options).toMatchObject({
      messageId: '<a@acme.test>',
      date: new Date(NOW),
      from: { name: 'Support', address: 'support@acme.test' },
      replyTo: 'support+tok@acme.test',
      inReplyTo: '<b@customer.test>',
      references: ['<a0@acme.test>', '<b@customer.test>'],
      list: { unsubscribe: 'https://desk.test/unsubscribe/x' },
      headers: { 'X-Accord-Ticket': '1001' },
      disableFileAccess: true,
      disableUrlAccess: true,
    });
    expect(options).not.toHaveProperty('html');
  });
});
