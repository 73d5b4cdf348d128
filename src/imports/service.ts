import { isStaffRole, principalOf, type Principal } from '../auth/principal.js';
import { isUniqueViolation } from '../db/dialect.js';
import type { NewUser, UserRow } from '../db/tables.js';
import {
  DEFAULT_TIER,
  REQUEST_TYPE_LABELS,
  REQUEST_TYPE_MINIMUM_TIER,
  TIER_LABELS,
  tierIncludes,
  type Tier,
} from '../policy/tiers.js';
import { newId } from '../shared/ids.js';
import { badRequest, forbidden, type FieldError } from '../shared/problem.js';
import type { Clock } from '../shared/time.js';
import { HISTORY, type LedgerTransaction, type TicketLedger } from '../tickets/ledger.js';
import { historyOf, type Person } from './history.js';
import type { TicketImportRepository } from './repository.js';
import {
  chronologyErrors,
  MAX_ERRORS_PER_LINE,
  MAX_LINE_BYTES,
  MAX_LINES,
  MAX_REPORTED_LINES,
  parseTicketLine,
  sniffExternalId,
  type ImportReport,
  type LineError,
  type TicketLine,
} from './schema.js';

export interface TicketImportDeps {
  repo: TicketImportRepository;
  ledger: TicketLedger;
  clock: Clock;
}

export interface ImportOptions {
  /** Told of each failed line as it fails, including those past the report's list. */
  onError?: (error: LineError) => void;
}

type LineOutcome =
  | { kind: 'blank' }
  | { kind: 'imported' | 'unchanged'; externalId: string }
  | { kind: 'failed'; externalId: string | undefined; errors: FieldError[] };

/** A line whose references do not resolve; its transaction is rolled back. */
class LineRejected extends Error {
  constructor(readonly errors: FieldError[]) {
    super('the line was rejected');
  }
}

type OrganizationRef = TicketLine['organization'];
type ResolvedOrganization = { id: string; name: string } | { error: string };

const LINE = '(line)';

/**
 * Imports historic tickets from another helpdesk, one JSON line per ticket (docs/import.md): the
 * ticket, its messages and its history are written with their own instants as the live desk would
 * have written them, so that the SLA columns and the reports that read them are right from day one.
 * Each line is its own transaction; a bad line is reported and the others go on. Nothing is mailed
 * or announced, and no SLA effect is fired for what was due before the import.
 */
export class TicketImportService {
  constructor(private readonly deps: TicketImportDeps) {}

  /** The import instant for callers that have no clock of their own. */
  now(): number {
    return this.deps.clock();
  }

  /** The admin an import from the command line runs as: the one named, or the desk's first. */
  async importer(email?: string): Promise<Principal> {
    const admin = await this.deps.repo.activeAdmin(email);
    if (!admin)
      throw badRequest(
        email
          ? `${email} is not an active admin; tickets are imported by an admin`
          : 'there is no active admin: create one first (accord user create --role admin)',
      );
    return principalOf(admin, 'token');
  }

  async importLines(
    actor: Principal,
    lines: AsyncIterable<string> | Iterable<string>,
    now: number = this.deps.clock(),
    options: ImportOptions = {},
  ): Promise<ImportReport> {
    if (actor.role !== 'admin') throw forbidden('Only admins import tickets.');
    const report: ImportReport = { imported: 0, unchanged: 0, failed: 0, errors: [], errorsOmitted: 0 };
    const fail = (line: number, externalId: string | undefined, errors: FieldError[]) => {
      const listed =
        errors.length > MAX_ERRORS_PER_LINE
          ? [
              ...errors.slice(0, MAX_ERRORS_PER_LINE),
              { field: LINE, message: `and ${errors.length - MAX_ERRORS_PER_LINE} more errors` },
            ]
          : errors;
      const entry: LineError = { line, ...(externalId ? { externalId } : {}), errors: listed };
      report.failed += 1;
      if (report.errors.length < MAX_REPORTED_LINES) report.errors.push(entry);
      else report.errorsOmitted += 1;
      options.onError?.(entry);
    };
    const organizations = new Map<string, ResolvedOrganization>();
    let lineNumber = 0;
    for await (const text of lines) {
      lineNumber += 1;
      if (lineNumber > MAX_LINES) {
        fail(lineNumber, undefined, [
          {
            field: LINE,
            message: `an import holds at most ${MAX_LINES} lines: this line and those after it were not read; import them separately`,
          },
        ]);
        break;
      }
      const outcome = await this.importLine(actor, text, lineNumber === 1, now, organizations);
      switch (outcome.kind) {
        case 'blank':
          break;
        case 'imported':
          report.imported += 1;
          break;
        case 'unchanged':
          report.unchanged += 1;
          break;
        case 'failed':
          fail(lineNumber, outcome.externalId, outcome.errors);
          break;
      }
    }
    return report;
  }

