import { request, type APIRequestContext } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { accessibilityViolations } from './accessibility.js';
import { BrowserDesk, chromiumPath, PASSWORD, type Account } from './support.js';

/** The API as one signed-in person: their session cookie, and its CSRF token on writes. */
class ApiSession {
  private constructor(
    private readonly context: APIRequestContext,
    private readonly csrfToken: string,
  ) {}

  static async signIn(desk: BrowserDesk, account: Account): Promise<ApiSession> {
    const context = await request.newContext({ baseURL: desk.baseUrl });
    const login = await context.post('/api/v1/auth/login', {
      data: { email: account.email, password: PASSWORD },
    });
    if (!login.ok()) throw new Error(`sign-in of ${account.email}: ${login.status()}`);
    return new ApiSession(context, ((await login.json()) as { csrfToken: string }).csrfToken);
  }

  async call<T = unknown>(
    method: 'GET' | 'POST' | 'PATCH' | 'PUT',
    path: string,
    body?: unknown,
  ): Promise<T> {
    const response = await this.context.fetch(`/api/v1${path}`, {
      method,
      headers: { 'x-csrf-token': this.csrfToken },
      ...(body === undefined ? {} : { data: body }),
    });
    const text = await response.text();
    if (!response.ok()) throw new Error(`${method} ${path}: ${response.status()} ${text}`);
    return (text ? JSON.parse(text) : undefined) as T;
  }

  close() {
    return this.context.dispose();
  }
}

interface CreatedArticle {
  id: string;
  translations: { locale: string; slug: string; title: string }[];
}

const PASSWORD_ARTICLE = 'Reset your password';
const SYNC_ARTICLE = 'Sync work orders between the mobile app and the web';
const SYNC_ISSUE = 'Work orders stop syncing from the mobile app';

/**
 * The help center where people meet it: suggestions while a customer writes a request (one reads an
 * article and leaves, one sends anyway), what the agent then sees and does with them, the customer's
 * view of the known issue, the staff editor and metrics, and the in-app support button.
 */
