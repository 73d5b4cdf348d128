/**
 * A fixed-window counter per key, held by one server process: the cap on the messages and typing
 * signals a chat side may send, on public help center searches per address. Keys are forgotten
 * when their window has passed, and the table never grows past `maxKeys` (the oldest windows are
 * dropped first).
 */
export class WindowLimiter {
  private readonly windows = new Map<string, { start: number; count: number }>();

  constructor(
    readonly limit: number,
    readonly windowMs: number,
    private readonly maxKeys = 100_000,
  ) {}

  /** Counts one event; the seconds to wait when it is over the limit, else 0. */
  hit(key: string, now: number): number {
    let window = this.windows.get(key);
    if (!window || now - window.start >= this.windowMs) {
      this.windows.delete(key);
      window = { start: now, count: 0 };
      this.windows.set(key, window);
      this.prune(now);
    }
    window.count += 1;
    if (window.count <= this.limit) return 0;
    return Math.max(1, Math.ceil((window.start + this.windowMs - now) / 1000));
  }

  private prune(now: number) {
    if (this.windows.size <= this.maxKeys) return;
    for (const [key, window] of this.windows) {
      if (this.windows.size <= this.maxKeys && now - window.start < this.windowMs) break;
      this.windows.delete(key);
    }
  }
}
