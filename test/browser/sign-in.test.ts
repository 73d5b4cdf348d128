import type { BrowserContext } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { accessibilityViolations } from './accessibility.js';
import { BrowserDesk, chromiumPath, FRENCH_LABELS, type Account } from './support.js';

const ENGLISH_LABELS = { email: 'Email', password: 'Password', submit: 'Sign in' };

/** Signs in with a password that is not the account's, through the sign-in page. */
async function signInWrongly(context: BrowserContext, email: string, labels = ENGLISH_LABELS) {
  const page = await context.newPage();
  await page.goto('/login');
  await page.getByLabel(labels.email).fill(email);
  await page.getByLabel(labels.password).fill('not the password at all');
  await page.getByRole('button', { name: labels.submit, exact: true }).click();
  const alert = page.getByRole('alert');
  await alert.waitFor();
  return { page, text: await alert.innerText() };
}

/**
 * Failing to sign in says why in the reader's language, never the API's problem title; too many
 * failures say when to try again.
 */
describe.skipIf(!chromiumPath())('signing in, in Chromium', () => {
  let desk: BrowserDesk;
  let agent: Account;

  beforeAll(async () => {
    desk = await BrowserDesk.start({ dialect: 'sqlite' });
    agent = await desk.user('agent', 'Omar Agent');
  });
  afterAll(() => desk?.close());

  it('a wrong password reads as a sentence, in English and in French', async () => {
    const english = await desk.context('en-US');
    const { page, text } = await signInWrongly(english, agent.email);
    expect(text).toBe('The email or password is wrong.');
    expect(await page.getByText('Unauthorized').count()).toBe(0);
    expect(await accessibilityViolations(page)).toEqual([]);
    await english.close();

    const french = await desk.context('fr-FR', 'Europe/Paris');
    const frenchTry = await signInWrongly(french, agent.email, FRENCH_LABELS);
    expect(frenchTry.text).toBe("L'adresse e-mail ou le mot de passe est incorrect.");
    await french.close();
  });

  it('too many attempts say so, and when to try again, in English and in French', async () => {
    const english = await desk.context('en-US');
    const french = await desk.context('fr-FR', 'Europe/Paris');
    // Ten failures for one address in 15 minutes: the next attempt is refused before any check.
    for (const email of ['throttled@browser.test', 'limite@browser.test'])
      for (let i = 0; i < 10; i++) {
        const res = await english.request.post('/api/v1/auth/login', {
          data: { email, password: 'not the password at all' },
        });
        expect(res.status()).toBe(401);
      }
    const { text } = await signInWrongly(english, 'throttled@browser.test');
    // The first failure leaves the window in 15 minutes less the seconds since, shown in whole minutes.
    expect(text).toMatch(/^Too many sign-in attempts\. Try again in 15 minutes, at \d{1,2}:\d{2}\s[AP]M\.$/);
    const frenchTry = await signInWrongly(french, 'limite@browser.test', FRENCH_LABELS);
    expect(frenchTry.text).toMatch(
      /^Trop de tentatives de connexion\. Réessayez dans 15 minutes, à \d{2}:\d{2}\.$/,
    );
    await english.close();
    await french.close();
  });

  it('a desk that is not a demo names no demo login', async () => {
    const context = await desk.context('en-US');
    const page = await context.newPage();
    const asked = page.waitForResponse((r) => new URL(r.url()).pathname === '/api/v1/demo');
    await page.goto('/login');
    expect((await asked).status()).toBe(404);
    await page.getByRole('heading', { name: 'Sign in to Accord' }).waitFor();
    expect(await page.getByRole('heading', { name: 'Try the demo' }).count()).toBe(0);
    expect(await page.getByText('accord-demo-password').count()).toBe(0);
    await context.close();
  });
});