describe.skipIf(!chromiumPath())('the help center in Chromium', () => {
  let desk: BrowserDesk;
  let customer: Account;
  let agent: Account;
  let lead: Account;
  let admin: Account;
  let adminApi: ApiSession;
  let syncArticle: CreatedArticle;
  let ticketId: string;

  beforeAll(async () => {
    desk = await BrowserDesk.start({ dialect: 'sqlite' }, { demo: true });
    const org = await desk.organization('Contoso Fleet', 'premium');
    customer = await desk.user('contact', 'Casey Customer', { organizationId: org.id, locale: 'en' });
    agent = await desk.user('agent', 'Avery Agent');
    lead = await desk.user('lead', 'Lee Lead');
    admin = await desk.user('admin', 'Ada Admin');
    // The demo vendor app's support button signs in a user of the organization owning northwind.test.
    await desk.organization('Northwind Logistics', 'enterprise', { domain: 'northwind.test' });

    adminApi = await ApiSession.signIn(desk, admin);
    const category = await adminApi.call<{ id: string }>('POST', '/helpcenter/categories', {
      key: 'field-work',
      titles: { en: 'Field work', fr: 'Travail sur le terrain' },
    });
    const section = await adminApi.call<{ id: string }>('POST', '/helpcenter/sections', {
      categoryId: category.id,
      key: 'accounts-and-sync',
      titles: { en: 'Accounts and sync', fr: 'Comptes et synchronisation' },
    });
    const publish = (body: Record<string, unknown>) =>
      adminApi.call<CreatedArticle>('POST', '/helpcenter/articles', {
        sectionId: section.id,
        status: 'published',
        ...body,
      });
    await publish({
      kind: 'article',
      translations: {
        en: {
          title: PASSWORD_ARTICLE,
          body: 'On the sign-in page choose **Forgot your password?**. We email you a reset link that works for one hour.',
        },
        fr: {
          title: 'Réinitialiser votre mot de passe',
          body: 'Sur la page de connexion, choisissez **Mot de passe oublié ?**. Le lien reçu par courriel vaut une heure.',
        },
      },
    });
    syncArticle = await publish({
      kind: 'article',
      translations: {
        en: {
          title: SYNC_ARTICLE,
          body: 'Work orders created on a phone reach the web once the mobile app syncs, within a minute online.',
        },
        fr: {
          title: 'Synchroniser les bons de travail entre le mobile et le web',
          body: 'Les bons de travail créés sur téléphone arrivent sur le web dès la synchronisation.',
        },
      },
    });
    await publish({
      kind: 'known_issue',
      issueStatus: 'workaround_available',
      fixedIn: '4.3',
      affectedArea: 'Mobile sync',
      translations: {
        en: {
          title: SYNC_ISSUE,
          symptom: 'Work orders created on a phone never appear on the web.',
          workaround: 'Pull down the work order list in the mobile app to sync by hand.',
          body: 'Since version 4.2 the mobile app may stop syncing work orders after it wakes up.',
        },
        fr: {
          title: 'Les bons de travail ne se synchronisent plus depuis le mobile',
          symptom: 'Les bons créés sur téléphone n’apparaissent pas sur le web.',
          workaround: 'Tirez la liste des bons vers le bas pour synchroniser à la main.',
          body: 'Depuis la version 4.2, l’application mobile peut cesser de synchroniser les bons.',
        },
      },
    });
  });
  afterAll(async () => {
    await adminApi?.close();
    await desk?.close();
  });

  it('suggests articles while a customer writes: one answers the question, the next request is sent anyway', async () => {
    const context = await desk.context('en-US');
    const page = await desk.signIn(context, customer);
    await page.goto('/portal/new');
    // Misspelled on purpose: the suggestions tolerate typos.
    await page.getByLabel('Subject').fill('pasword reset not working');
    const suggestions = page.getByTestId('suggestions');
    const suggestion = suggestions.getByRole('button', { name: PASSWORD_ARTICLE });
    await suggestion.waitFor();
    expect(await suggestions.getByRole('heading').textContent()).toBe(
      'These articles may answer your question',
    );
    expect(await accessibilityViolations(page)).toEqual([]);

    await suggestion.click();
    const dialog = page.getByRole('dialog', { name: PASSWORD_ARTICLE });
    await expect.poll(() => dialog.getByTestId('suggested-article').textContent()).toContain('reset link');
    expect(await dialog.getByRole('link', { name: /Open in the help center/ }).getAttribute('href')).toMatch(
      /^\/hc\/en\/articles\//,
    );
    expect(await accessibilityViolations(page)).toEqual([]);
    await dialog.getByRole('button', { name: 'This answered my question' }).click();
    await page.waitForURL((url) => url.pathname === '/portal');
    await expect
      .poll(() => page.getByRole('status').allTextContents())
      .toContain('Glad the article helped. No request was sent.');

    await page.getByRole('link', { name: 'New request' }).click();
    await page.getByLabel('Subject').fill('Work orders not syncing from the mobile app');
    await page
      .getByLabel('Description')
      .fill('Work orders created on my phone this morning are missing on the web.');
    const issue = page.getByTestId('suggestions').getByRole('listitem').filter({ hasText: SYNC_ISSUE });
    await expect.poll(() => issue.textContent()).toContain('Known issue: Workaround available');
    await page.getByRole('button', { name: 'Send request' }).click();
    await page.waitForURL(/\/portal\/tickets\//);
    ticketId = new URL(page.url()).pathname.split('/').at(-1)!;
    await context.close();

    const leadApi = await ApiSession.signIn(desk, lead);
    const from = new Date(Date.now() - 86_400_000).toISOString();
    const to = new Date(Date.now() + 86_400_000).toISOString();
    const totals = () =>
      leadApi
        .call<{ totals: Record<string, number> }>('GET', `/helpcenter/metrics?from=${from}&to=${to}`)
        .then((m) => m.totals);
    await expect
      .poll(totals)
      .toMatchObject({ deflections: 1, ticketsAfterSuggestions: 1, suggestionsOpened: 1 });
    expect((await totals()).suggestionsShown).toBeGreaterThanOrEqual(2);
    await leadApi.close();
  });

  it('shows the agent what the customer saw; the agent answers with an article and links the known issue', async () => {
    const context = await desk.context('en-US');
    const page = await desk.signIn(context, agent);
    await page.goto(`/console/tickets/${ticketId}`);
    const panel = page.getByTestId('helpcenter-panel');
    const shown = panel.getByTestId('hc-shown');
    await expect.poll(() => shown.textContent()).toContain(SYNC_ISSUE);
    const shownIssue = shown.getByRole('listitem').filter({ hasText: SYNC_ISSUE });
    expect(await shownIssue.textContent()).toContain('(not opened)');

    const answerButton = panel.getByRole('button', { name: `Send as answer: ${SYNC_ARTICLE}` }).first();
    await answerButton.click();
    const slug = syncArticle.translations.find((t) => t.locale === 'en')!.slug;
    const answer = page.getByTestId('message').filter({ hasText: `/hc/en/articles/${slug}` });
    await expect.poll(() => answer.count()).toBe(1);
    expect(await answer.textContent()).toContain(SYNC_ARTICLE);

    await panel
      .getByRole('button', { name: `Link to ticket: ${SYNC_ISSUE}` })
      .first()
      .click();
    await expect.poll(() => panel.getByTestId('hc-linked').textContent()).toContain(SYNC_ISSUE);
    expect(await accessibilityViolations(page)).toEqual([]);
    await context.close();

    const customerContext = await desk.context('en-US');
    const portal = await desk.signIn(customerContext, customer);
    await portal.goto(`/portal/tickets/${ticketId}`);
    const box = portal.getByTestId('ticket-known-issues');
    await expect.poll(() => box.textContent()).toContain(SYNC_ISSUE);
    expect(await box.textContent()).toContain('Fixed in 4.3');
    expect(await box.textContent()).toContain(SYNC_ARTICLE);
    await customerContext.close();
  });

  it('lets any agent edit an article, leads create and publish one, and read the metrics', async () => {
    const agentContext = await desk.context('en-US');
    const page = await desk.signIn(agentContext, agent);
    await page.getByRole('link', { name: 'Help center' }).click();
    await page.getByRole('link', { name: SYNC_ISSUE }).click();
    await page.getByRole('tab', { name: /Français/ }).click();
    await page
      .getByLabel('Summary')
      .fill('Les bons créés sur mobile restent bloqués : synchronisez à la main.');
    await page.getByRole('button', { name: 'Save' }).click();
    await expect.poll(() => page.getByRole('status').allTextContents()).toContain('Saved.');
    await expect.poll(() => page.getByText('Revision 2').count()).toBe(1);
    expect(await accessibilityViolations(page)).toEqual([]);
    await agentContext.close();

    const leadContext = await desk.context('en-US');
    const admin = await desk.signIn(leadContext, lead);
    await admin.goto('/admin/helpcenter/articles');
    await admin.getByRole('link', { name: 'New article' }).click();
    await admin.getByLabel('Title').fill('Print a work order');
    await admin.getByLabel('Body').fill('Open the work order and choose **Print**.');
    await admin.getByRole('button', { name: 'Create draft' }).click();
    await admin.waitForURL(/\/admin\/helpcenter\/articles\/[^/]+$/);
    await admin.getByRole('button', { name: 'Publish' }).click();
    await expect.poll(() => admin.locator('.hc-meta .badge').textContent()).toBe('Published');

    await admin.getByRole('link', { name: 'Help center', exact: true }).click();
    await admin.getByRole('link', { name: 'Articles', exact: true }).waitFor();
    await admin.getByRole('link', { name: 'Print a work order' }).waitFor();
    expect(await accessibilityViolations(admin)).toEqual([]);

    await admin.getByRole('link', { name: 'Categories and sections' }).click();
    const createSection = admin.getByRole('region', { name: 'Create section' });
    await createSection.getByLabel('Key').fill('work-orders');
    await createSection.getByLabel('Title (English)').fill('Work orders');
    await createSection.getByLabel('Title (Français)').fill('Bons de travail');
    await createSection.getByRole('button', { name: 'Create section' }).click();
    await expect
      .poll(() => admin.getByRole('table').textContent())
      .toContain('Work orders / Bons de travail');
    expect(await accessibilityViolations(admin)).toEqual([]);

    await admin.getByRole('link', { name: 'Metrics' }).click();
    const deflections = admin.getByTestId('metric-deflections').locator('dd');
    await expect.poll(() => deflections.textContent()).toBe('1');
    expect(await accessibilityViolations(admin)).toEqual([]);
    await leadContext.close();
  });

  it('suggests articles in the language the form is shown in', async () => {
    // The form is in the language of the person's profile: a colleague of Casey's who reads French.
    const french = await desk.user('member', 'Camille Client', {
      organizationId: customer.organizationId!,
      locale: 'fr',
    });
    const context = await desk.context('en-US', 'Europe/Paris');
    const page = await desk.signIn(context, french);
    await page.goto('/portal/new');
    await page.getByLabel('Objet').fill('mot de pase oublié');
    const suggestion = page
      .getByTestId('suggestions')
      .getByRole('button', { name: 'Réinitialiser votre mot de passe' });
    await suggestion.waitFor();
    expect(await page.getByTestId('suggestions').getByRole('heading').textContent()).toBe(
      'Ces articles répondent peut-être à votre question',
    );
    await context.close();
  });

  it('suggests articles in the in-app support button too', async () => {
    const context = await desk.context('en-US');
    const page = await context.newPage();
    await page.goto('/demo/');
    await page.locator('#accord-support-button').click();
    const frame = page.frameLocator('#accord-support-frame');
    await frame.getByLabel('Subject').fill('pasword reset');
    const suggestion = frame.getByTestId('suggestions').getByRole('button', { name: PASSWORD_ARTICLE });
    await suggestion.click();
    const dialog = frame.getByRole('dialog', { name: PASSWORD_ARTICLE });
    await dialog.getByTestId('suggested-article').waitFor();
    // Escape closes the article and gives focus back to its suggestion; the support panel stays open.
    await page.keyboard.press('Escape');
    await dialog.waitFor({ state: 'hidden' });
    expect(await page.locator('#accord-support-frame').isVisible()).toBe(true);
    expect(await frame.locator(':focus').textContent()).toBe(PASSWORD_ARTICLE);
    await page.keyboard.press('Enter');
    await dialog.getByRole('button', { name: 'This answered my question' }).click();
    await expect
      .poll(() => frame.getByRole('status').allTextContents())
      .toContainEqual(expect.stringContaining('No request was sent'));
    const sessions = await desk.database.db.kysely
      .selectFrom('hc_suggestion_sessions')
      .select(['channel'])
      .where('channel', '=', 'widget')
      .execute();
    expect(sessions).toHaveLength(1);
    await context.close();
  });
});
