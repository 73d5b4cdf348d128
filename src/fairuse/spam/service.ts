import type { Kysely } from 'kysely';
import { isLeadOrAdmin, type Principal } from '../../auth/principal.js';
import type { Database, SpamItemTable } from '../../db/tables.js';
import { newId } from '../../shared/ids.js';
import { decodeCursor, toPage, type Cursor } from '../../shared/pagination.js';
import { conflict, forbidden, notFound } from '../../shared/problem.js';
import { toIso, toIsoOrNull, type Clock } from '../../shared/time.js';
import type { AuditLog } from '../audit.js';
import type { SpamItemOut } from './schema.js';

/** Something a public door refused as likely spam, held for staff to review. */
export interface SpamHold {
  channel: SpamItemTable['channel'];
  /** The sender's address, or a hash of the network address (never the address itself). */
  source: string;
  summary: string;
  reason: string;
  /** What letting it through needs: an inbound mail's id, a chat form's fields. */
  payload: Record<string, unknown>;
  at: number;
}

/** What the channels call when they refuse something as likely spam: nothing is dropped silently. */
export interface SpamRecorder {
  hold(item: SpamHold): Promise<void>;
}

type SpamRow = SpamItemTable & { reviewed_by_name: string | null };

/** The spam folder's records. */
export class SpamRepository implements SpamRecorder {
  constructor(private readonly db: Kysely<Database>) {}

  async hold(item: SpamHold): Promise<void> {
    await this.db
      .insertInto('spam_items')
      .values({
        id: newId(),
        channel: item.channel,
        source: item.source.slice(0, 320),
        summary: item.summary.slice(0, 300),
        payload: JSON.stringify(item.payload),
        reason: item.reason.slice(0, 500),
        created_at: item.at,
        outcome: null,
        reviewed_by: null,
        reviewed_at: null,
      })
      .execute();
  }

  private items() {
    return this.db
      .selectFrom('spam_items as s')
      .leftJoin('users as u', 'u.id', 's.reviewed_by')
      .selectAll('s')
      .select('u.name as reviewed_by_name');
  }

  find(id: string): Promise<SpamRow | undefined> {
    return this.items().where('s.id', '=', id).executeTakeFirst();
  }

  /** Pending items newest first; reviewed ones most recently reviewed first. Keyset pages either way. */
  list(status: 'pending' | 'reviewed', limit: number, after: Cursor | undefined): Promise<SpamRow[]> {
    const column = status === 'pending' ? 's.created_at' : 's.reviewed_at';
    let query = this.items().where('s.reviewed_at', status === 'pending' ? 'is' : 'is not', null);
    if (after) {
      const k = Number(after.k);
      query = query.where((eb) =>
        eb.or([eb(column, '<', k), eb.and([eb(column, '=', k), eb('s.id', '<', after.id)])]),
      );
    }
    return query
      .orderBy(column, 'desc')
      .orderBy('s.id', 'desc')
      .limit(limit + 1)
      .execute();
  }

  /** Records the review of an item still pending; false when someone reviewed it meanwhile. */
  async review(
    executor: Kysely<Database>,
    id: string,
    outcome: 'released' | 'discarded',
    by: string,
    at: number,
  ): Promise<boolean> {
    const result = await executor
      .updateTable('spam_items')
      .set({ outcome, reviewed_by: by, reviewed_at: at })
      .where('id', '=', id)
      .where('reviewed_at', 'is', null)
      .executeTakeFirst();
    return Number(result.numUpdatedRows) === 1;
  }
}

export interface SpamFolderDeps {
  db: Kysely<Database>;
  repo: SpamRepository;
  audit: AuditLog;
  clock: Clock;
  /** Lets a held inbound mail through: the email channel ingests it as if the cap had not held it. */
  releaseMail(mailId: string): Promise<{ disposition: string; ticketId?: string }>;
}

/**
 * The spam folder: what the public doors (inbound mail over its cap, refused chat starts) held
 * back, for leads and admins to release or discard. A released mail is ingested; a chat start
 * cannot be replayed (its visitor has gone), so releasing it records that it was legitimate.
 */
export class SpamFolder {
  constructor(private readonly deps: SpamFolderDeps) {}

  async list(actor: Principal, status: 'pending' | 'reviewed', limit: number, cursor: string | undefined) {
    assertLead(actor);
    const rows = await this.deps.repo.list(status, limit, decodeCursor(cursor));
    return toPage(rows, limit, presentSpam, (r) => ({
      k: status === 'pending' ? r.created_at : (r.reviewed_at ?? 0),
      id: r.id,
    }));
  }

  async release(actor: Principal, id: string): Promise<SpamItemOut> {
    assertLead(actor);
    const item = await this.pending(id);
    const payload = JSON.parse(item.payload) as Record<string, unknown>;
    // The email channel lets a held mail through once, whoever asks first.
    const replay =
      item.channel === 'email' && typeof payload.mailId === 'string'
        ? await this.deps.releaseMail(payload.mailId)
        : undefined;
    return this.review(actor, item, 'released', null, replay ? { ...replay } : {});
  }

  async discard(actor: Principal, id: string, reason: string): Promise<SpamItemOut> {
    assertLead(actor);
    return this.review(actor, await this.pending(id), 'discarded', reason, {});
  }

  private async pending(id: string) {
    const item = await this.deps.repo.find(id);
    if (!item) throw notFound('The spam item');
    if (item.reviewed_at !== null)
      throw conflict('spam-reviewed', `This item was already ${item.outcome ?? 'reviewed'}.`);
    return item;
  }

  private async review(
    actor: Principal,
    item: SpamRow,
    outcome: 'released' | 'discarded',
    reason: string | null,
    data: Record<string, unknown>,
  ): Promise<SpamItemOut> {
    const now = this.deps.clock();
    await this.deps.db.transaction().execute(async (trx) => {
      if (!(await this.deps.repo.review(trx, item.id, outcome, actor.userId, now)))
        throw conflict('spam-reviewed', 'This item was reviewed meanwhile.');
      await this.deps.audit.record(
        {
          organizationId: null,
          actorId: actor.userId,
          action: `spam.${outcome}`,
          reason,
          data: {
            spamId: item.id,
            channel: item.channel,
            source: item.source,
            summary: item.summary,
            ...data,
          },
          at: now,
        },
        trx,
      );
    });
    return presentSpam({
      ...item,
      outcome,
      reviewed_at: now,
      reviewed_by: actor.userId,
      reviewed_by_name: actor.name,
    });
  }
}

function assertLead(actor: Principal) {
  if (!isLeadOrAdmin(actor)) throw forbidden('Only leads and admins review the spam folder.');
}

function presentSpam(r: SpamRow): SpamItemOut {
  return {
    id: r.id,
    channel: r.channel,
    source: r.source,
    summary: r.summary,
    reason: r.reason,
    createdAt: toIso(r.created_at),
    outcome: r.outcome,
    reviewedAt: toIsoOrNull(r.reviewed_at),
    reviewedBy: r.reviewed_by ? { id: r.reviewed_by, name: r.reviewed_by_name ?? '' } : null,
  };
}
