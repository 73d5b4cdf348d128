/** A failure the client caused or must know about, answered as RFC 9457 problem+json. */
export interface FieldError {
  field: string;
  message: string;
}

export class Problem extends Error {
  constructor(
    readonly status: number,
    readonly title: string,
    readonly detail: string,
    readonly type: string = 'about:blank',
    readonly errors?: FieldError[],
    readonly extensions?: Record<string, unknown>,
  ) {
    super(detail);
  }
}

const problemType = (slug: string) => `urn:accord:problem:${slug}`;

export const badRequest = (detail: string, errors?: FieldError[]) =>
  new Problem(400, 'Bad Request', detail, errors ? problemType('validation') : 'about:blank', errors);
export const unauthorized = (detail = 'Sign in or send a valid API token.') =>
  new Problem(401, 'Unauthorized', detail);
export const forbidden = (detail: string) => new Problem(403, 'Forbidden', detail);
export const notFound = (what: string) => new Problem(404, 'Not Found', `${what} was not found.`);
export const conflict = (slug: string, detail: string, extensions?: Record<string, unknown>) =>
  new Problem(409, 'Conflict', detail, problemType(slug), undefined, extensions);
export const unprocessable = (slug: string, detail: string, extensions?: Record<string, unknown>) =>
  new Problem(422, 'Unprocessable Content', detail, problemType(slug), undefined, extensions);
export const serviceUnavailable = (detail: string) => new Problem(503, 'Service Unavailable', detail);
export const tooManyRequests = (detail: string, retryAfterSeconds: number) =>
  new Problem(429, 'Too Many Requests', detail, 'about:blank', undefined, { retryAfter: retryAfterSeconds });
