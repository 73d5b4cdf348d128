import type { AddressInfo } from 'node:net';
import type { Browser, BrowserContext, Page } from 'playwright-core';
import { inject } from 'vitest';
import type { Principal, Role } from '../../src/auth/principal.js';
import { loadConfig } from '../../src/config.js';
import { MailDrop } from '../../src/notifications/mail-drop.js';
import path from 'node:path';
import type { Tier } from '../../src/policy/tiers.js';
import { buildApp } from '../../src/server.js';
import { startServices, type Services } from '../../src/services.js';
import type { FastifyInstance } from 'fastify';
import { launchChromium } from '../support/chromium.js';
import { createTestDatabase, type DatabaseTarget, type TestDatabase } from '../support/databases.js';

export const chromiumPath = (): string | null => inject('chromiumPath');

export const PASSWORD = 'browser-test-password';
export const EMBED_SECRET = 'browser-test-embed-secret-0123456789abcdef';

export interface Account {
  id: string;
  email: string;
  name: string;
  role: Role;
  organizationId: string | null;
  locale: 'en' | 'fr' | null;
}

/** The account as the services see a caller, for setting the scene without the browser. */
export const principal = (a: Account): Principal => ({ userId: a.id, via: 'token', ...a });

/**
 * A desk served over HTTP on a fresh database, on the real clock (the browser's countdowns read the
 * real clock too), with a Chromium to drive it.
 */
export class BrowserDesk {
  private sequence = 0;
  private constructor(
    readonly app: FastifyInstance,
    readonly services: Services,
    readonly database: TestDatabase,
    readonly browser: Browser,
    readonly baseUrl: string,
  ) {}

  static async start(target: DatabaseTarget, options: { demo?: boolean } = {}): Promise<BrowserDesk> {
    const executablePath = chromiumPath();
    if (!executablePath) throw new Error('Chromium is not available');
    const database = await createTestDatabase(target);
    const config = loadConfig({ DATA_DIR: database.dataDir, LOG_LEVEL: 'silent', EMBED_SECRET });
    // Mail is written to the data folder as it is sent, for tests to read (the outbox needs a worker).
    const services = await startServices(config, database.db, {
      mailer: new MailDrop(path.join(database.dataDir, 'mail-drop')),
    });
    const app = await buildApp({ config, services, logger: false, demo: options.demo ?? false });
    await app.listen({ port: 0, host: '127.0.0.1' });
    const baseUrl = `http://127.0.0.1:${(app.server.address() as AddressInfo).port}`;
    const browser = await launchChromium(executablePath);
    return new BrowserDesk(app, services, database, browser, baseUrl);
  }

  async close() {
    await this.browser.close();
    await this.app.close();
    await this.database.drop();
  }

  async organization(
    name: string,
    tier: Tier | null,
    options: { locale?: 'en' | 'fr'; domain?: string } = {},
  ) {
    this.sequence += 1;
    const now = Date.now();
    return this.services.organizations.create(null, {
      name,
      domains: [options.domain ?? `org${this.sequence}-${now}.test`],
      locale: options.locale ?? 'en',
      ...(tier
        ? {
            subscription: {
              tier,
              termStart: new Date(now - 30 * 86400_000).toISOString(),
              termEnd: new Date(now + 335 * 86400_000).toISOString(),
            },
          }
        : {}),
    });
  }

  async user(
    role: 'agent' | 'lead' | 'admin' | 'contact' | 'member',
    name: string,
    options: { organizationId?: string; locale?: 'en' | 'fr' } = {},
  ): Promise<Account> {
    this.sequence += 1;
    const user = await this.services.users.create(null, {
      email: `${role}${this.sequence}@browser.test`,
      name,
      role,
      password: PASSWORD,
      ...(options.organizationId ? { organizationId: options.organizationId } : {}),
      ...(options.locale ? { locale: options.locale } : {}),
    });
    return {
      id: user.id,
      email: user.email,
      name: user.name,
      role: user.role,
      organizationId: user.organizationId,
      locale: user.locale,
    };
  }

  /** A browser profile of its own (cookies, storage), in a language and time zone. */
  context(
    locale: 'en-US' | 'fr-FR',
    timezoneId = 'America/New_York',
    viewport = { width: 1280, height: 900 },
  ) {
    return this.browser.newContext({ locale, timezoneId, viewport, baseURL: this.baseUrl });
  }

  /** Signs in through the sign-in page, with its labels in the page's language. */
  async signIn(
    context: BrowserContext,
    account: Account,
    labels = { email: 'Email', password: 'Password', submit: 'Sign in' },
  ): Promise<Page> {
    const page = await context.newPage();
    await page.goto('/login');
    await page.getByLabel(labels.email).fill(account.email);
    await page.getByLabel(labels.password).fill(PASSWORD);
    await page.getByRole('button', { name: labels.submit }).click();
    await page.waitForURL((url) => !url.pathname.startsWith('/login'));
    return page;
  }
}

export const FRENCH_LABELS = { email: 'Adresse e-mail', password: 'Mot de passe', submit: 'Se connecter' };
