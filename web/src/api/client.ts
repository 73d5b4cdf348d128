/**
 * The browser's way to the Accord API: JSON in and out, problem+json errors as ApiError, the
 * session cookie plus its CSRF token on writes, or a bearer token inside the embedded widget.
 */

export interface Problem {
  type?: string;
  title: string;
  status: number;
  detail?: string;
  /** Validation problems: each names the bad field (`body.subscription.tier`). */
  errors?: { field: string; message: string }[];
}

export class ApiError extends Error {
  constructor(readonly problem: Problem) {
    super(problem.detail ?? problem.title);
  }
  get status() {
    return this.problem.status;
  }
}

let csrfToken: string | null = null;
let bearerToken: string | null = sessionStorage.getItem('accord.bearer');

export function setCsrfToken(token: string | null) {
  csrfToken = token;
}

/** The embedded widget authenticates with a session token held for this tab only. */
export function setBearerToken(token: string | null) {
  bearerToken = token;
  if (token) sessionStorage.setItem('accord.bearer', token);
  else sessionStorage.removeItem('accord.bearer');
}

export function getBearerToken() {
  return bearerToken;
}

type Query = Record<string, string | number | boolean | undefined | null>;

export function withQuery(path: string, query?: Query): string {
  if (!query) return path;
  const params = new URLSearchParams();
  for (const [key, value] of Object.entries(query)) {
    if (value !== undefined && value !== null && value !== '') params.set(key, String(value));
  }
  const qs = params.toString();
  return qs ? `${path}?${qs}` : path;
}

export async function api<T>(
  method: 'GET' | 'POST' | 'PATCH' | 'PUT' | 'DELETE',
  path: string,
  body?: unknown,
): Promise<T> {
  const headers: Record<string, string> = { accept: 'application/json' };
  let payload: BodyInit | undefined;
  if (body instanceof FormData) payload = body;
  else if (body !== undefined) {
    headers['content-type'] = 'application/json';
    payload = JSON.stringify(body);
  }
  if (bearerToken) headers.authorization = `Bearer ${bearerToken}`;
  else if (method !== 'GET' && csrfToken) headers['x-csrf-token'] = csrfToken;
  const response = await fetch(`/api/v1${path}`, {
    method,
    headers,
    body: payload,
    credentials: 'same-origin',
  });
  if (response.status === 204) return undefined as T;
  const text = await response.text();
  const data: unknown = text ? JSON.parse(text) : undefined;
  if (!response.ok) {
    const problem =
      data && typeof data === 'object' && 'title' in data
        ? (data as Problem)
        : { title: response.statusText || 'Request failed', status: response.status };
    throw new ApiError(problem);
  }
  return data as T;
}

export const get = <T>(path: string, query?: Query) => api<T>('GET', withQuery(path, query));
export const post = <T>(path: string, body?: unknown) => api<T>('POST', path, body ?? {});
export const patch = <T>(path: string, body: unknown) => api<T>('PATCH', path, body);
export const put = <T>(path: string, body: unknown) => api<T>('PUT', path, body);
export const del = <T>(path: string) => api<T>('DELETE', path);

// A runaway cursor chain must not loop forever; 50 pages of 200 is more than a desk's staff or
// organizations, and more than one ticket's conversation.
const MAX_PAGES = 50;

/** Every item of a keyset-paginated list, page after page. */
export async function fetchAll<T>(path: string, query: Query = {}): Promise<T[]> {
  const items: T[] = [];
  let cursor: string | undefined;
  for (let i = 0; i < MAX_PAGES; i++) {
    const page = await get<{ data: T[]; nextCursor: string | null }>(path, { ...query, limit: 200, cursor });
    items.push(...page.data);
    if (!page.nextCursor) break;
    cursor = page.nextCursor;
  }
  return items;
}
