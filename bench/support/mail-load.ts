import nodemailer from 'nodemailer';
import type { LoadOutcome } from './load.js';

export interface OutgoingMail {
  from: string;
  to: string;
  subject: string;
  messageId: string;
  text: string;
  html: string;
}

const percentile = (sorted: number[], p: number) =>
  sorted.length === 0 ? 0 : sorted[Math.min(sorted.length - 1, Math.floor((p / 100) * sorted.length))]!;

/**
 * Hands mail over SMTP (nodemailer, a pool of `connections`, each sending one mail after another)
 * for `duration` seconds; a mail counts when the server answered 250. Latency is from the start of
 * the SMTP transaction to the server's answer, in milliseconds.
 */
export async function sendMailFor(
  port: number,
  make: (i: number) => OutgoingMail,
  duration: number,
  connections: number,
): Promise<LoadOutcome> {
  const transport = nodemailer.createTransport({
    host: '127.0.0.1',
    port,
    secure: false,
    ignoreTLS: true,
    pool: true,
    maxConnections: connections,
    maxMessages: Infinity,
  });
  const latencies: number[] = [];
  const problems: Record<string, number> = {};
  let next = 0;
  let failed = 0;
  const started = performance.now();
  const deadline = started + duration * 1000;
  const worker = async () => {
    while (performance.now() < deadline) {
      const mail = make(next++);
      const sentAt = performance.now();
      try {
        await transport.sendMail(mail);
        latencies.push(performance.now() - sentAt);
      } catch (error) {
        failed++;
        const code = (error as { responseCode?: number }).responseCode;
        const key = code ? String(code) : 'errors';
        problems[key] = (problems[key] ?? 0) + 1;
      }
    }
  };
  await Promise.all(Array.from({ length: connections }, worker));
  const seconds = (performance.now() - started) / 1000;
  transport.close();
  latencies.sort((a, b) => a - b);
  return {
    ok: latencies.length,
    failed,
    seconds,
    perSecond: latencies.length / seconds,
    p50: Math.round(percentile(latencies, 50)),
    p99: Math.round(percentile(latencies, 99)),
    problems,
  };
}
