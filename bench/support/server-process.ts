import { fork } from 'node:child_process';
import { registerCleanup } from './common.js';

/** A server under measure in a child process: its HTTP and SMTP ports on 127.0.0.1. */
export interface ServerProcess {
  name: string;
  pid: number;
  base: string;
  smtpPort: number;
  /** Stops the process (SIGTERM, then SIGKILL after 15 s); runs once. */
  stop: () => Promise<void>;
}

interface Ready {
  type: 'ready';
  http: number;
  smtp: number;
}

/**
 * Starts a TypeScript server script as a child of this process (through tsx) and waits until it
 * reports its ports with `process.send({ type: 'ready', http, smtp })`. Its output goes to ours;
 * Ctrl-C stops it with the rest of the run.
 */
export async function startServerProcess(
  name: string,
  script: string,
  env: Record<string, string>,
  timeoutMs = 180_000,
): Promise<ServerProcess> {
  const child = fork(script, [], {
    execArgv: ['--import', 'tsx'],
    env: { ...process.env, ...env },
    stdio: ['ignore', 'inherit', 'inherit', 'ipc'],
  });
  const exited = new Promise<void>((resolve) => child.once('exit', () => resolve()));
  const stop = registerCleanup(async () => {
    if (child.exitCode !== null || child.signalCode !== null) return;
    child.kill('SIGTERM');
    const timer = setTimeout(() => child.kill('SIGKILL'), 15_000);
    await exited;
    clearTimeout(timer);
  });
  try {
    const ready = await new Promise<Ready>((resolve, reject) => {
      const timer = setTimeout(
        () => reject(new Error(`${name} did not start in ${timeoutMs} ms`)),
        timeoutMs,
      );
      child.once('message', (message: Ready) => {
        clearTimeout(timer);
        resolve(message);
      });
      child.once('exit', (code, signal) => {
        clearTimeout(timer);
        reject(new Error(`${name} exited before it was ready (${signal ?? `code ${code}`})`));
      });
    });
    return {
      name,
      pid: child.pid!,
      base: `http://127.0.0.1:${ready.http}`,
      smtpPort: ready.smtp,
      stop,
    };
  } catch (error) {
    await stop();
    throw error;
  }
}
