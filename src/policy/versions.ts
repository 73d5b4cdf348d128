import { createHash } from 'node:crypto';
import { readFileSync } from 'node:fs';
import type { Kysely, Transaction } from 'kysely';
import { compileCalendar, type BusinessCalendar } from '../calendar/calendar.js';
import type { Database, PolicyVersionRow } from '../db/tables.js';
import { isUniqueViolation } from '../db/dialect.js';
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

export interface PublishOptions {
  /** An ISO 8601 date (midnight UTC) or date-time. */
  effective: string;
  /** Names the file in problems ("policy/new.yaml:12:3"). */
  sourceName?: string;
}

/** What a new version changes, from the version in force at its effective date. */
interface Publication {
  /** The version the new one is compared with: the one in force at its effective date. */
  previous: PolicyVersion;
  changes: PolicyChange[];
  lowering: PolicyChange[];
  affected: AffectedSubscription[];
}

/** A version as it would be published: nothing is written. */
export interface PublishPreview extends Publication {
  policy: SupportPolicy;
  effectiveFrom: number;
}

export interface PublishResult extends Publication {
  version: PolicyVersion;
}

export class PolicyRegressionError extends Error {
  constructor(readonly lowering: PolicyChange[]) {
    super(
      `This version lowers the service level, which section 6 of the policy forbids during a customer's term:\n${formatDiff(lowering).join('\n')}\nPublish with --allow-regression to accept it: subscriptions in force keep their current version until renewal.`,
    );
  }
}

export class PolicyPublishError extends Error {
  constructor(
    message: string,
    /** The version name that is already published. */
    readonly version?: string,
  ) {
    super(message);
  }
}

const duplicateVersion = (policy: SupportPolicy) =>
  new PolicyPublishError(
    `Version ${policy.version} of ${policy.id} is already published; give the new file a new version.`,
    policy.version,
  );

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
   * What publishing `source` would do, without writing anything: the changes from the version in
   * force at the effective date, those that lower the service level, and the subscriptions that
   * would keep their version. A file that does not validate throws PolicyError, a version already
   * published PolicyPublishError; a lowering version is reported, not refused.
   */
  async preview(source: string, options: PublishOptions): Promise<PublishPreview> {
    const { plan } = await this.plan(this.db, source, options);
    return plan;
  }

  /**
   * Publishes a new version effective at a date. A version that lowers any tier's service level is
   * refused unless `allowRegression`; subscriptions in force keep the version they have until their
   * term ends, and the result lists them with the date each moves.
   */
  async publish(
    source: string,
    options: PublishOptions & { allowRegression: boolean; publishedBy?: string | null },
  ): Promise<PublishResult> {
    const { plan, row } = await this.db.transaction().execute(async (trx) => {
      const { plan, pins } = await this.plan(trx, source, options);
      if (plan.lowering.length > 0 && !options.allowRegression)
        throw new PolicyRegressionError(plan.lowering);
      const repo = this.repo(trx);
      // Running terms keep their version, pinned before the new version could change the answer.
      for (const pin of pins) await repo.pinSubscription(pin.subscriptionId, pin.policyVersionId);
      const row = this.rowOf(
        plan.policy,
        source,
        plan.effectiveFrom,
        options.publishedBy ?? null,
        plan.lowering.length > 0,
      );
      try {
        await repo.insert(row);
      } catch (error) {
        // Another publish of the same version committed first.
        throw isUniqueViolation(error) ? duplicateVersion(plan.policy) : error;
      }
      return { plan, row };
    });
    const { policy: _policy, effectiveFrom: _effectiveFrom, ...publication } = plan;
    return { ...publication, version: this.compile(row) };
  }

  /** The one computation behind preview and publish; `pins` are the writes publish makes for it. */
  private async plan(
    executor: Executor,
    source: string,
    options: PublishOptions,
  ): Promise<{ plan: PublishPreview; pins: { subscriptionId: string; policyVersionId: string }[] }> {
    const result = loadPolicyText(source, options.sourceName);
    if (!result.ok) throw new PolicyError(options.sourceName ?? 'policy', result.problems);
    const effectiveFrom = parseInstant(options.effective);
    const policy = result.policy;
    const repo = this.repo(executor);
    if (await repo.findByVersion(policy.id, policy.version)) throw duplicateVersion(policy);
    const previous = await this.inForceAt(effectiveFrom, executor);
    const changes = diffPolicies(previous.policy, policy);
    const lowering = changes.filter((c) => c.lowersService);

    const versions = await repo.list();
    const byId = new Map(versions.map((v) => [v.id, v]));
    const affected: AffectedSubscription[] = [];
    const pins: { subscriptionId: string; policyVersionId: string }[] = [];
    for (const sub of await repo.activeSubscriptions(effectiveFrom)) {
      // Terms starting on or after the effective date take the new version; the others keep theirs.
      if (sub.term_start >= effectiveFrom) continue;
      let keptId = sub.policy_version_id;
      if (!keptId) {
        keptId = (versions.filter((v) => v.effective_from <= sub.term_start).at(-1) ?? versions[0]!).id;
        pins.push({ subscriptionId: sub.id, policyVersionId: keptId });
      }
      affected.push({
        organizationId: sub.organization_id,
        organizationName: sub.organization_name,
        tier: sub.tier,
        keepsVersion: byId.get(keptId)?.version ?? keptId,
        movesAt: toIso(sub.term_end),
      });
    }
    return { plan: { policy, effectiveFrom, previous, changes, lowering, affected }, pins };
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
