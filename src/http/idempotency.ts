import { createHash } from 'node:crypto';
import type { FastifyReply } from 'fastify';
import type { Kysely, Transaction } from 'kysely';
import { z } from 'zod';
import type { Database } from '../db/tables.js';
import { newId } from '../shared/ids.js';
import { conflict, unprocessable } from '../shared/problem.js';
import type { Clock } from '../shared/time.js';
import {
  IdempotencyRepository,
  type IdempotencyRecord,
  type IdempotencyScope,
} from './idempotency-repository.js';

/**
 * The Idempotency-Key header (draft-ietf-httpapi-idempotency-key-header) on create routes: a retry
 * of a request gets the first answer again instead of a second resource.
 */

export const IDEMPOTENCY_KEY_MAX_LENGTH = 255;
/** How long a key is kept: a retry within it gets the first answer; afterwards the key is forgotten. */
export const IDEMPOTENCY_RETENTION_MS = 24 * 3600_000;

/**
 * The key in the header's value: an RFC 8941 sf-string (`"…"`, the draft's form, printable ASCII
 * with `\"` and `\\` escapes) or, as many clients send it, the bare key (visible ASCII).
 */
export function parseIdempotencyKey(value: string): { key: string } | { error: string } {
  let key: string;
  if (value.startsWith('"')) {
    const quoted = /^"((?:[\x20\x21\x23-\x5b\x5d-\x7e]|\\["\\])*)"$/.exec(value);
    if (!quoted) return { error: 'must be a string of printable ASCII, "quoted" or bare' };
    key = quoted[1]!.replace(/\\(["\\])/g, '$1');
  } else {
    if (!/^[\x21\x23-\x5b\x5d-\x7e]*$/.test(value))
      return { error: 'must be a string of printable ASCII, "quoted" or bare' };
    key = value;
  }
  if (key.length === 0) return { error: 'must not be empty' };
  if (key.length > IDEMPOTENCY_KEY_MAX_LENGTH)
    return { error: `must be at most ${IDEMPOTENCY_KEY_MAX_LENGTH} characters` };
  return { key };
}

/** The request headers of a create route that honours Idempotency-Key (other headers pass through). */
export const idempotencyHeaders = z.looseObject({
  'idempotency-key': z
    .string()
    .transform((value, ctx) => {
      const parsed = parseIdempotencyKey(value);
      if ('key' in parsed) return parsed.key;
      ctx.addIssue({ code: 'custom', message: parsed.error });
      return z.NEVER;
    })
    .optional()
    .describe(
      'A key of your choosing for this request (a UUID, say), at most 255 characters, sent "quoted" ' +
        '(RFC 8941) or bare. A retry with the same key and the same request gets the first answer ' +
        'again, with Idempotent-Replayed: true, and creates nothing, for at least 24 hours. The same ' +
        'key with another request is refused (422); while the first request is still being ' +
        'processed, a retry gets 409. Keys are your own and per route: nobody else’s request can ' +
        'match yours.',
    ),
});

/** What two requests must share to be the same: the path's parameters and the validated body. */
export function requestFingerprint(request: unknown): string {
  return createHash('sha256').update(canonicalJson(request)).digest('hex');
}

/** JSON with object keys sorted, so that the same request always reads the same. */
function canonicalJson(value: unknown): string {
  if (Array.isArray(value)) return `[${value.map(canonicalJson).join(',')}]`;
  if (value !== null && typeof value === 'object') {
    const entries = Object.entries(value as Record<string, unknown>)
      .filter(([, v]) => v !== undefined)
      .sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0));
    return `{${entries.map(([k, v]) => `${JSON.stringify(k)}:${canonicalJson(v)}`).join(',')}}`;
  }
  return JSON.stringify(value) ?? 'null';
}

/**
 * Stores a key and its outcome inside the transaction that writes the resource, so that both
 * commit or neither does. A service that makes the resource runs it, when given, with the new id.
 */
export type RecordOutcome = (trx: Transaction<Database>, resourceId: string) => Promise<void>;

