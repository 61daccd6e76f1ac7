/**
 * The one HTTP client of the dashboard. The access token lives in this module's memory only
 * (never localStorage or sessionStorage); the refresh token is an HttpOnly cookie the browser
 * sends to /v1/auth by itself, with the double-submit CSRF header on refresh and logout.
 */

export interface Problem {
  title?: string;
  status: number;
  detail?: string;
  code?: string;
  request_id?: string;
  reason?: string;
  [k: string]: unknown;
}

export class ApiError extends Error {
  readonly problem: Problem;
  constructor(problem: Problem) {
    super(problem.detail || problem.title || `HTTP ${problem.status}`);
    this.problem = problem;
  }
  get status(): number { return this.problem.status; }
  get code(): string | undefined { return this.problem.code; }
}

export interface TokenResponse {
  access_token: string;
  refresh_token?: string;
  token_type?: string;
  expires_in?: number;
  csrf_token?: string;
  mfa_enrollment_required?: boolean;
}

let accessToken: string | null = null;
let csrfToken: string | null = null;
let refreshing: Promise<boolean> | null = null;
let onSignedOut: (() => void) | null = null;

export const CSRF_HEADER = 'X-Warden-CSRF';
const CSRF_COOKIES = ['warden_csrf', '__Host-warden_csrf', 'warden-csrf'];

export function setAccessToken(token: string | null): void { accessToken = token; }
export function hasAccessToken(): boolean { return accessToken !== null; }
export function setCsrfToken(token: string | null | undefined): void { if (token) csrfToken = token; }
export function onSessionLost(fn: () => void): void { onSignedOut = fn; }

function csrf(): string | null {
  if (csrfToken) return csrfToken;
  for (const part of document.cookie.split(';')) {
    const [k, ...v] = part.trim().split('=');
    if (CSRF_COOKIES.includes(k)) return decodeURIComponent(v.join('='));
  }
  return null;
}

/** Takes a token response: keeps the access token (memory) and the CSRF value; drops the refresh token (it is in the cookie). */
export function acceptTokens(t: TokenResponse): void {
  accessToken = t.access_token;
  setCsrfToken(t.csrf_token);
}

async function toProblem(res: Response): Promise<Problem> {
  const text = await res.text().catch(() => '');
  try {
    const body = JSON.parse(text) as Partial<Problem>;
    if (body && typeof body === 'object') return { ...body, status: res.status } as Problem;
  } catch { /* not JSON */ }
  return { status: res.status, title: res.statusText, detail: text.slice(0, 300) || `The server answered ${res.status} ${res.statusText}` };
}

/** Asks for a new access token with the refresh cookie. Concurrent callers share one request. */
export function refresh(): Promise<boolean> {
  if (!refreshing) {
    refreshing = (async () => {
      const headers: Record<string, string> = { 'content-type': 'application/json' };
      const c = csrf();
      if (c) headers[CSRF_HEADER] = c;
      try {
        const res = await fetch('/v1/auth/refresh', { method: 'POST', credentials: 'same-origin', headers, body: '{}' });
        if (!res.ok) return false;
        const t = (await res.json()) as TokenResponse;
        if (!t.access_token) return false;
        acceptTokens(t);
        return true;
      } catch {
        return false;
      }
    })().finally(() => { refreshing = null; });
  }
  return refreshing;
}

export interface RequestOptions {
  method?: string;
  body?: unknown;
  /** Sends no Authorization header (login). */
  anonymous?: boolean;
  /** Adds the CSRF header (cookie-authenticated routes). */
  csrf?: boolean;
  signal?: AbortSignal;
  raw?: boolean;
}

async function send(path: string, o: RequestOptions): Promise<Response> {
  const headers: Record<string, string> = { accept: 'application/json' };
  if (o.body !== undefined) headers['content-type'] = 'application/json';
  if (!o.anonymous && accessToken) headers.authorization = `Bearer ${accessToken}`;
  if (o.csrf) { const c = csrf(); if (c) headers[CSRF_HEADER] = c; }
  return fetch(path, {
    method: o.method ?? (o.body === undefined ? 'GET' : 'POST'),
    headers, credentials: 'same-origin', signal: o.signal,
    body: o.body === undefined ? undefined : JSON.stringify(o.body),
  });
}

/** Calls the API; on 401 refreshes once and retries; throws ApiError with the server's problem details. */
export async function api<T = unknown>(path: string, o: RequestOptions = {}): Promise<T> {
  let res = await send(path, o);
  if (res.status === 401 && !o.anonymous && accessToken !== null) {
    if (await refresh()) res = await send(path, o);
    else { accessToken = null; onSignedOut?.(); }
  }
  if (!res.ok) throw new ApiError(await toProblem(res));
  if (o.raw) return res as unknown as T;
  if (res.status === 204) return undefined as T;
  const type = res.headers.get('content-type') ?? '';
  return (type.includes('json') ? await res.json() : await res.text()) as T;
}

/** Downloads a response body as a file (exports), with the bearer token. */
export async function download(path: string, filename: string): Promise<void> {
  const res = await api<Response>(path, { raw: true });
  const blob = await res.blob();
  saveBlob(blob, filename);
}

export function saveBlob(blob: Blob, filename: string): void {
  const url = URL.createObjectURL(blob);
  const a = document.createElement('a');
  a.href = url;
  a.download = filename;
  document.body.appendChild(a);
  a.click();
  a.remove();
  setTimeout(() => URL.revokeObjectURL(url), 1000);
}

export function qs(params: Record<string, string | number | undefined | null | boolean>): string {
  const u = new URLSearchParams();
  for (const [k, v] of Object.entries(params)) if (v !== undefined && v !== null && v !== '') u.set(k, String(v));
  const s = u.toString();
  return s ? `?${s}` : '';
}