  private async importLine(
    actor: Principal,
    raw: string,
    first: boolean,
    now: number,
    organizations: Map<string, ResolvedOrganization>,
  ): Promise<LineOutcome> {
    let text = raw.endsWith('\r') ? raw.slice(0, -1) : raw;
    if (first && text.startsWith('\uFEFF')) text = text.slice(1);
    if (text.trim() === '') return { kind: 'blank' };
    const failed = (externalId: string | undefined, errors: FieldError[]): LineOutcome => ({
      kind: 'failed',
      externalId,
      errors,
    });
    if (Buffer.byteLength(text) > MAX_LINE_BYTES)
      return failed(sniffExternalId(text), [
        { field: LINE, message: `is longer than ${MAX_LINE_BYTES} bytes (1 MB), the most a line may hold` },
      ]);
    let value: unknown;
    try {
      value = JSON.parse(text);
    } catch (error) {
      return failed(sniffExternalId(text), [
        { field: LINE, message: `is not valid JSON: ${(error as Error).message}` },
      ]);
    }
    if (typeof value !== 'object' || value === null || Array.isArray(value))
      return failed(undefined, [{ field: LINE, message: 'must be a JSON object: one ticket per line' }]);
    const given = (value as { externalId?: unknown }).externalId;
    const parsed = parseTicketLine(value);
    if ('errors' in parsed)
      return failed(typeof given === 'string' ? given.trim() || undefined : undefined, parsed.errors);
    const line = parsed.line;
    const timeErrors = chronologyErrors(line, now);
    if (timeErrors.length > 0) return failed(line.externalId, timeErrors);
    if (await this.deps.repo.findImported(line.externalId))
      return { kind: 'unchanged', externalId: line.externalId };
    try {
      await this.deps.ledger.transaction((tx) =>
        this.write(tx, this.deps.repo.withExecutor(tx.trx), actor, line, now, organizations),
      );
      return { kind: 'imported', externalId: line.externalId };
    } catch (error) {
      if (error instanceof LineRejected) return failed(line.externalId, error.errors);
      // Another import of the same file got there first.
      if (isUniqueViolation(error) && (await this.deps.repo.findImported(line.externalId)))
        return { kind: 'unchanged', externalId: line.externalId };
      return failed(line.externalId, [
        {
          field: LINE,
          message: `could not be written, and nothing of it was kept: ${error instanceof Error ? error.message : String(error)}`,
        },
      ]);
    }
  }