export interface IdempotentCall<T> {
  userId: string;
  /** The route pattern, e.g. "POST /tickets/:id/messages". */
  route: string;
  /** The parsed Idempotency-Key; without one the request simply runs. */
  key: string | undefined;
  /** What makes two requests the same (path parameters and validated body). */
  request: unknown;
  /** Makes the resource, running `record` in the transaction that writes it, and presents it. */
  perform: (record: RecordOutcome | undefined) => Promise<T>;
  /** Presents the resource again: for a retry whose first answer was lost with its process. */
  present: (resourceId: string) => Promise<T>;
}

export interface IdempotentAnswer<T> {
  status: number;
  body: T;
  /** true when this is an earlier request's answer. */
  replayed: boolean;
}

/** The key was stored by a concurrent request between our look and our write. */
class KeyTaken extends Error {}

const inProgress = () =>
  conflict(
    'idempotency-key-in-progress',
    'A request with this Idempotency-Key is still being processed; retry once it has been answered.',
  );

/** Runs create requests at most once per caller, route and Idempotency-Key. */
export class IdempotentRequests {
  /** The keys this process is running a request for: a second request gets 409 at once. */
  private readonly running = new Set<string>();
  private readonly repo: IdempotencyRepository;

  constructor(
    db: Kysely<Database>,
    private readonly clock: Clock,
  ) {
    this.repo = new IdempotencyRepository(db);
  }

  async run<T>(call: IdempotentCall<T>, status = 201): Promise<IdempotentAnswer<T>> {
    if (call.key === undefined) return { status, body: await call.perform(undefined), replayed: false };
    const scope: IdempotencyScope = { userId: call.userId, route: call.route, key: call.key };
    const running = JSON.stringify([scope.userId, scope.route, scope.key]);
    if (this.running.has(running)) throw inProgress();
    this.running.add(running);
    try {
      return await this.runOnce(scope, call, status);
    } finally {
      this.running.delete(running);
    }
  }

  private async runOnce<T>(
    scope: IdempotencyScope,
    call: IdempotentCall<T>,
    status: number,
  ): Promise<IdempotentAnswer<T>> {
    const fingerprint = requestFingerprint(call.request);
    const now = this.clock();
    const earlier = await this.repo.find(scope, now);
    if (earlier) return this.replay(earlier, fingerprint, call.present);
    let recordId: string | undefined;
    let body: T;
    try {
      body = await call.perform(async (trx, resourceId) => {
        recordId = await this.repo.within(trx).record(
          {
            id: newId(),
            user_id: scope.userId,
            route: scope.route,
            key: scope.key,
            fingerprint,
            resource_id: resourceId,
            response_status: status,
            response_body: null,
            created_at: now,
            expires_at: now + IDEMPOTENCY_RETENTION_MS,
          },
          now,
        );
        if (!recordId) throw new KeyTaken();
      });
    } catch (error) {
      if (!(error instanceof KeyTaken)) throw error;
      // Another process made this request's resource first; ours rolled back. Theirs is the answer.
      const first = await this.repo.find(scope, this.clock());
      if (!first) throw inProgress();
      return this.replay(first, fingerprint, call.present);
    }
    if (recordId) await this.repo.saveResponse(recordId, JSON.stringify(body));
    await this.repo.prune(now);
    return { status, body, replayed: false };
  }

  private async replay<T>(
    earlier: IdempotencyRecord,
    fingerprint: string,
    present: (resourceId: string) => Promise<T>,
  ): Promise<IdempotentAnswer<T>> {
    if (earlier.fingerprint !== fingerprint) {
      throw unprocessable(
        'idempotency-key-reused',
        'This Idempotency-Key was already used for another request; send a new key with a new request.',
      );
    }
    if (earlier.response_body !== null)
      return {
        status: earlier.response_status,
        body: JSON.parse(earlier.response_body) as T,
        replayed: true,
      };
    // Committed, but the process stopped before the answer was stored: present the resource now.
    const body = await present(earlier.resource_id);
    await this.repo.saveResponse(earlier.id, JSON.stringify(body));
    return { status: earlier.response_status, body, replayed: true };
  }
}

/** Sends an idempotent route's answer; a replay says so in Idempotent-Replayed, as Stripe's API does. */
export function sendIdempotentAnswer<T>(reply: FastifyReply, answer: IdempotentAnswer<T>) {
  if (answer.replayed) void reply.header('idempotent-replayed', 'true');
  return reply.code(answer.status).send(answer.body);
}
