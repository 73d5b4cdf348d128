import { ChatError } from './client';
import type { Strings } from './i18n';

/** The vendor app did not hand over the signed-in user's embed token. */
export class TokenError extends Error {}

/** What the visitor is told when a call to the desk fails. */
export function errorText(t: Strings, error: unknown): string {
  if (error instanceof TokenError) return t.tokenFailed;
  if (!(error instanceof ChatError)) return t.error;
  if (error.status === 429) return t.tooFast;
  if (error.status === 0 || error.status >= 500) return t.unavailable;
  return error.detail ?? t.error;
}
