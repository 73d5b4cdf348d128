import { randomBytes, scrypt as scryptCallback, timingSafeEqual, type ScryptOptions } from 'node:crypto';

// One of OWASP's equivalent scrypt settings: N=2^15, r=8, p=3 (32 MiB per hash, so a burst of
// sign-ins cannot exhaust memory). Each hash records its own parameters, so they can be raised later.
// The test suite lowers N through ACCORD_SCRYPT_COST to keep thousands of hashes fast.
const COST = Number(process.env.ACCORD_SCRYPT_COST ?? 32768);
const BLOCK_SIZE = 8;
const PARALLELISM = 3;
const KEY_LENGTH = 32;

function scrypt(password: string, salt: Buffer, keylen: number, options: ScryptOptions): Promise<Buffer> {
  return new Promise((resolve, reject) => {
    scryptCallback(password, salt, keylen, options, (err, key) => (err ? reject(err) : resolve(key)));
  });
}

const maxmem = (n: number, r: number) => 128 * n * r * 2;

// scrypt runs on libuv's thread pool (4 threads by default), which file reads, DNS and zlib share:
// a burst of sign-ins must not occupy all of it, so at most this many hashes run at once and the
// rest wait their turn here, in arrival order. It also bounds hashing memory (32 MiB per hash).
const MAX_CONCURRENT_HASHES = 2;

let running = 0;
const waiting: Array<() => void> = [];
const counts = { verifications: 0, peakRunning: 0 };

async function inHashingSlot<T>(work: () => Promise<T>): Promise<T> {
  if (running < MAX_CONCURRENT_HASHES) running += 1;
  else await new Promise<void>((resolve) => waiting.push(resolve));
  counts.peakRunning = Math.max(counts.peakRunning, running);
  try {
    return await work();
  } finally {
    // Hand the slot straight to the next in line, so a newcomer cannot overtake it.
    const next = waiting.shift();
    if (next) next();
    else running -= 1;
  }
}

/**
 * What the hashing queue is doing: hashes running and waiting now, the most that ever ran at once,
 * and how many stored hashes have been checked against a password since the process started.
 */
export function passwordHashingStats() {
  return { running, waiting: waiting.length, ...counts };
}

/** Hashes a password as `scrypt$N$r$p$salt$key` (base64url parts). */
export async function hashPassword(password: string): Promise<string> {
  const salt = randomBytes(16);
  const key = await inHashingSlot(() =>
    scrypt(password.normalize('NFKC'), salt, KEY_LENGTH, {
      N: COST,
      r: BLOCK_SIZE,
      p: PARALLELISM,
      maxmem: maxmem(COST, BLOCK_SIZE),
    }),
  );
  return [
    'scrypt',
    COST,
    BLOCK_SIZE,
    PARALLELISM,
    salt.toString('base64url'),
    key.toString('base64url'),
  ].join('$');
}

/** Checks a password against a stored hash in constant time. */
export async function verifyPassword(password: string, stored: string): Promise<boolean> {
  const parts = stored.split('$');
  if (parts.length !== 6 || parts[0] !== 'scrypt') return false;
  const [, n, r, p, saltText, keyText] = parts as [string, string, string, string, string, string];
  const N = Number(n);
  const R = Number(r);
  const expected = Buffer.from(keyText, 'base64url');
  const key = await inHashingSlot(() => {
    counts.verifications += 1;
    return scrypt(password.normalize('NFKC'), Buffer.from(saltText, 'base64url'), expected.length, {
      N,
      r: R,
      p: Number(p),
      maxmem: maxmem(N, R),
    });
  });
  return key.length === expected.length && timingSafeEqual(key, expected);
}

let dummyHash: Promise<string> | undefined;
/** Spends the same time as a real check, so an unknown email cannot be told from a wrong password. */
export async function verifyAgainstDummy(password: string): Promise<false> {
  dummyHash ??= hashPassword(randomBytes(16).toString('hex'));
  await verifyPassword(password, await dummyHash);
  return false;
}
