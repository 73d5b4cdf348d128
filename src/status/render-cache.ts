import { createHash } from 'node:crypto';
import type { Clock } from '../shared/time.js';

/** A rendered public page or document: what is sent, and the tag that names it. */
export interface Rendering {
  status: number;
  body: string;
  etag: string;
}

interface Entry {
  rendering: Rendering;
  version: number;
  renderedAt: number;
  refreshing?: Promise<void> | undefined;
}

export interface StatusRenderCacheOptions {
  /** The status page's version: the counter the status tables' triggers move in every write. */
  readVersion: () => Promise<number>;
  clock: Clock;
  /**
   * How long a rendering of an unchanged page is served before it is rendered again, for what moves
   * with time alone (today's uptime, the policy's time zone and name); the reader is not kept
   * waiting for that: the previous rendering is served meanwhile.
   */
  maxAgeMs: number;
  /** Renderings kept (incident pages and history cursors each take one). */
  maxEntries?: number;
}

/** A strong tag of the body: the same body has the same tag in every process. */
export function etagOf(body: string): string {
  return `"${createHash('sha1').update(body).digest('base64url').slice(0, 22)}"`;
}

/** Whether an If-None-Match header names this tag (a weak comparison, as RFC 9110 asks for GET). */
export function matchesEtag(header: string | string[] | undefined, etag: string): boolean {
  if (header === undefined) return false;
  const value = Array.isArray(header) ? header.join(',') : header;
  if (value.trim() === '*') return true;
  return value.split(',').some((tag) => tag.trim().replace(/^W\//, '') === etag);
}

/**
 * The public status page's renderings, kept per process and per address (page and locale). Every
 * read first learns the status version (one primary-key read, begun after the request arrived and
 * shared by all requests waiting for it), so a change is shown by the first request that follows
 * its commit, whichever process made it; an unchanged page is served from memory, without reading
 * the status tables, however busy the database is.
 */
export class StatusRenderCache {
  private readonly entries = new Map<string, Entry>();
  private readonly rendering = new Map<string, Promise<Entry>>();
  private readonly maxEntries: number;
  private versionRead: Promise<number> | undefined;
  private nextVersionRead: Promise<number> | undefined;

  constructor(private readonly options: StatusRenderCacheOptions) {
    this.maxEntries = options.maxEntries ?? 500;
  }

  /** The current rendering at `key`, rendered by `render` when there is none for this version. */
  async get(key: string, render: () => Promise<Omit<Rendering, 'etag'>>): Promise<Rendering> {
    const version = await this.version();
    const entry = this.entries.get(key);
    if (entry && entry.version >= version) {
      if (this.options.clock() - entry.renderedAt >= this.options.maxAgeMs && !entry.refreshing) {
        entry.refreshing = this.renderOnce(key, version, render)
          .then(() => undefined)
          .catch(() => {
            // The stale rendering stays; the next read past its age tries again.
            entry.refreshing = undefined;
          });
      }
      this.touch(key, entry);
      return entry.rendering;
    }
    return (await this.renderOnce(key, version, render)).rendering;
  }

  /** Renders `key` at least at `version`, once however many requests ask at the same time. */
  private renderOnce(
    key: string,
    version: number,
    render: () => Promise<Omit<Rendering, 'etag'>>,
  ): Promise<Entry> {
    const pending = this.rendering.get(key);
    if (pending) {
      // A rendering begun for an older version may have read the tables before this change.
      return pending.then((entry) =>
        entry.version >= version ? entry : this.renderOnce(key, version, render),
      );
    }
    const started = this.options.clock();
    const promise = render()
      .then((out): Entry => {
        // Read after the version was, so at least as new as it: stamped with it.
        const entry: Entry = {
          rendering: { ...out, etag: etagOf(out.body) },
          version,
          renderedAt: started,
        };
        const current = this.entries.get(key);
        if (!current || current.version <= version) this.touch(key, entry);
        return entry;
      })
      .finally(() => {
        if (this.rendering.get(key) === promise) this.rendering.delete(key);
      });
    this.rendering.set(key, promise);
    return promise;
  }

  private touch(key: string, entry: Entry) {
    this.entries.delete(key);
    this.entries.set(key, entry);
    while (this.entries.size > this.maxEntries) this.entries.delete(this.entries.keys().next().value!);
  }

  /**
   * The status version as of a read that began after this call: joins the read in flight only when
   * none is, else the one queued behind it, so one read at a time serves any number of requests.
   */
  private version(): Promise<number> {
    if (!this.versionRead) return this.startVersionRead();
    this.nextVersionRead ??= this.versionRead
      .catch(() => undefined)
      .then(() => {
        this.nextVersionRead = undefined;
        return this.startVersionRead();
      });
    return this.nextVersionRead;
  }

  private startVersionRead(): Promise<number> {
    const read = this.options.readVersion().finally(() => {
      if (this.versionRead === read) this.versionRead = undefined;
    });
    this.versionRead = read;
    return read;
  }
}
