import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { databaseTargets } from '../support/databases.js';
import { TestDesk, type Person } from '../support/desk.js';

/** Rules that must hold when requests race each other (on PostgreSQL, truly in parallel). */
describe.each(databaseTargets())('concurrent requests on $dialect', (target) => {
  let desk: TestDesk;
  let admin: Person;

  beforeAll(async () => {
    desk = await TestDesk.start(target);
    admin = await desk.person('admin');
  });
  afterAll(() => desk?.close());

  it('gives forty tickets filed at once forty distinct, consecutive numbers', async () => {
    const contact = await desk.person('contact', (await desk.organization('premium')).id);
    const results = await Promise.all(
      Array.from({ length: 40 }, (_, i) => desk.ticket(contact, { subject: `Burst ${i}` })),
    );
    const numbers = results.map((t) => t.number).sort((a, b) => a - b);
    expect(new Set(numbers).size).toBe(40);
    expect(numbers.at(-1)! - numbers[0]!).toBe(39);
  });

  it('never lets two simultaneous removals leave a paying organization without a contact', async () => {
    for (let round = 0; round < 5; round += 1) {
      const org = await desk.organization('enterprise');
      const first = await desk.person('contact', org.id);
      const second = await desk.person('contact', org.id);
      const [a, b] = await Promise.all([
        desk.api('DELETE', `/api/v1/users/${first.user.id}`, { token: admin.token }),
        desk.api('PATCH', `/api/v1/users/${second.user.id}`, {
          token: admin.token,
          body: { role: 'member' },
        }),
      ]);
      // Exactly one change goes through; the other is refused as the last contact.
      const outcomes = [
        a.statusCode === 204 ? 'done' : a.statusCode,
        b.statusCode === 200 ? 'done' : b.statusCode,
      ];
      expect(outcomes.sort()).toEqual([409, 'done']);
      const contacts = await desk.database.db.kysely
        .selectFrom('users')
        .select('id')
        .where('organization_id', '=', org.id)
        .where('role', '=', 'contact')
        .where('deactivated_at', 'is', null)
        .execute();
      expect(contacts).toHaveLength(1);
    }
  });
});
