import fs from 'node:fs';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { BrowserDesk, chromiumPath, type Account } from './support.js';

/** A forgotten password, from the sign-in page to the emailed link and back in, in French. */
describe.skipIf(!chromiumPath())('password reset in Chromium', () => {
  let desk: BrowserDesk;
  let customer: Account;

  beforeAll(async () => {
    desk = await BrowserDesk.start({ dialect: 'sqlite' });
    const org = await desk.organization('Fabrikam Usines', 'premium', { locale: 'fr' });
    customer = await desk.user('member', 'Luc Moreau', { organizationId: org.id, locale: 'fr' });
  });
  afterAll(() => desk?.close());

  it('sends a link that sets a new password, which then signs in', async () => {
    const context = await desk.context('fr-FR', 'Europe/Paris');
    const page = await context.newPage();
    await page.goto('/login');
    await page.getByRole('link', { name: 'Mot de passe oublié ?' }).click();
    await page.getByLabel('Adresse e-mail').fill(customer.email);
    await page.getByRole('button', { name: 'Envoyer le lien' }).click();
    await page.getByRole('status').waitFor();

    const drop = path.join(desk.database.dataDir, 'mail-drop');
    const mail = fs
      .readdirSync(drop)
      .map((f) => fs.readFileSync(path.join(drop, f), 'utf8'))
      .join('\n');
    const token = /reset-password\?token=([A-Za-z0-9_%-]+)/.exec(mail)?.[1];
    expect(token).toBeDefined();

    await page.goto(`/reset-password?token=${token}`);
    await page.getByLabel('Nouveau mot de passe').fill('un-nouveau-mot-de-passe');
    await page.getByRole('button', { name: 'Enregistrer le mot de passe' }).click();
    await expect
      .poll(() => page.getByRole('status').textContent())
      .toContain('Votre mot de passe est changé');

    // The link is spent: a second use is refused with the reason.
    await page.goto(`/reset-password?token=${token}`);
    await page.getByLabel('Nouveau mot de passe').fill('encore-un-autre-mot');
    await page.getByRole('button', { name: 'Enregistrer le mot de passe' }).click();
    await expect.poll(() => page.getByRole('alert').textContent()).toMatch(/invalid|expired/i);

    await page.goto('/login');
    await page.getByLabel('Adresse e-mail').fill(customer.email);
    await page.getByLabel('Mot de passe').fill('un-nouveau-mot-de-passe');
    await page.getByRole('button', { name: 'Se connecter' }).click();
    await page.waitForURL(/\/portal/);
    await context.close();
  });
});
