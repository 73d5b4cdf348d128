import fs from 'node:fs';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { PolicyRegressionError } from '../../src/policy/versions.js';
import { databaseTargets } from '../support/databases.js';
import { TestDesk, TEST_EPOCH, type Person } from '../support/desk.js';
import { runCli } from '../support/process.js';

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

// Basic P2 goes from one to two business days: a lowered service level.
const LOWERED = variant('2026-07-01', [
  ['    P2: 1 business day\n    P3: 2 business days', '    P2: 2 business days\n    P3: 2 business days'],
]);
// Premium and enterprise P0 from 15 to 10 minutes: better, not lower.
const RAISED = variant('2026-08-01', [['    P0: 15 minutes', '    P0: 10 minutes']]);

describe.each(databaseTargets())('policy versions on $dialect', (target) => {
  let desk: TestDesk;
  let agent: Person;

  beforeAll(async () => {
    desk = await TestDesk.start(target);
    agent = await desk.person('agent');
  });
  afterAll(() => desk?.close());

  it('refuses a lowering version without consent, and keeps running terms on their version with it', async () => {
    const subscribed = await desk.services.organizations.create(null, {
      name: 'Subscribed Basic',
      domains: [],
      locale: 'en',
      subscription: { tier: 'basic', termStart: '2026-01-01', termEnd: '2026-12-31' },
    });
    const trial = await desk.organization(null, 'Trial Co');
    const subscriber = await desk.person('contact', subscribed.id);
    const trialist = await desk.person('contact', trial.id);

    await expect(
      desk.services.policy.publish(LOWERED, { effective: '2026-07-01', allowRegression: false }),
    ).rejects.toBeInstanceOf(PolicyRegressionError);
    expect(await desk.services.policy.list()).toHaveLength(1);

    const published = await desk.services.policy.publish(LOWERED, {
      effective: '2026-07-01',
      allowRegression: true,
    });
    expect(published.lowering.map((c) => c.path)).toEqual(['targets.basic.P2']);
    const mine = published.affected.find((a) => a.organizationId === subscribed.id);
    expect(mine).toEqual({
      organizationId: subscribed.id,
      organizationName: 'Subscribed Basic',
      tier: 'basic',
      keepsVersion: '2024-02-12',
      movesAt: '2026-12-31T00:00:00.000Z',
    });

    // After the effective date, the subscriber still gets one business day; the trial gets two.
    desk.advance(Date.parse('2026-07-15T14:00:00Z') - TEST_EPOCH);
    const kept = await desk.ticket(subscriber, { priority: 'P2', requestType: 'question' });
    const moved = await desk.ticket(trialist, { priority: 'P2', requestType: 'question' });
    const sla = async (id: string) =>
      (await desk.api('GET', `/api/v1/tickets/${id}`, { token: agent.token })).json().sla;
    expect(await sla(kept.id)).toMatchObject({
      policyVersion: '2024-02-12',
      firstResponse: { target: { label: '1 business day' } },
    });
    expect(await sla(moved.id)).toMatchObject({
      policyVersion: '2026-07-01',
      firstResponse: { target: { label: '2 business days' } },
    });

    // Its renewal term starts under the new version.
    await desk.services.organizations.addSubscription(null, subscribed.id, {
      tier: 'basic',
      termStart: '2026-12-31',
      termEnd: '2027-12-31',
    });
    const simulated = await desk.services.slaPreview.simulate(null, {
      priority: 'P2',
      openedAt: '2027-01-05T15:00:00Z',
      organizationId: subscribed.id,
    });
    expect(simulated).toMatchObject({
      policyVersion: '2026-07-01',
      firstResponse: { target: '2 business days' },
    });

    const raised = await desk.services.policy.publish(
      // Against the lowered version now in force, a version that only shortens P0 lowers nothing.
      RAISED.replace(
        '    P2: 1 business day\n    P3: 2 business days',
        '    P2: 2 business days\n    P3: 2 business days',
      ),
      {
        effective: '2026-08-01',
        allowRegression: false,
      },
    );
    expect(raised.lowering).toEqual([]);
    expect(raised.changes.map((c) => c.path)).toEqual(
      expect.arrayContaining(['targets.premium.P0', 'targets.enterprise.P0']),
    );
    await expect(
      desk.services.policy.publish(RAISED, { effective: '2026-09-01', allowRegression: true }),
    ).rejects.toThrow(/already published/);
  });

  it('gives a renewal booked before a publish the version in force when it starts', async () => {
    const org = await desk.services.organizations.create(null, {
      name: 'Renewing Premium',
      domains: [],
      locale: 'en',
      subscription: { tier: 'premium', termStart: '2026-01-01', termEnd: '2026-09-01' },
    });
    await desk.services.organizations.addSubscription(null, org.id, {
      tier: 'premium',
      termStart: '2026-09-01',
      termEnd: '2027-09-01',
    });
    const published = await desk.services.policy.publish(
      RAISED.replace("version: '2026-08-01'", "version: '2026-08-15'"),
      {
        effective: '2026-08-15',
        allowRegression: true,
      },
    );
    expect(published.affected.filter((a) => a.organizationId === org.id).map((a) => a.movesAt)).toEqual([
      '2026-09-01T00:00:00.000Z',
    ]);
    const during = await desk.services.slaPreview.simulate(null, {
      priority: 'P0',
      openedAt: '2026-08-20T12:00:00Z',
      organizationId: org.id,
    });
    const after = await desk.services.slaPreview.simulate(null, {
      priority: 'P0',
      openedAt: '2026-10-01T12:00:00Z',
      organizationId: org.id,
    });
    expect(during.policyVersion).not.toBe('2026-08-15');
    expect(after).toMatchObject({ policyVersion: '2026-08-15', firstResponse: { target: '10 minutes' } });
  });

  it('diffs published versions for staff only, and refuses unknown or missing versions', async () => {
    const contact = await desk.person('contact', (await desk.organization('premium')).id);
    const diff = await desk.api('GET', '/api/v1/policy/diff?from=2024-02-12&to=2026-07-01', {
      token: agent.token,
    });
    expect(diff.statusCode).toBe(200);
    expect(diff.json().changes.find((c: { path: string }) => c.path === 'targets.basic.P2')).toMatchObject({
      lowersService: true,
    });
    expect(
      (await desk.api('GET', '/api/v1/policy/diff?from=2024-02-12&to=2026-07-01', { token: contact.token }))
        .statusCode,
    ).toBe(403);
    expect(
      (await desk.api('GET', '/api/v1/policy/diff?from=2024-02-12&to=nope', { token: agent.token }))
        .statusCode,
    ).toBe(404);
    expect(
      (await desk.api('GET', '/api/v1/policy/diff?from=2024-02-12', { token: agent.token })).statusCode,
    ).toBe(400);
    expect(
      (await desk.api('GET', `/api/v1/policy/diff?from=${'x'.repeat(101)}&to=y`, { token: agent.token }))
        .statusCode,
    ).toBe(400);
  });
});

