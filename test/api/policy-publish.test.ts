import fs from 'node:fs';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { databaseTargets } from '../support/databases.js';
import { TestDesk, TEST_EPOCH, type Person } from '../support/desk.js';

const DEFAULT = fs.readFileSync(path.resolve(import.meta.dirname, '../../policy/default.yaml'), 'utf8');

/** The default policy with a new version name and some edits. */
function variant(version: string, edits: [string, string][]): string {
  let text = DEFAULT.replace("version: '2024-02-12'", `version: '${version}'`);
  for (const [from, to] of edits) {
    if (!text.includes(from)) throw new Error(`policy text not found: ${from}`);
    text = text.replace(from, to);
  }
  return text;
}

// Premium and enterprise P0 from 15 to 10 minutes: better for the customer.
const TIGHTER = variant('2026-09-01', [['    P0: 15 minutes', '    P0: 10 minutes']]);
// Basic P2 from one business day to two: a lowered service level.
const LOWERED = variant('2026-07-01', [
  ['    P2: 1 business day\n    P3: 2 business days', '    P2: 2 business days\n    P3: 2 business days'],
]);

interface Change {
  path: string;
  effect: string;
  lowersService: boolean;
}

describe.each(databaseTargets())('publishing a policy version through the API on $dialect', (target) => {
  let desk: TestDesk;
  let admin: Person;
  let lead: Person;
  let customer: Person;

  beforeAll(async () => {
    desk = await TestDesk.start(target);
    admin = await desk.person('admin');
    lead = await desk.person('lead');
    customer = await desk.person('contact', (await desk.organization('premium')).id);
  });
  afterAll(() => desk?.close());

  const versionCount = async () => {
    const row = await desk.database.db.kysely
      .selectFrom('policy_versions')
      .select((eb) => eb.fn.countAll<number>().as('n'))
      .executeTakeFirstOrThrow();
    return Number(row.n);
  };
  const pinnedVersion = async (organizationId: string) =>
    (
      await desk.database.db.kysely
        .selectFrom('subscriptions')
        .select('policy_version_id')
        .where('organization_id', '=', organizationId)
        .executeTakeFirstOrThrow()
    ).policy_version_id;
  const send = (url: string, body: unknown, who: Person | null = admin) =>
    desk.api('POST', `/api/v1${url}`, { ...(who ? { token: who.token } : {}), body });

  it('previews a tighter version without writing, then publishes it for everyone to list', async () => {
    const org = await desk.organization('premium', 'Running Term Premium');
    const before = await versionCount();
    const body = { source: TIGHTER, effective: '2026-09-01' };

    const preview = await send('/policy/versions/preview', body);
    expect(preview.statusCode).toBe(200);
    const planned = preview.json();
    expect(planned.version).toEqual({
      policyId: 'maintainx-support',
      version: '2026-09-01',
      effectiveFrom: '2026-09-01T00:00:00.000Z',
    });
    expect(planned.from).toBe('2024-02-12');
    expect(planned.lowering).toEqual([]);
    expect(planned.changes.map((c: Change) => [c.path, c.effect, c.lowersService]).sort()).toEqual([
      ['targets.enterprise.P0', 'improves', false],
      ['targets.premium.P0', 'improves', false],
    ]);
    // The organization's term (started 180 days before the test instant) runs past the effective date.
    const keeps = {
      organizationId: org.id,
      organizationName: 'Running Term Premium',
      tier: 'premium',
      keepsVersion: '2024-02-12',
      movesAt: new Date(TEST_EPOCH + 180 * 86400_000).toISOString(),
    };
    expect(planned.affected).toContainEqual(keeps);
    expect(await versionCount()).toBe(before);
    expect(await pinnedVersion(org.id)).toBeNull();

    const published = await send('/policy/versions', body);
    expect(published.statusCode).toBe(201);
    const result = published.json();
    expect(result.version).toMatchObject({
      version: '2026-09-01',
      effectiveFrom: '2026-09-01T00:00:00.000Z',
    });
    expect(result.version.id).toEqual(expect.any(String));
    expect(result.changes).toEqual(planned.changes);
    expect(result.affected).toContainEqual(keeps);
    expect(await versionCount()).toBe(before + 1);
    // The term is pinned to the version it keeps; the new version records who published it.
    expect(await pinnedVersion(org.id)).not.toBeNull();
    const row = await desk.database.db.kysely
      .selectFrom('policy_versions')
      .select(['published_by', 'regression_allowed'])
      .where('id', '=', result.version.id)
      .executeTakeFirstOrThrow();
    expect(row).toEqual({ published_by: admin.user.id, regression_allowed: 0 });

    const listed = await desk.api('GET', '/api/v1/policy/versions', { token: lead.token });
    expect(listed.json().data.map((v: { version: string }) => v.version)).toContain('2026-09-01');
  });

  it('refuses a lowering version without consent, listing what it lowers, and publishes it with consent', async () => {
    const before = await versionCount();
    const body = { source: LOWERED, effective: '2026-07-01' };

    const refused = await send('/policy/versions', body);
    expect(refused.statusCode).toBe(422);
    expect(refused.headers['content-type']).toContain('application/problem+json');
    expect(refused.json()).toMatchObject({ type: 'urn:accord:problem:lowers-service-level', status: 422 });
    expect(refused.json().lowering.map((c: Change) => [c.path, c.lowersService])).toEqual([
      ['targets.basic.P2', true],
    ]);
    expect(await versionCount()).toBe(before);

    // The preview shows the lowering change instead of refusing, so the admin can decide.
    const preview = await send('/policy/versions/preview', body);
    expect(preview.statusCode).toBe(200);
    expect(preview.json().lowering.map((c: Change) => c.path)).toEqual(['targets.basic.P2']);
    expect(await versionCount()).toBe(before);

    const accepted = await send('/policy/versions', { ...body, allowRegression: true });
    expect(accepted.statusCode).toBe(201);
    expect(accepted.json().lowering.map((c: Change) => c.path)).toEqual(['targets.basic.P2']);
    expect(await versionCount()).toBe(before + 1);
  });

  it('answers 409 for a version already published, on preview and publish alike', async () => {
    const before = await versionCount();
    for (const url of ['/policy/versions/preview', '/policy/versions']) {
      const duplicate = await send(url, { source: DEFAULT, effective: '2026-10-01', allowRegression: true });
      expect(duplicate.statusCode).toBe(409);
      expect(duplicate.json()).toMatchObject({
        type: 'urn:accord:problem:version-published',
        detail: expect.stringContaining('2024-02-12'),
      });
    }
    expect(await versionCount()).toBe(before);
  });

  it('answers 422 with each problem of a file that is not a valid policy', async () => {
    const before = await versionCount();
    const misspelt = variant('2026-10-01', [['    P2: 1 business day', '    P2: 1 buisness day']]);
    const invalid = await send('/policy/versions/preview', { source: misspelt, effective: '2026-10-01' });
    expect(invalid.statusCode).toBe(422);
    expect(invalid.json()).toMatchObject({ type: 'urn:accord:problem:invalid-policy' });
    expect(invalid.json().problems).toEqual([
      expect.objectContaining({
        path: 'targets.basic.P2',
        message: '"1 buisness day" is not a duration',
        line: expect.any(Number),
      }),
    ]);

    const notYaml = await send('/policy/versions', { source: 'version: [unclosed', effective: '2026-10-01' });
    expect(notYaml.statusCode).toBe(422);
    expect(notYaml.json().problems[0]).toMatchObject({ line: 1 });
    expect(await versionCount()).toBe(before);
  });

  it('answers 422 for an effective date that has passed', async () => {
    const body = { source: variant('2026-05-01', []), effective: '2026-05-01' };
    for (const url of ['/policy/versions/preview', '/policy/versions']) {
      const passed = await send(url, body);
      expect(passed.statusCode).toBe(422);
      expect(passed.json().type).toBe('urn:accord:problem:effective-date-passed');
    }
  });

  it('answers 400 for a body that is not valid JSON or lacks the file', async () => {
    const malformed = await desk.api('POST', '/api/v1/policy/versions', {
      token: admin.token,
      payload: '{"source": ',
      headers: { 'content-type': 'application/json' },
    });
    expect(malformed.statusCode).toBe(400);
    expect(malformed.json().type).toBe('urn:accord:problem:malformed-json');
    const missing = await send('/policy/versions', { effective: '2026-10-01' });
    expect(missing.statusCode).toBe(400);
    expect(missing.json().errors).toContainEqual(expect.objectContaining({ field: 'body.source' }));
    const badDate = await send('/policy/versions/preview', { source: TIGHTER, effective: 'next week' });
    expect(badDate.statusCode).toBe(400);
  });

  it('documents both routes with their refusals in the OpenAPI document', async () => {
    const doc = (await desk.api('GET', '/api/v1/openapi.json')).json();
    expect(Object.keys(doc.paths['/api/v1/policy/versions/preview'].post.responses)).toEqual(
      expect.arrayContaining(['200', '400', '401', '403', '409', '422']),
    );
    expect(Object.keys(doc.paths['/api/v1/policy/versions'].post.responses)).toEqual(
      expect.arrayContaining(['201', '409', '422']),
    );
  });

  it('lets only admins preview and publish: leads and customers 403, anonymous 401', async () => {
    const before = await versionCount();
    const body = { source: variant('2026-11-01', []), effective: '2026-11-01' };
    for (const url of ['/policy/versions/preview', '/policy/versions']) {
      expect((await send(url, body, lead)).statusCode).toBe(403);
      expect((await send(url, body, customer)).statusCode).toBe(403);
      expect((await send(url, body, null)).statusCode).toBe(401);
    }
    expect(await versionCount()).toBe(before);
  });
});
