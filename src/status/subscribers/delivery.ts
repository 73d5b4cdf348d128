import { setImmediate } from 'node:timers/promises';
import type { Kysely } from 'kysely';
import type { DialectName } from '../../db/database.js';
import type { Database } from '../../db/tables.js';
import {
  afterFailure,
  type DeliveryLog,
  type DeliveryPass,
  DEFAULT_DELIVERY_POLICY,
  type DeliveryPolicy,
} from '../../notifications/delivery.js';
import type { NewOutboundMail, OutboxRepository } from '../../notifications/outbox.js';
import { runPeriodically } from '../../shared/periodic.js';
import type { Clock } from '../../shared/time.js';
import {
  updateMail,
  webhookPayload,
  webhookSignature,
  type StatusIndicator,
  type StatusLinks,
} from './messages.js';
import { SubscribersRepository, type ClaimedDelivery } from './repository.js';
import type { WebhookReach } from './webhook-address.js';
import { FilteringWebhookSender, type WebhookSender } from './webhook-sender.js';

export interface StatusDeliveryWorkerDeps extends StatusLinks {
  db: Kysely<Database>;
  dialect: DialectName;
  outbox: OutboxRepository;
  clock: Clock;
  /** Which private hosts webhooks may reach (none by default); the sender when `webhooks` is not given. */
  webhookReach?: WebhookReach;
  webhooks?: WebhookSender;
  log?: DeliveryLog;
  policy?: DeliveryPolicy;
  /** Deliveries claimed per round. */
  batchSize?: number;
  /** How long a claim holds: longer than a round of webhooks (10-second timeouts) can take. */
  leaseMs?: number;
}

/** Mails written between two pauses of a drain. */
const RENDER_SLICE = 25;

/**
 * Sends the status deliveries. An email delivery is handed to the mail outbox and marked sent in one
 * transaction, with a Message-ID derived from the delivery: a crash before the commit leaves
 * neither, after it both, so it is queued once; the outbox then owns the sending. A webhook is
 * posted, signed, then marked: at least once, with the delivery id in X-Accord-Delivery for the
 * receiver to drop a repeat. Failed webhooks are retried with backoff, then given up; one whose host
 * is not public (or resolves, now, to an address that is not) fails at once, unconnected.
 */
export class StatusDeliveryWorker {
  private readonly repo: SubscribersRepository;
  private readonly policy: DeliveryPolicy;
  private readonly batchSize: number;
  private readonly leaseMs: number;
  private readonly webhooks: WebhookSender;

  constructor(private readonly deps: StatusDeliveryWorkerDeps) {
    this.repo = new SubscribersRepository(deps.db, deps.dialect);
    this.policy = deps.policy ?? DEFAULT_DELIVERY_POLICY;
    // SQLite serves every request through one connection: small batches keep each wait short.
    this.batchSize = deps.batchSize ?? (deps.dialect === 'sqlite' ? 25 : 200);
    this.leaseMs = deps.leaseMs ?? 5 * 60_000;
    this.webhooks =
      deps.webhooks ?? new FilteringWebhookSender(deps.webhookReach ?? { allowPrivateHosts: [] });
  }

  /** Sends everything due now, batch after batch. */
  async runOnce(): Promise<DeliveryPass> {
    const pass: DeliveryPass = { sent: 0, retried: 0, failed: 0 };
    for (;;) {
      const claimed = await this.repo.claimDue(this.deps.clock(), this.batchSize, this.leaseMs);
      const gone = claimed.filter((d) => d.subscriber.unsubscribed_at !== null);
      for (const d of gone)
        if (await this.repo.markFailed(d.id, d.attempts, 'unsubscribed before delivery')) pass.failed += 1;
      const live = claimed.filter((d) => d.subscriber.unsubscribed_at === null);
      pass.sent += await this.queueMails(live.filter((d) => d.subscriber.kind === 'email'));
      const hooks = live.filter((d) => d.subscriber.kind === 'webhook');
      if (hooks.length > 0) {
        const indicator = await this.repo.worstOpenImpact();
        const outcomes = await Promise.all(hooks.map((d) => this.postWebhook(d, indicator)));
        for (const outcome of outcomes) if (outcome) pass[outcome] += 1;
      }
      if (claimed.length < this.batchSize) return pass;
      // On SQLite every statement completes synchronously: without a pause between rounds, a long
      // drain would keep the server's requests waiting until it ends.
      await setImmediate();
    }
  }

  private async queueMails(deliveries: ClaimedDelivery[]): Promise<number> {
    if (deliveries.length === 0) return 0;
    const now = this.deps.clock();
    // Written before the transaction opens, so that it holds the database only for its statements,
    // a few at a time with a pause between, so that the server's requests are answered meanwhile.
    const mails: NewOutboundMail[] = [];
    for (const d of deliveries) {
      mails.push(updateMail(this.deps, d.id, d.subscriber, d.incident, d.update));
      if (mails.length % RENDER_SLICE === 0) await setImmediate();
    }
    return this.deps.db.transaction().execute(async (trx) => {
      // A claim that lapsed belongs to another worker now: it queues that mail, not this one.
      const held = await this.repo.withExecutor(trx).markSentMany(deliveries, now);
      const queued = mails.filter((_, i) => held.has(deliveries[i]!.id));
      await this.deps.outbox.enqueueMany(trx, queued, now);
      return queued.length;
    });
  }

  private async postWebhook(d: ClaimedDelivery, indicator: StatusIndicator) {
    const { clock, log } = this.deps;
    const body = JSON.stringify(webhookPayload(this.deps, d.subscriber, d.incident, d.update, indicator));
    const signature = webhookSignature(d.subscriber.secret ?? '', body, Math.floor(clock() / 1000));
    try {
      await this.webhooks.post(d.subscriber.url!, body, {
        'x-accord-signature': signature,
        'x-accord-delivery': d.id,
      });
    } catch (error) {
      const reason = error instanceof Error ? error.message : String(error);
      const outcome = afterFailure(d.attempts, error, clock(), this.policy);
      if ('fail' in outcome) {
        log?.warn({ deliveryId: d.id, attempts: d.attempts, reason }, 'status webhook given up');
        return (await this.repo.markFailed(d.id, d.attempts, reason)) ? ('failed' as const) : undefined;
      }
      return (await this.repo.markRetry(d.id, d.attempts, reason, outcome.retryAt))
        ? ('retried' as const)
        : undefined;
    }
    return (await this.repo.markSent(d.id, d.attempts, clock())) ? ('sent' as const) : undefined;
  }
}

/** Runs the status deliveries every `intervalMs` in the server process; the returned function stops it. */
export function startStatusDelivery(
  worker: StatusDeliveryWorker,
  intervalMs: number,
  log: DeliveryLog,
): () => Promise<void> {
  return runPeriodically(
    () =>
      worker
        .runOnce()
        .then((done) => {
          if (done.sent + done.retried + done.failed > 0) log.info({ ...done }, 'status delivery pass');
        })
        .catch((err: unknown) => log.error({ err }, 'status delivery pass failed')),
    intervalMs,
  );
}
