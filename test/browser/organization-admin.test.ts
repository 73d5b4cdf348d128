import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { accessibilityViolations } from './accessibility.js';
import { BrowserDesk, chromiumPath, FRENCH_LABELS, type Account } from './support.js';

/**
 * An organization's page in the admin area: a renewal starts from the tier the organization has,
 * and the one designated contact of a paying organization cannot lose access, with the reason shown
 * before anyone clicks.
 */
describe.skipIf(!chromiumPath())('an organization\u2019s page in Chromium', () => {
  let desk: BrowserDesk;
  let admin: Account;
  let orgId: string;

  beforeAll(async () => {
    desk = await BrowserDesk.start({ dialect: 'sqlite' });
    admin = await desk.user('admin', 'Ada Admin');
    orgId = (await desk.organization('Northwind Logistics', 'enterprise')).id;
    await desk.user('contact', 'Nora Quinn', { organizationId: orgId });
    await desk.user('member', 'Ivan Petrov', { organizationId: orgId });
  });
  afterAll(() => desk?.close());

  it('a renewal of an enterprise organization is offered at Enterprise', async () => {
    const context = await desk.context('en-US');
    const page = await desk.signIn(context, admin);
    await page.goto(`/admin/organizations/${orgId}`);
    const form = page.getByRole('form', { name: 'Add a term (renewal or upgrade)' });
    const tier = form.getByLabel('Tier', { exact: true });
    await expect.poll(() => tier.inputValue()).toBe('enterprise');
    await context.close();
  });

  it('the only designated contact of a paying organization cannot lose access, and the page says why', async () => {
    const context = await desk.context('en-US');
    const page = await desk.signIn(context, admin);
    await page.goto(`/admin/organizations/${orgId}`);
    const remove = (name: string) => page.getByRole('button', { name: `Remove access ${name}` });
    const reason =
      'A paying organization always keeps at least one active designated contact (support policy, section 4.1): designate another contact first.';
    await expect.poll(() => remove('Nora Quinn').isDisabled()).toBe(true);
    expect(
      await page
        .getByRole('row', { name: /Nora Quinn/ })
        .getByText(reason)
        .isVisible(),
    ).toBe(true);
    expect(await remove('Nora Quinn').getAttribute('aria-describedby')).toBe(
      await page.getByText(reason).getAttribute('id'),
    );
    expect(await page.getByRole('combobox', { name: 'Role of Nora Quinn' }).isDisabled()).toBe(true);
    // An authorized user is not held back by the rule.
    expect(await remove('Ivan Petrov').isEnabled()).toBe(true);
    expect(await accessibilityViolations(page)).toEqual([]);

    // The same on the list of every user, which is paged and filtered, so knows no organization whole.
    await page.goto('/admin/users');
    await expect.poll(() => remove('Nora Quinn').isDisabled()).toBe(true);
    expect(await page.getByText(reason).count()).toBe(1);
    await context.close();
  });

  it('in French too', async () => {
    const context = await desk.context('fr-FR', 'Europe/Paris');
    const page = await desk.signIn(context, admin, FRENCH_LABELS);
    await page.goto(`/admin/organizations/${orgId}`);
    const remove = page.getByRole('button', { name: "Retirer l'accès Nora Quinn" });
    await expect.poll(() => remove.isDisabled()).toBe(true);
    expect(
      await page
        .getByText(
          "Une organisation qui paie son support garde toujours au moins un contact désigné actif (politique de support, section 4.1) : désignez d'abord un autre contact.",
        )
        .isVisible(),
    ).toBe(true);
    await context.close();
  });

  it('with a second designated contact, either may lose access', async () => {
    const other = (await desk.organization('Contoso Foods', 'premium')).id;
    await desk.user('contact', 'Grace Park', { organizationId: other });
    await desk.user('contact', 'Sam Okafor', { organizationId: other });
    const context = await desk.context('en-US');
    const page = await desk.signIn(context, admin);
    // Once the organization's contacts are known, the buttons must still be enabled.
    const contactsKnown = page.waitForResponse((r) => r.url().includes('role=contact'));
    await page.goto(`/admin/organizations/${other}`);
    await contactsKnown;
    for (const name of ['Grace Park', 'Sam Okafor']) {
      const remove = page.getByRole('button', { name: `Remove access ${name}` });
      await remove.waitFor();
      expect(await remove.isEnabled(), name).toBe(true);
    }
    expect(await page.getByText('designate another contact first').count()).toBe(0);
    await context.close();
  });
});
