import { createHash } from 'node:crypto';
import { readFileSync } from 'node:fs';
import type { Kysely, Transaction } from 'kysely';
import { compileCalendar, type BusinessCalendar } from '../calendar/calendar.js';
import type { Database, PolicyVersionRow } from '../db/tables.js';
import { newId } from '../shared/ids.js';
import { parseInstant, toIso, type Clock } from '../shared/time.js';
import { diffPolicies, formatDiff, type PolicyChange } from './diff.js';
import { defaultPolicyPath, loadPolicyText, PolicyError } from './load.js';
import type { SupportPolicy } from './model.js';
import { PolicyVersionsRepository } from './versions-repository.js';

type Executor = Kysely<Database> | Transaction<Database>;

/** A published version, parsed and with its calendars compiled, ready to compute due times. */
export interface PolicyVersion {
  id: string;
  version: string;
  effectiveFrom: number;
  policy: SupportPolicy;
  calendars: Map<string, BusinessCalendar>;
}

export interface AffectedSubscription {
  organizationId: string;
  organizationName: string;
  tier: string;
  keepsVersion: string;
  /** When the organization moves to the new version: at its next renewal (the end of its term). */
  movesAt: string;
}

export interface PublishResult {
  version: PolicyVersion;
  changes: PolicyChange[];
  lowering: PolicyChange[];
  affected: AffectedSubscription[];
}

export class PolicyRegressionError extends Error {
  constructor(readonly lowering: PolicyChange[]) {
    super(
      `This version lowers the service level, which section 6 of the policy forbids during a customer's term:\n${formatDiff(lowering).join('\n')}\nPublish with --allow-regression to accept it: subscriptions in force keep their current version until renewal.`,
    );
  }
}

export class PolicyPublishError extends Error {}

/**
 * The support policy's versions. A subscription keeps the version in force when its term started
 * until the term ends (section 6); a ticket keeps the version it was opened under.
 */
export class PolicyVersions {
  private readonly compiled = new Map<string, PolicyVersion>();

  constructor(
    private readonly db: Kysely<Database>,
    private readonly clock: Clock,
  ) {}

  private repo(executor: Executor = this.db) {
    return new PolicyVersionsRepository(executor);
  }

  /** Publishes the default policy file as the first version of an empty desk. */
  async ensureDefault(): Promise<void> {
    if ((await this.repo().list()).length > 0) return;
    const file = defaultPolicyPath();
    const source = readFileSync(file, 'utf8');
    const result = loadPolicyText(source, file);
    if (!result.ok) throw new PolicyError(file, result.problems);
    try {
      await this.repo().insert(
        this.rowOf(result.policy, source, parseInstant(result.policy.effectiveFrom), null, false),
      );
    } catch (error) {
      // Another process published it first.
      if ((await this.repo().list()).length === 0) throw error;
    }
  }

  /** A version by id, parsed once per process. */
  async get(id: string, executor: Executor = this.db): Promise<PolicyVersion> {
    const cached = this.compiled.get(id);
    if (cached) return cached;
    const row = await this.repo(executor).find(id);
    if (!row) throw new Error(`policy version ${id} does not exist`);
    return this.compile(row);
  }

  /** The version in force at an instant: the latest effective on or before it (the first one for earlier instants). */
  async inForceAt(at: number, executor: Executor = this.db): Promise<PolicyVersion> {
    const rows = await this.repo(executor).list();
    if (rows.length === 0) throw new Error('no support policy has been published');
    const row = rows.filter((r) => r.effective_from <= at).at(-1) ?? rows[0]!;
    return this.compiled.get(row.id) ?? this.compile(row);
  }

  async list(): Promise<PolicyVersion[]> {
    return (await this.repo().list()).map((row) => this.compiled.get(row.id) ?? this.compile(row));
  }

