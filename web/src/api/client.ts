import createClient, { type Middleware } from 'openapi-fetch';
import type { paths } from './schema';
import { getLang } from '../i18n';

/** An error answered by the API: `{ error: { code, message, field } }`, message already in the user's language. */
export class ApiError extends Error {
  constructor(
    readonly status: number,
    readonly code: string,
    message: string,
    readonly field: string | null = null,
  ) {
    super(message);
    this.name = 'ApiError';
  }
}

let csrfToken: string | null = null;
let onUnauthorized: (() => void) | null = null;

/** Kept from login and /api/me; sent on every non-GET request. */
export function setCsrfToken(token: string | null) {
  csrfToken = token;
}

/** Called when a request answers 401 (the session ended); the app sends the user to the login page. */
export function setUnauthorizedHandler(handler: (() => void) | null) {
  onUnauthorized = handler;
}

const SAFE = new Set(['GET', 'HEAD', 'OPTIONS']);

const middleware: Middleware = {
  onRequest({ request }) {
    request.headers.set('Accept-Language', getLang() === 'en' ? 'en' : 'zh-CN');
    if (!SAFE.has(request.method) && csrfToken) request.headers.set('X-CSRF-Token', csrfToken);
    return request;
  },
  async onResponse({ request, response }) {
    if (response.ok) return undefined;
    let body: unknown = null;
    try {
      body = await response.clone().json();
    } catch {
      // not JSON: fall through to a generic message
    }
    const err = (body as { error?: { code?: string; message?: string; field?: string | null } } | null)?.error;
    const url = new URL(request.url, window.location.origin);
    // the login form and the first /api/me show their own 401; elsewhere it means the session ended
    if (response.status === 401 && url.pathname !== '/api/auth/login' && url.pathname !== '/api/me') onUnauthorized?.();
    throw new ApiError(
      response.status,
      err?.code ?? 'http_' + response.status,
      err?.message ?? `${response.status} ${response.statusText}`,
      err?.field ?? null,
    );
  },
  onError({ error }) {
    if (error instanceof ApiError) return error;
    return new ApiError(0, 'network', getLang() === 'en' ? 'Cannot reach the server' : '无法连接服务器，请检查网络', null);
  },
};

export const api = createClient<paths>({ baseUrl: '', credentials: 'same-origin' });
api.use(middleware);

/** The data of a successful call; failures were already thrown as ApiError by the middleware. */
export async function unwrap<D>(call: Promise<{ data?: D; error?: unknown }>): Promise<D> {
  const { data } = await call;
  return data as D;
}

type Get<P extends keyof paths> = paths[P] extends { get: { responses: { 200: { content: { 'application/json': infer R } } } } } ? R : never;

type Body<P extends keyof paths, M extends 'post' | 'put' | 'patch'> = paths[P][M] extends { requestBody: { content: { 'application/json': infer B } } } ? B : never;

export type GridCategory = NonNullable<Body<'/api/grids/{id}', 'patch'>['category']>;
export type MatterCategoryCode = Body<'/api/matter-types', 'post'>['category'];
export type Me = Get<'/api/me'>['user'];
export type PublicSettings = Get<'/api/settings/public'>;
export type Level = Get<'/api/jurisdictions/{code}'>['level'];
export type JurisdictionNode = { code: string; name: string; level: Level; children: JurisdictionNode[] };
export type Grid = Get<'/api/grids'>['items'][number];
export type GridDetail = Get<'/api/grids/{id}'>;
export type GridLocation = Get<'/api/grids/locate'>;
export type Department = Get<'/api/departments'>['items'][number];
export type DepartmentKind = Get<'/api/department-kinds'>['items'][number];
export type MatterType = Get<'/api/matter-types'>['items'][number];
export type MatterCategory = Get<'/api/matter-categories'>['items'][number];

/** Every item of a `{ items, total }` list, fetched a thousand at a time. */
export async function fetchAll<T>(page: (limit: number, offset: number) => Promise<{ items: T[]; total: number }>): Promise<T[]> {
  const items: T[] = [];
  for (;;) {
    const res = await page(1000, items.length);
    items.push(...res.items);
    if (res.items.length === 0 || items.length >= res.total) return items;
  }
}

export type CaseSummary = Get<'/api/cases'>['items'][number];
export type CaseDetail = Get<'/api/cases/{id}'>;
export type TimelineEntry = CaseDetail['timeline'][number];
export type CaseAssignment = CaseDetail['assignments'][number];
export type DuplicateCase = Get<'/api/cases/duplicates'>['items'][number];
export type MatterSuggestion = Get<'/api/cases/suggest-matter'>['items'][number];
export type CaseVocabulary = Get<'/api/case-vocabulary'>;
export type CaseChannel = Body<'/api/cases', 'post'>['channel'];
export type CaseAction = paths['/api/cases/{id}/actions/{action}']['post']['parameters']['path']['action'];
export type CaseActionBody = NonNullable<Body<'/api/cases/{id}/actions/{action}', 'post'>>;
export type CaseListQuery = NonNullable<paths['/api/cases']['get']['parameters']['query']>;
export type SupervisionItem = Get<'/api/supervision'>['items'][number];
export type Notification = Get<'/api/notifications'>['items'][number];
export type CaseMetrics = Get<'/api/metrics/cases'>;
export type CaseMetricsRow = CaseMetrics['items'][number];
export type CaseMetricsQuery = NonNullable<paths['/api/metrics/cases']['get']['parameters']['query']>;

/** A fresh key for `Idempotency-Key`; crypto.randomUUID exists only on secure origins, so fall back to random bytes. */
export function newIdempotencyKey(): string {
  if (typeof crypto.randomUUID === 'function') return crypto.randomUUID();
  const bytes = crypto.getRandomValues(new Uint8Array(16));
  return Array.from(bytes, (b) => b.toString(16).padStart(2, '0')).join('');
}
