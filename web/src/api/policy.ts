/** Publishing a support policy version (POST /api/v1/policy/versions and its preview), admins only. */
import type { z } from 'zod';
import type { publishedOut, publishIn, publishPreviewOut } from '../../../src/policy/api-schema';
import type { PolicyProblem } from '../../../src/policy/model';
import { post } from './client';

/** The policy file's text, when it takes effect, and consent to a lowered service level. */
export type PublishRequest = z.input<typeof publishIn>;
/** What publishing would change, from the version in force at the effective date; nothing is written. */
export type PublishPreview = z.output<typeof publishPreviewOut>;
export type PublishedVersion = z.output<typeof publishedOut>;
/** An organization in a running term, which keeps its version until the term ends. */
export type AffectedOrganization = PublishPreview['affected'][number];
/** One problem of a policy file that does not validate (the 422 answer's `problems`). */
export type { PolicyProblem };

export const previewPolicyVersion = (request: PublishRequest) =>
  post<PublishPreview>('/policy/versions/preview', request);

export const publishPolicyVersion = (request: PublishRequest) =>
  post<PublishedVersion>('/policy/versions', request);

/** The largest policy file the API accepts, in characters. */
export const POLICY_SOURCE_MAX = 1_000_000;
