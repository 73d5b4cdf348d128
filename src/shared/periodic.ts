/**
 * Runs `pass` now and then every `intervalMs`, never two at once in this process (a slow pass makes
 * the next one wait for the following tick). The returned function stops the timer and waits for
 * the pass under way. `pass` handles its own errors.
 */
export function runPeriodically(pass: () => Promise<void>, intervalMs: number): () => Promise<void> {
  let running: Promise<void> | null = null;
  let stopped = false;
  const tick = () => {
    if (running || stopped) return;
    running = pass().finally(() => {
      running = null;
    });
  };
  const timer = setInterval(tick, intervalMs);
  timer.unref();
  tick();
  return async () => {
    stopped = true;
    clearInterval(timer);
    await running;
  };
}
