import { randomBytes } from 'node:crypto';
import type { Kysely } from 'kysely';
import type { Database } from '../../db/tables.js';
import type { OutboxRepository } from '../../notifications/outbox.js';
import { newId } from '../../shared/ids.js';
import { badRequest, serviceUnavailable, tooManyRequests } from '../../shared/problem.js';
import type { Clock } from '../../shared/time.js';
import { confirmationMail, unsubscribeUrl, type StatusLinks } from './messages.js';
import { SubscribersRepository, type SubscriberRow } from './repository.js';
import type { SubscribeInput } from './schema.js';
import { WebhookAddresses, type WebhookReach } from './webhook-address.js';

const MINUTE = 60_000;
/** Subscription requests from one IP: a handful is a person, more is someone mailing strangers. */
const IP_LIMIT = { max: 10, windowMs: 10 * MINUTE };
/** Confirmation mails to one address per hour; past it requests are accepted and dropped, unseen. */
const ADDRESS_LIMIT = { max: 3, windowMs: 60 * MINUTE };
/** How long a confirmation link stays good. */
const CONFIRM_WITHIN_MS = 7 * 24 * 60 * MINUTE;

export interface StatusSubscriptionsDeps extends StatusLinks {
  db: Kysely<Database>;
  repo: SubscribersRepository;
  outbox: OutboxRepository;
  clock: Clock;
  /** Which private hosts a webhook may point at, and how names are resolved to check the others. */
  webhookReach: WebhookReach;
}

export type SubscribeOutcome =
  | { kind: 'email' }
  | {
      kind: 'webhook';
      id: string;
      url: string;
      secret: string;
      unsubscribeUrl: string;
      componentIds: string[] | null;
      locale: 'en' | 'fr';
    };

/** What a confirmation or unsubscribe link leads to. */
export type LinkOutcome = { done: true; subscriber: SubscriberRow } | { done: false };

const newToken = () => randomBytes(24).toString('base64url');

/**
 * Public subscriptions to status updates: email with double opt-in, webhooks confirmed at once with
 * a signing secret, one-click unsubscribe for both.
 */
export class StatusSubscriptions {
  private readonly webhookAddresses: WebhookAddresses;

  constructor(private readonly deps: StatusSubscriptionsDeps) {
    this.webhookAddresses = new WebhookAddresses(deps.webhookReach);
  }

  async subscribe(input: SubscribeInput, ip: string): Promise<SubscribeOutcome> {
    const { repo, clock } = this.deps;
    const now = clock();
    const key = `status-subscribe:${ip}`;
    if ((await repo.countAttempts(key, now - IP_LIMIT.windowMs)) >= IP_LIMIT.max)
      throw tooManyRequests('Too many subscription requests from this address; try again later.', 600);
    await repo.recordAttempt(key, now);
    const componentIds = input.componentIds ? [...new Set(input.componentIds)] : null;
    const unknown = await repo.unknownComponents(componentIds ?? []);
    if (unknown.length > 0)
      throw badRequest(
        'Some components do not exist.',
        unknown.map((id) => ({ field: 'body.componentIds', message: `unknown component ${id}` })),
      );
    const row: SubscriberRow = {
      id: newId(),
      kind: 'email',
      email: null,
      url: null,
      secret: null,
      locale: input.locale,
      component_ids: componentIds ? JSON.stringify(componentIds) : null,
      token: newToken(),
      confirmed_at: null,
      unsubscribed_at: null,
      created_at: now,
    };
    if (input.url !== undefined) {
      // Judged by the addresses its name resolves to now; each delivery judges them again.
      const refused = await this.webhookAddresses.refusal(new URL(input.url)).catch(() => {
        throw serviceUnavailable('The webhook host could not be resolved just now; try again later.');
      });
      if (refused !== undefined)
        throw badRequest(`A webhook must point at a public host: ${refused}.`, [
          { field: 'body.url', message: `must reach a public address: ${refused}` },
        ]);
      const secret = `whsec_${randomBytes(24).toString('base64url')}`;
      await repo.insert({ ...row, kind: 'webhook', url: input.url, secret, confirmed_at: now });
      return {
        kind: 'webhook',
        id: row.id,
        url: input.url,
        secret,
        unsubscribeUrl: unsubscribeUrl(this.deps.publicUrl, row.token),
        componentIds,
        locale: input.locale,
      };
    }
    const email = input.email!.toLowerCase();
    // Whether the address is new, pending or subscribed, the answer is the same: only its owner,
    // reading the mail, learns anything. Past the hourly limit nothing more is sent to it.
    if ((await repo.countRecentForEmail(email, now - ADDRESS_LIMIT.windowMs)) >= ADDRESS_LIMIT.max)
      return { kind: 'email' };
    const subscriber = { ...row, email };
    await this.deps.db.transaction().execute(async (trx) => {
      await repo.withExecutor(trx).insert(subscriber);
      await this.deps.outbox.enqueue(trx, confirmationMail(this.deps, subscriber), now);
    });
    return { kind: 'email' };
  }

  /** The subscription a confirmation link names, while it can still be confirmed. */
  async pendingConfirmation(token: string): Promise<SubscriberRow | undefined> {
    const subscriber = await this.deps.repo.findByToken(token);
    if (!subscriber || subscriber.kind !== 'email' || subscriber.unsubscribed_at !== null) return undefined;
    if (subscriber.confirmed_at === null && subscriber.created_at < this.deps.clock() - CONFIRM_WITHIN_MS)
      return undefined;
    return subscriber;
  }

  /** Confirms (again, harmlessly) the subscription of a confirmation link. */
  async confirm(token: string): Promise<LinkOutcome> {
    const subscriber = await this.pendingConfirmation(token);
    if (!subscriber) return { done: false };
    if (subscriber.confirmed_at === null) {
      const now = this.deps.clock();
      await this.deps.db
        .transaction()
        .execute((trx) => this.deps.repo.withExecutor(trx).confirm(subscriber, now));
    }
    return { done: true, subscriber };
  }

  /** The subscription an unsubscribe link names (already ended ones too: the link keeps working). */
  subscriberOfLink(token: string): Promise<SubscriberRow | undefined> {
    return this.deps.repo.findByToken(token);
  }

  async unsubscribe(token: string): Promise<LinkOutcome> {
    const subscriber = await this.deps.repo.findByToken(token);
    if (!subscriber) return { done: false };
    await this.deps.repo.unsubscribe(subscriber.id, this.deps.clock());
    return { done: true, subscriber };
  }
}