  private async write(
    tx: LedgerTransaction,
    repo: TicketImportRepository,
    actor: Principal,
    line: TicketLine,
    now: number,
    organizations: Map<string, ResolvedOrganization>,
  ) {
    const organization = await this.resolveOrganization(repo, line.organization, organizations);
    if ('error' in organization)
      throw new LineRejected([{ field: 'organization', message: organization.error }]);

    const errors: FieldError[] = [];
    const tier = (line.tier ??
      (await repo.subscribedTierAt(organization.id, line.openedAt)) ??
      DEFAULT_TIER) as Tier;
    if (!tierIncludes(tier, line.requestType)) {
      errors.push({
        field: 'requestType',
        message: `${REQUEST_TYPE_LABELS[line.requestType]} is included from the ${TIER_LABELS[REQUEST_TYPE_MINIMUM_TIER[line.requestType]]} tier up; this ticket is served at the ${TIER_LABELS[tier]} tier`,
      });
    }

    const done = line.resolvedAt !== undefined || line.closedAt !== undefined;
    const emails = [
      line.requester.email,
      ...line.messages.map((m) => m.author.email),
      ...(line.assignee ? [line.assignee.email] : []),
    ];
    const existing = new Map(
      (await repo.usersByEmail([...new Set(emails)])).map((u) => [u.email, u] as const),
    );
    const people = new Map<string, Person>();
    const newUsers: NewUser[] = [];
    const member = (email: string, name: string | undefined): Person => {
      const row: NewUser = {
        id: newId(),
        email,
        name: (name ?? email.split('@')[0] ?? email).slice(0, 200),
        role: 'member',
        organization_id: organization.id,
        password_hash: null,
        locale: null,
        deactivated_at: null,
        created_at: now,
        updated_at: now,
      };
      newUsers.push(row);
      return { id: row.id, role: 'member', organizationId: organization.id };
    };
    const otherOrganization = async (email: string, person: Person) =>
      `${email} is a user of another organization (${(person.organizationId && (await repo.organizationName(person.organizationId))) ?? 'none'})`;
    const known = (email: string): Person | undefined => {
      const user = existing.get(email);
      return people.get(email) ?? (user ? personOf(user) : undefined);
    };
    // People who do not resolve are reported once, where they first appear.
    const unresolved = new Set<string>();

    const { email: requesterEmail, name: requesterName } = line.requester;
    const requester = known(requesterEmail);
    const requesterProblem = !requester
      ? undefined
      : isStaffRole(requester.role)
        ? `${requesterEmail} is a staff user; the requester is a customer`
        : requester.organizationId !== organization.id
          ? await otherOrganization(requesterEmail, requester)
          : undefined;
    if (requesterProblem) {
      errors.push({ field: 'requester.email', message: requesterProblem });
      unresolved.add(requesterEmail);
    } else {
      people.set(requesterEmail, requester ?? member(requesterEmail, requesterName));
    }

    for (const [i, message] of line.messages.entries()) {
      const { email, staff } = message.author;
      if (unresolved.has(email)) continue;
      const person = known(email);
      const problem = await authorProblem(email, staff, person, organization.id, otherOrganization);
      if (problem) {
        errors.push({ field: `messages.${i}.author.email`, message: problem });
        unresolved.add(email);
        continue;
      }
      const author = person ?? member(email, message.author.name);
      people.set(email, author);
      if (!message.public && !isStaffRole(author.role))
        errors.push({
          field: `messages.${i}.public`,
          message: 'must be true: only staff write internal notes',
        });
    }

    let assignee: Person | null = null;
    if (line.assignee) {
      const user = existing.get(line.assignee.email);
      if (!user || !isStaffRole(user.role))
        errors.push({
          field: 'assignee.email',
          message: `${line.assignee.email} is not a staff user of this desk`,
        });
      else if (user.deactivated_at !== null && !done)
        errors.push({
          field: 'assignee.email',
          message: `${user.email} is deactivated; an open ticket is assigned to active staff`,
        });
      else assignee = personOf(user);
    }
    if (errors.length > 0) throw new LineRejected(errors);

    for (const row of newUsers) await repo.insertUser(row);
    const requesterId = people.get(line.requester.email)!.id;
    const opener = people.get(line.messages[0]!.author.email)!;
    const { opening, past } = historyOf(line, people, assignee);
    // Nothing is mailed or announced, and nothing that fell due at the other desk fires here.
    await tx.open(
      {
        subject: line.subject,
        organizationId: organization.id,
        requesterId,
        createdBy: { id: opener.id, role: opener.role },
        priority: line.priority,
        channel: line.channel,
        requestType: line.requestType,
        tier,
        assigneeId: assignee?.id ?? null,
        externalId: line.externalId,
        openedAt: line.openedAt,
        opening,
        facts: { externalId: line.externalId, importedBy: actor.userId },
        tags: line.tags,
      },
      HISTORY,
      past,
    );
  }

  private async resolveOrganization(
    repo: TicketImportRepository,
    ref: OrganizationRef,
    cache: Map<string, ResolvedOrganization>,
  ): Promise<ResolvedOrganization> {
    const key = JSON.stringify(ref);
    const cached = cache.get(key);
    if (cached) return cached;
    let resolved: ResolvedOrganization;
    if (typeof ref === 'object' && 'domain' in ref) {
      resolved = (await repo.organizationWithDomain(ref.domain)) ?? {
        error: `no organization has the domain ${ref.domain}: add it to the organization first`,
      };
    } else {
      const name = typeof ref === 'string' ? ref : ref.name;
      const found = await repo.organizationsNamed(name);
      const exact = found.filter((o) => o.name === name);
      const matches = exact.length > 0 ? exact : found;
      resolved =
        matches.length === 1
          ? matches[0]!
          : matches.length === 0
            ? { error: `no organization is named "${name}": create it first, or give {"domain": "\u2026"}` }
            : {
                error: `${matches.length} organizations are named "${name}": give {"domain": "\u2026"} instead`,
              };
    }
    cache.set(key, resolved);
    return resolved;
  }
}

const personOf = (user: UserRow): Person => ({
  id: user.id,
  role: user.role,
  organizationId: user.organization_id,
});

/**
 * Why a message author cannot be used, if it cannot: a staff user's email is staff (unless the line
 * says `staff: false`), a customer's must be of the ticket's organization, and an unknown email
 * becomes a member of it unless the line says `staff: true`, since staff are never created by import.
 */
async function authorProblem(
  email: string,
  staff: boolean | undefined,
  person: Person | undefined,
  organizationId: string,
  otherOrganization: (email: string, person: Person) => Promise<string>,
): Promise<string | undefined> {
  if (!person)
    return staff === true
      ? `${email} is not a staff user of this desk: create it first (accord user create --role agent), and deactivate it if they have left`
      : undefined;
  if (isStaffRole(person.role))
    return staff === false ? `${email} is a staff user of this desk, but staff is false` : undefined;
  if (staff === true) return `${email} is a customer user of this desk, not staff`;
  return person.organizationId === organizationId ? undefined : otherOrganization(email, person);
}
