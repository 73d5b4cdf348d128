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
});
