import { existsSync, readFileSync } from 'node:fs';
import path from 'node:path';
import { gzipSync } from 'node:zlib';
import { describe, expect, it } from 'vitest';
import { WEB_ROOT } from '../src/webapp/routes.js';

interface ManifestChunk {
  file: string;
  imports?: string[];
  css?: string[];
  isEntry?: boolean;
}

const manifest = JSON.parse(readFileSync(path.join(WEB_ROOT, '.vite/manifest.json'), 'utf8')) as Record<
  string,
  ManifestChunk
>;

/** The files a route downloads: its chunk and everything it statically imports, once each. */
function filesOf(keys: string[]): Set<string> {
  const files = new Set<string>();
  const visit = (key: string) => {
    const chunk = manifest[key];
    if (!chunk || files.has(chunk.file)) return;
    files.add(chunk.file);
    chunk.css?.forEach((c) => files.add(c));
    chunk.imports?.forEach(visit);
  };
  keys.forEach(visit);
  return files;
}

const gzipped = (files: Set<string>, ext: string) =>
  [...files]
    .filter((f) => f.endsWith(ext))
    .reduce((sum, f) => sum + gzipSync(readFileSync(path.join(WEB_ROOT, f))).length, 0);

describe('the browser app\u2019s download budget', () => {
  const entry = Object.keys(manifest).find((k) => manifest[k]!.isEntry)!;
  const area = (name: string) => Object.keys(manifest).find((k) => k.endsWith(`/${name}.tsx`))!;

  it('keeps the customer portal under 200 KB of gzipped JavaScript, without the console or admin', () => {
    const portal = filesOf([entry, area('PortalArea')]);
    const bytes = gzipped(portal, '.js');
    expect(bytes).toBeGreaterThan(10_000);
    expect(bytes).toBeLessThan(200 * 1024);
    for (const other of ['ConsoleArea', 'AdminArea'])
      expect(portal.has(manifest[area(other)]!.file)).toBe(false);
  });

  it('keeps the in-app widget under the same budget', () => {
    expect(gzipped(filesOf([entry, area('WidgetArea')]), '.js')).toBeLessThan(200 * 1024);
  });
});

describe('the live chat button', () => {
  it('ships as one script, dist/web/chat.js, between 3 KB and 50 KB gzipped', () => {
    const file = path.join(WEB_ROOT, 'chat.js');
    expect(existsSync(file)).toBe(true);
    const bytes = gzipSync(readFileSync(file)).length;
    expect(bytes).toBeGreaterThan(3 * 1024);
    expect(bytes).toBeLessThan(50 * 1024);
  });
});
