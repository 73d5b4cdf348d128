import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { ConfigError, loadConfig } from './config.js';

describe('loadConfig', () => {
  it('defaults to the embedded database in ./data on localhost:3000', () => {
    const config = loadConfig({});
    expect(config).toMatchObject({
      port: 3000,
      host: 'localhost',
      databaseUrl: undefined,
      dataDir: path.resolve('data'),
      secureCookies: false,
    });
  });

  it('switches to PostgreSQL with DATABASE_URL and secures cookies behind https', () => {
    const config = loadConfig({
      DATABASE_URL: 'postgres://u@db/accord',
      PUBLIC_URL: 'https://support.example.test',
      PORT: '8080',
    });
    expect(config).toMatchObject({ databaseUrl: 'postgres://u@db/accord', secureCookies: true, port: 8080 });
  });

  it('lists every bad setting at once', () => {
    let message = '';
    try {
      loadConfig({ PORT: 'eighty', DATABASE_URL: 'mysql://x', LOG_LEVEL: 'loud' });
    } catch (error) {
      expect(error).toBeInstanceOf(ConfigError);
      message = (error as Error).message;
    }
    expect(message).toContain('PORT');
    expect(message).toContain('DATABASE_URL');
    expect(message).toContain('LOG_LEVEL');
  });

  it('reads the private hosts status webhooks may reach, and refuses what is not a host', () => {
    expect(loadConfig({}).webhookAllowPrivateHosts).toEqual([]);
    expect(
      loadConfig({ WEBHOOK_ALLOW_PRIVATE_HOSTS: ' Hooks.Internal. , 10.0.0.5,[fd00::5],' })
        .webhookAllowPrivateHosts,
    ).toEqual(['hooks.internal', '10.0.0.5', 'fd00::5']);
    for (const bad of ['https://hooks.internal', 'hooks.internal:8443', '10.0.0.0/8', '*.internal'])
      expect(() => loadConfig({ WEBHOOK_ALLOW_PRIVATE_HOSTS: bad }), bad).toThrow(
        /WEBHOOK_ALLOW_PRIVATE_HOSTS.*must be host names or IP addresses/,
      );
  });
});