describe('the policy command line', () => {
  const dir = fs.mkdtempSync(path.join(process.env.TMPDIR ?? '/tmp', 'accord-policy-'));
  afterAll(() => fs.rmSync(dir, { recursive: true, force: true }));
  const write = (name: string, text: string) => {
    const file = path.join(dir, name);
    fs.writeFileSync(file, text);
    return file;
  };

  it('checks a file and reports each problem with its path', async () => {
    expect((await runCli(['policy', 'check', 'policy/default.yaml'], {})).code).toBe(0);
    const broken = write('broken.yaml', DEFAULT.replace('    P2: 1 business day', '    P2: 1 buisness day'));
    const result = await runCli(['policy', 'check', broken], {});
    expect(result.code).toBe(1);
    expect(result.stderr).toContain('targets.basic.P2: "1 buisness day" is not a duration');
  });

  it('diffs two files and marks what lowers the service level', async () => {
    const result = await runCli(
      ['policy', 'diff', 'policy/default.yaml', write('lowered.yaml', LOWERED)],
      {},
    );
    expect(result.code).toBe(0);
    const line = result.stdout.split('\n').find((l) => l.includes('targets.basic.P2'));
    expect(line).toMatch(/^!/);
    expect(line).toContain('1 business day');
    expect(line).toContain('2 business days');
    const raised = await runCli(['policy', 'diff', 'policy/default.yaml', write('raised.yaml', RAISED)], {});
    expect(raised.stdout.split('\n').filter((l) => l.includes('targets.premium.P0'))[0]).not.toMatch(/^!/);
  });

  it('publishes only with consent to a regression, and lists who keeps the old version', async () => {
    const dataDir = path.join(dir, 'data');
    const env = { DATA_DIR: dataDir, DATABASE_URL: '', ACCORD_DEMO: '0' };
    const lowered = write('publish.yaml', LOWERED);
    const refused = await runCli(['policy', 'publish', lowered, '--effective', '2026-07-01'], env);
    expect(refused.code).toBe(1);
    expect(refused.stderr).toContain('--allow-regression');
    const accepted = await runCli(
      ['policy', 'publish', lowered, '--effective', '2026-07-01', '--allow-regression'],
      env,
    );
    expect(accepted.code).toBe(0);
    expect(accepted.stdout).toContain('published maintainx-support version 2026-07-01');
    expect((await runCli(['policy', 'publish', lowered], env)).code).toBe(2);
  });
});
