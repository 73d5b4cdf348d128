import { createHash, randomBytes } from 'node:crypto';

/** A bearer secret: random, prefixed so leaked tokens are easy to recognise and scan for. */
export const newSecret = (prefix: string): string => `${prefix}_${randomBytes(32).toString('base64url')}`;

/** Secrets are stored only as their SHA-256; they are high-entropy, so no salt or slow hash is needed. */
export const hashSecret = (secret: string): string => createHash('sha256').update(secret).digest('hex');
