import fs from 'node:fs';
import net from 'node:net';
import os from 'node:os';
import path from 'node:path';
import type { Browser, BrowserContext, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { launchChromium } from '../support/chromium.js';
import { startServer, type RunningServer } from '../support/process.js';
import { accessibilityViolations } from './accessibility.js';
import { chromiumPath } from './support.js';

const AGENT = { email: 'omar@accord.test', password: 'accord-demo-password', name: 'Omar Agent' };
// A customer of the demo's Fabrikam, writing from the public website (not signed in).
const VISITOR = { name: 'Camille Roy', email: 'camille@fabrikam.test' };
const FIRST = 'Our work orders stopped syncing this morning.';
const REPLY = 'Hello Camille, I am looking at it now.';
const DURING_RESTART = 'Are you still there?';
const AFTER_RESTART = 'Still here: the sync service restarted.';

async function freePort(): Promise<number> {
  const server = net.createServer();
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as net.AddressInfo;
  await new Promise((resolve) => server.close(resolve));
  return port;
}

/**
 * Live chat as people meet it, on a desk that runs as its own process (the demo desk, with its
 * agents and organizations): a visitor on the plain demo website chats with an agent in the
 * console; the desk restarts in the middle and no message is lost or doubled; the agent turns the
 * chat into a ticket that holds the transcript.
 */
describe.skipIf(!chromiumPath())('live chat in Chromium', () => {
  let dataDir: string;
  let port: number;
  let server: RunningServer;
  let browser: Browser;
  let visitorContext: BrowserContext;
  let agentContext: BrowserContext;
  const env = () => ({ DATA_DIR: dataDir, PORT: String(port), HOST: '127.0.0.1', LOG_LEVEL: 'warn' });

  beforeAll(async () => {
    dataDir = fs.mkdtempSync(path.join(os.tmpdir(), 'accord-chat-browser-'));
    port = await freePort();
    server = await startServer(env(), 180_000);
    browser = await launchChromium(chromiumPath()!);
    const baseURL = `http://127.0.0.1:${port}`;
    visitorContext = await browser.newContext({ baseURL, locale: 'en-US' });
    agentContext = await browser.newContext({ baseURL, locale: 'en-US' });
  }, 200_000);

  afterAll(async () => {
    await browser?.close();
    await server?.stop();
    if (dataDir) fs.rmSync(dataDir, { recursive: true, force: true });
  });

  const agentLog = (page: Page) => page.getByRole('log', { name: `Chat with ${VISITOR.name}` });
  const visitorLog = (page: Page) => page.getByRole('log', { name: 'Messages' });
  const occurrences = async (page: Page, text: string) =>
    (await page.getByText(text, { exact: true }).all()).length;

  it('a visitor chats with an agent, across a restart of the desk, and the chat becomes a ticket', async () => {
    const agent = await agentContext.newPage();
    await agent.goto('/login');
    await agent.getByLabel('Email').fill(AGENT.email);
    await agent.getByLabel('Password').fill(AGENT.password);
    await agent.getByRole('button', { name: 'Sign in' }).click();
    await agent.waitForURL((url) => !url.pathname.startsWith('/login'));
    await agent.goto('/console/chats');
    await agent.getByRole('radio', { name: 'Online' }).check();

    // The visitor, on the vendor's plain website, opens the chat button (inside its shadow root).
    const visitor = await visitorContext.newPage();
    await visitor.goto('/demo/website.html');
    await visitor.getByRole('button', { name: /Chat with us/ }).click();
    await visitor.getByLabel('Your name').fill(VISITOR.name);
    await visitor.getByLabel('Your email').fill(VISITOR.email);
    await visitor.getByLabel('How urgent is it?').selectOption('P1');
    await visitor.getByLabel('How can we help?').fill(FIRST);
    await visitor.getByRole('button', { name: 'Start chat' }).click();
    await expect.poll(() => visitorLog(visitor).getByText(FIRST).count()).toBe(1);

    // The agent hears of it, sees who it is, and takes it.
    const row = agent.getByTestId('chat-queue-row').filter({ hasText: VISITOR.name });
    await expect.poll(() => row.count(), { timeout: 20_000 }).toBe(1);
    expect(await row.textContent()).toMatch(/Fabrikam/);
    await agent.getByRole('button', { name: `Accept chat with ${VISITOR.name}` }).click();
    await expect.poll(() => agentLog(agent).getByText(FIRST).count()).toBe(1);
    await agent.getByRole('textbox', { name: 'Message' }).fill(REPLY);
    await agent.getByRole('textbox', { name: 'Message' }).press('Enter');
    await expect.poll(() => visitorLog(visitor).getByText(REPLY).count(), { timeout: 15_000 }).toBe(1);
    // Shown as text, never as markup, and the visitor's screen tells the agent it was seen.
    const delivery = agent
      .getByTestId('chat-message')
      .filter({ hasText: REPLY })
      .getByTestId('chat-delivery');
    await expect.poll(() => delivery.getAttribute('data-state'), { timeout: 15_000 }).toBe('seen');
    expect(await accessibilityViolations(agent)).toEqual([]);

    // The desk stops in the middle of the chat; the visitor writes meanwhile.
    await server.stop();
    await visitor.getByLabel('Your message').fill(DURING_RESTART);
    await visitor.getByLabel('Your message').press('Enter');
    server = await startServer(env(), 120_000);
    // The visitor's client resends what was not acknowledged; it arrives once.
    await expect.poll(() => agentLog(agent).getByText(DURING_RESTART).count(), { timeout: 30_000 }).toBe(1);
    await agent.getByRole('textbox', { name: 'Message' }).fill(AFTER_RESTART);
    await agent.getByRole('textbox', { name: 'Message' }).press('Enter');
    await expect
      .poll(() => visitorLog(visitor).getByText(AFTER_RESTART).count(), { timeout: 30_000 })
      .toBe(1);
    for (const text of [FIRST, REPLY, DURING_RESTART, AFTER_RESTART]) {
      expect(await occurrences(visitor, text)).toBe(1);
      expect(await agentLog(agent).getByText(text, { exact: true }).count()).toBe(1);
    }
    // A reload of the visitor's page rebuilds the same conversation, still without repeats.
    await visitor.reload();
    await expect
      .poll(() => visitorLog(visitor).getByText(AFTER_RESTART).count(), { timeout: 15_000 })
      .toBe(1);
    expect(await visitorLog(visitor).getByText(DURING_RESTART, { exact: true }).count()).toBe(1);

    // The agent turns the chat into a ticket: its transcript becomes the ticket's conversation.
    await agent.getByRole('button', { name: 'Turn into ticket' }).click();
    expect(await agent.getByLabel('Subject').inputValue()).toBe(FIRST);
    await agent.getByRole('button', { name: 'Create ticket' }).click();
    const link = agent.getByTestId('chat-ticket-link');
    await expect.poll(() => link.count(), { timeout: 15_000 }).toBe(1);
    const number = await link.getAttribute('data-ticket-number');
    expect(Number(number)).toBeGreaterThan(0);
    await link.click();
    await agent.waitForURL(/\/console\/tickets\//);
    for (const text of [FIRST, REPLY, DURING_RESTART, AFTER_RESTART])
      await expect.poll(() => agent.getByText(text, { exact: true }).count(), { timeout: 15_000 }).toBe(1);
    // The visitor is told, in the chat.
    await expect
      .poll(() =>
        visitorLog(visitor).getByText(`This chat is now ticket #${number}`, { exact: false }).count(),
      )
      .toBe(1);

    // The agent ends the chat; the visitor can still have the transcript mailed.
    await agent.goBack();
    await agent.getByTestId('chat-end').click();
    await expect
      .poll(() => visitor.getByText('The chat has ended.', { exact: true }).count(), { timeout: 15_000 })
      .toBe(1);
    await visitor.getByRole('button', { name: 'Email me the transcript' }).click();
    await expect
      .poll(() => visitor.getByText(`Chat ended. Transcript sent to ${VISITOR.email}.`).count(), {
        timeout: 15_000,
      })
      .toBe(1);
  }, 240_000);
});
