import { existsSync } from 'node:fs';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { WEB_ROOT } from '../../src/webapp/routes.js';
import { TestDesk } from '../support/desk.js';

describe('the browser app served by the desk', () => {
  let desk: TestDesk;
  beforeAll(async () => {
    desk = await TestDesk.start({ dialect: 'sqlite' });
  });
  afterAll(() => desk?.close());

  it('is built by npm install (the prepare script) into dist/web', () => {
    expect(existsSync(`${WEB_ROOT}/index.html`)).toBe(true);
    expect(existsSync(`${WEB_ROOT}/embed.js`)).toBe(true);
  });

  it('answers every app route with the app page, not framable except the widget', async () => {
    for (const path of [
      '/',
      '/login',
      '/forgot-password',
      '/reset-password?token=x',
      '/console',
      '/console/tickets/123',
      '/portal/new',
      '/admin/policy',
    ]) {
      const res = await desk.api('GET', path);
      expect(res.statusCode, path).toBe(200);
      expect(res.headers['content-type'], path).toContain('text/html');
      expect(res.body, path).toContain('<div id="root">');
      expect(res.headers['content-security-policy'], path).toContain("frame-ancestors 'self'");
      expect(res.headers['x-content-type-options']).toBe('nosniff');
    }
    const widget = await desk.api('GET', '/widget/?token=abc');
    expect(widget.statusCode).toBe(200);
    expect(widget.headers['content-security-policy']).toContain('frame-ancestors *');
  });

  it('serves the embed script and hashed assets; the API stays closed and unknown paths are 404', async () => {
    const script = await desk.api('GET', '/embed.js');
    expect(script.statusCode).toBe(200);
    expect(script.headers['content-type']).toContain('javascript');
    const page = await desk.api('GET', '/');
    const asset = /src="(\/assets\/[^"]+\.js)"/.exec(page.body)?.[1];
    expect(asset).toBeDefined();
    const js = await desk.api('GET', asset!);
    expect(js.statusCode).toBe(200);
    expect(js.headers['cache-control']).toContain('immutable');
    expect((await desk.api('GET', '/api/v1/tickets')).statusCode).toBe(401);
    const missing = await desk.api('GET', '/no-such-page');
    expect(missing.statusCode).toBe(404);
    expect(missing.headers['content-type']).toContain('application/problem+json');
    expect((await desk.api('GET', '/assets/../../package.json')).statusCode).toBe(404);
  });

  it('has no demo token endpoint on a desk that is not a demo', async () => {
    expect((await desk.api('GET', '/demo/token')).statusCode).toBe(404);
  });
});