  /** Finds a published version by its id or its version name. */
  async find(idOrVersion: string): Promise<PolicyVersion | undefined> {
    const rows = await this.repo().list();
    const row = rows.find((r) => r.id === idOrVersion || r.version === idOrVersion);
    return row ? (this.compiled.get(row.id) ?? this.compile(row)) : undefined;
  }

  /**
   * Publishes a new version effective at a date. A version that lowers any tier's service level is
   * refused unless `allowRegression`; subscriptions in force keep the version they have until their
   * term ends, and the result lists them with the date each moves.
   */
  async publish(
    source: string,
    options: {
      effective: string;
      allowRegression: boolean;
      publishedBy?: string | null;
      sourceName?: string;
    },
  ): Promise<PublishResult> {
    const result = loadPolicyText(source, options.sourceName);
    if (!result.ok) throw new PolicyError(options.sourceName ?? 'policy', result.problems);
    const effectiveFrom = parseInstant(options.effective);
    const policy = result.policy;
    if (await this.repo().findByVersion(policy.id, policy.version)) {
      throw new PolicyPublishError(
        `Version ${policy.version} of ${policy.id} is already published; give the new file a new version.`,
      );
    }
    const previous = await this.inForceAt(effectiveFrom);
    const changes = diffPolicies(previous.policy, policy);
    const lowering = changes.filter((c) => c.lowersService);
    if (lowering.length > 0 && !options.allowRegression) throw new PolicyRegressionError(lowering);

    const row = this.rowOf(policy, source, effectiveFrom, options.publishedBy ?? null, lowering.length > 0);
    const affected = await this.db.transaction().execute(async (trx) => {
      const repo = this.repo(trx);
      const versions = await repo.list();
      const byId = new Map(versions.map((v) => [v.id, v]));
      const affectedRows: AffectedSubscription[] = [];
      for (const sub of await repo.activeSubscriptions(effectiveFrom)) {
        // Terms starting on or after the effective date take the new version; the others keep theirs,
        // pinned now, before the new version could change the answer.
        if (sub.term_start >= effectiveFrom) continue;
        let keptId = sub.policy_version_id;
        if (!keptId) {
          keptId = (versions.filter((v) => v.effective_from <= sub.term_start).at(-1) ?? versions[0]!).id;
          await repo.pinSubscription(sub.id, keptId);
        }
        affectedRows.push({
          organizationId: sub.organization_id,
          organizationName: sub.organization_name,
          tier: sub.tier,
          keepsVersion: byId.get(keptId)?.version ?? keptId,
          movesAt: toIso(sub.term_end),
        });
      }
      await repo.insert(row);
      return affectedRows;
    });
    return { version: this.compile(row), changes, lowering, affected };
  }

  /** The differences between two published versions or files. */
  diff(oldPolicy: SupportPolicy, newPolicy: SupportPolicy): PolicyChange[] {
    return diffPolicies(oldPolicy, newPolicy);
  }

  private rowOf(
    policy: SupportPolicy,
    source: string,
    effectiveFrom: number,
    publishedBy: string | null,
    regression: boolean,
  ): PolicyVersionRow {
    return {
      id: newId(),
      policy_id: policy.id,
      version: policy.version,
      effective_from: effectiveFrom,
      source,
      content_hash: createHash('sha256').update(source).digest('hex'),
      published_at: this.clock(),
      published_by: publishedBy,
      regression_allowed: regression ? 1 : 0,
    };
  }

  private compile(row: PolicyVersionRow): PolicyVersion {
    const result = loadPolicyText(row.source, `policy version ${row.version}`);
    if (!result.ok) throw new PolicyError(`policy version ${row.version}`, result.problems);
    const calendars = new Map<string, BusinessCalendar>();
    for (const [name, spec] of Object.entries(result.policy.calendars)) {
      calendars.set(name, compileCalendar(spec));
    }
    const version: PolicyVersion = {
      id: row.id,
      version: row.version,
      effectiveFrom: row.effective_from,
      policy: result.policy,
      calendars,
    };
    this.compiled.set(row.id, version);
    return version;
  }
}
