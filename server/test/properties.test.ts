/**
 * Property tests (fast-check): malformed, oversized and hostile bodies, headers, query strings and path parameters
 * are sent to every route, anonymously and as several demo roles. Every answer must be < 500, every 4xx must carry
 * a message in the route's error format, and a refused write must leave the database as it was. Uploads are judged
 * by their bytes, never by their name or declared type.
 *
 * On a failure fast-check prints the seed and the (shrunk) counterexample. ZHILI_PROP_SEED=<seed> replays a run,
 * ZHILI_PROP_RUNS=<n> changes the number of runs per property (default 50), ZHILI_PROP_STATS=1 prints the answers seen.
 *
 * Bugs these properties found are pinned by a property each at the end of the file (`it.fails` while open);
 * knownBug() keeps the other properties from tripping over an open one again, so that they keep looking for new ones.
 */
import fc from 'fast-check';
import { XMLParser } from 'fast-xml-parser';
import { fileTypeFromBuffer } from 'file-type';
import { sql } from 'kysely';
import type { InjectOptions, LightMyRequestResponse } from 'fastify';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { open311DemoKey, seedOpen311DemoClient } from '../src/modules/open311/clients.js';
import { signIn, type Session, type TestApp, testApp } from './harness.js';

let t: TestApp;
const KEY = open311DemoKey({});
const ROLES = ['demo-admin', 'demo-city', 'demo-community', 'demo-dept', 'demo-hotline', 'demo-auditor', 'demo-grid'] as const;
type Role = (typeof ROLES)[number] | 'anonymous';
const sessions = new Map<Role, Session>();
let userSnapshot: Array<Record<string, unknown>> = [];
let caseId = 0;
const xml = new XMLParser({ parseTagValue: false });

interface Route {
  method: string;
  path: string;
  kind: 'api' | 'open311';
  params: string[];
  query: string[];
  bodyFields: string[];
  /** JSON schemas from the OpenAPI document: the body's, and each path and query parameter's */
  bodySchema?: JsonSchema;
  paramSchemas: Record<string, JsonSchema>;
  querySchemas: Record<string, JsonSchema>;
}
let routes: Route[] = [];

interface JsonSchema {
  type?: string;
  enum?: unknown[];
  anyOf?: JsonSchema[];
  oneOf?: JsonSchema[];
  allOf?: JsonSchema[];
  properties?: Record<string, JsonSchema>;
  required?: string[];
  items?: JsonSchema;
  minItems?: number;
  maxItems?: number;
  uniqueItems?: boolean;
  minLength?: number;
  maxLength?: number;
  pattern?: string;
  format?: string;
  minimum?: number;
  maximum?: number;
  nullable?: boolean;
}

// ---------------------------------------------------------------------------------------------------------------
// the database: what a refused write must leave untouched
// ---------------------------------------------------------------------------------------------------------------

const WATCHED = ['case_file', 'case_event', 'grid', 'grid_version', 'department', 'matter_type', 'app_user', 'idempotency_key', 'case_attachment', 'outbox_message'] as const;
const ALSO_WATCHED = ['case_assignment', 'case_supporter', 'supervision_item', 'notification', 'open311_client', 'open311_request', 'responsibility', 'responsibility_history', 'jurisdiction', 'calendar_day', 'setting'] as const;
// app_user: failed sign-ins legitimately count up and lock; the rest of the row must not move on a refusal
const USER_COLUMNS = 'id, username, display_name, password_hash, roles, jurisdiction_code, department_id, active, must_change_password, totp_secret, totp_enabled, recovery_codes';

type Digest = Record<string, string>;

async function digest(): Promise<Digest> {
  const parts = [...WATCHED, ...ALSO_WATCHED].map((table) => {
    const source = table === 'app_user' ? sql.raw(`(select ${USER_COLUMNS} from app_user)`) : sql.table(table);
    return sql`(select count(*) || ':' || coalesce(md5(string_agg(x::text, E'\n' order by x::text)), '') from ${source} x) as ${sql.ref(table)}`;
  });
  const { rows } = await sql<Digest>`select ${sql.join(parts)}`.execute(t.handle.db);
  return rows[0]!;
}

function changedTables(before: Digest, after: Digest): string[] {
  return Object.keys(before).filter((k) => before[k] !== after[k]).map((k) => `${k} ${before[k]!.split(':')[0]}→${after[k]!.split(':')[0]}`);
}

// ---------------------------------------------------------------------------------------------------------------
// sending a request and judging the answer
// ---------------------------------------------------------------------------------------------------------------

interface Probe {
  role: Role;
  method: string;
  url: string;
  headers?: Record<string, string | string[]>;
  payload?: string | Buffer;
  /** replace the session's CSRF header (a write then must be refused) */
  csrf?: string;
  /** replace the whole Cookie header */
  cookie?: string;
}

const isWrite = (method: string) => !['GET', 'HEAD', 'OPTIONS'].includes(method);

async function withTimeout<T>(p: Promise<T>, ms: number, what: string): Promise<T> {
  let timer: NodeJS.Timeout | undefined;
  const timeout = new Promise<never>((_, reject) => {
    timer = setTimeout(() => reject(new Error(`no answer within ${ms} ms: ${what}`)), ms);
  });
  try {
    return await Promise.race([p, timeout]);
  } finally {
    clearTimeout(timer);
  }
}

async function send(p: Probe): Promise<LightMyRequestResponse> {
  const s = p.role === 'anonymous' ? undefined : sessions.get(p.role);
  const headers: Record<string, string | string[]> = {};
  if (s) {
    headers.cookie = `zhili_session=${s.cookie}`;
    headers['x-csrf-token'] = s.csrf;
  }
  if (p.csrf !== undefined) headers['x-csrf-token'] = p.csrf;
  if (p.cookie !== undefined) headers.cookie = p.cookie;
  Object.assign(headers, p.headers ?? {});
  const opts: InjectOptions = { method: p.method as 'GET', url: p.url, headers };
  if (p.payload !== undefined) opts.payload = p.payload;
  return withTimeout(t.app.inject(opts), 15_000, `${p.method} ${p.url.slice(0, 200)}`);
}

function describeProbe(p: Probe, res: LightMyRequestResponse) {
  const payload = p.payload === undefined ? '' : ` payload=${JSON.stringify(String(p.payload).slice(0, 300))}`;
  return `${p.role} ${p.method} ${p.url.slice(0, 300)} headers=${JSON.stringify(p.headers ?? {}).slice(0, 300)}${payload} → ${res.statusCode} ${res.body.slice(0, 300)}`;
}

const formatOf = (url: string) => (url.split('?')[0]!.toLowerCase().endsWith('.json') ? 'json' : 'xml');

/** A 4xx names what went wrong, in the format of its part of the server. */
function expectErrorBody(p: Probe, res: LightMyRequestResponse) {
  const where = describeProbe(p, res);
  if (p.method === 'HEAD') return;
  const seen = res.raw.req.url ?? p.url;
  if (seen.startsWith('/open311/')) {
    if (formatOf(seen) === 'json') {
      expect(res.headers['content-type'], where).toMatch(/^application\/json/);
      const errors = JSON.parse(res.body) as Array<{ code: unknown; description: unknown }>;
      expect(Array.isArray(errors) && errors.length > 0, where).toBe(true);
      for (const e of errors) {
        expect(e.code, where).toBe(res.statusCode);
        expect(typeof e.description === 'string' && e.description.length > 0, where).toBe(true);
      }
    } else {
      expect(res.headers['content-type'], where).toMatch(/^text\/xml/);
      const doc = xml.parse(res.body) as { errors?: { error?: { code?: unknown; description?: unknown } | Array<{ code?: unknown; description?: unknown }> } };
      const list = doc.errors?.error === undefined ? [] : Array.isArray(doc.errors.error) ? doc.errors.error : [doc.errors.error];
      expect(list.length, where).toBeGreaterThan(0);
      for (const e of list) {
        expect(String(e.code), where).toBe(String(res.statusCode));
        expect(typeof e.description === 'string' && e.description.length > 0, where).toBe(true);
      }
    }
    return;
  }
  expect(res.headers['content-type'], where).toMatch(/^application\/json/);
  const body = JSON.parse(res.body) as { error?: { code?: unknown; message?: unknown; field?: unknown } };
  expect(typeof body.error?.code === 'string' && body.error.code.length > 0, where).toBe(true);
  expect(typeof body.error?.message === 'string' && body.error.message.length > 0, where).toBe(true);
  expect(body.error?.field === null || typeof body.error?.field === 'string', where).toBe(true);
}

/** With ZHILI_PROP_STATS=1, the answers per test and status are printed at the end: how deep the inputs got. */
const stats = new Map<string, number>();

/**
 * Sends one probe and checks the three promises: no 5xx, a 4xx with a message, and a refused write changes nothing.
 * A successful write by a signed-in role may have signed it out or changed its account: the fixture is then repaired.
 */
async function check(p: Probe): Promise<LightMyRequestResponse> {
  const write = isWrite(p.method);
  const before = write ? await digest() : undefined;
  const res = await send(p);
  if (process.env.ZHILI_PROP_STATS) {
    const key = `${expect.getState().currentTestName?.split(' > ').at(-1)?.slice(0, 40)} | ${res.statusCode} ${res.statusCode >= 400 ? (res.body.match(/"code":"?([^",]+)/)?.[1] ?? '') : ''}`;
    stats.set(key, (stats.get(key) ?? 0) + 1);
  }
  const where = describeProbe(p, res);
  if (res.statusCode >= 500 && before) expect(res.statusCode, `${where} (tables changed: ${changedTables(before, await digest()).join(', ') || 'none'})`).toBeLessThan(500);
  expect(res.statusCode, where).toBeLessThan(500);
  if (res.statusCode >= 400) {
    expectErrorBody(p, res);
    if (before) expect(changedTables(before, await digest()), `refused write changed the database: ${where}`).toEqual([]);
  } else if (write && p.url.startsWith('/api/') && !/\/attachments/.test(p.url)) {
    await repairFixture();
  }
  return res;
}

/**
 * Inputs that hit a bug already reported and not yet fixed, each kept visible by its own `it.fails` property below.
 * The other properties skip them (fc.pre) so that they keep looking for new failures. Empty today: the eleven bugs
 * these properties found (BUG-1 … BUG-11 at the end of the file) are fixed, and their classes are fuzzed again.
 * Add a line here when a new bug is found and left unfixed; drop it together with `.fails` once it is fixed.
 */
function knownBug(_p: Probe): string | null {
  return null;
}

/** check(), unless the input hits a known bug: fast-check then draws another one. */
async function attempt(p: Probe): Promise<LightMyRequestResponse> {
  fc.pre(knownBug(p) === null);
  return check(p);
}

/** Puts the demo accounts back as they were and signs in again where a session no longer works. */
async function repairFixture() {
  for (const row of userSnapshot) {
    const { id, ...rest } = row;
    await t.handle.db.updateTable('app_user').set({ ...rest, failed_logins: 0, locked_until: null, totp_last_step: null } as never).where('id', '=', id as number).execute();
  }
  for (const role of ROLES) {
    const s = sessions.get(role)!;
    const me = await t.app.inject({ method: 'GET', url: '/api/me', cookies: { zhili_session: s.cookie } });
    if (me.statusCode !== 200) sessions.set(role, await signIn(t.app, role));
  }
}

// ---------------------------------------------------------------------------------------------------------------
// arbitraries
// ---------------------------------------------------------------------------------------------------------------

const HOSTILE_STRINGS = [
  "' OR '1'='1",
  "1; DROP TABLE case_file; --",
  "1) OR (1=1",
  "'; select pg_sleep(10); --",
  '\\',
  '"',
  "'",
  '`',
  '${process.exit(1)}',
  "{{constructor.constructor('return process')()}}",
  '__proto__',
  'constructor',
  'prototype',
  'toString',
  'hasOwnProperty',
  '../../../../etc/passwd',
  '..\\..\\windows\\win.ini',
  '%00',
  '\u0000',
  'a\u0000b',
  '%',
  '%zz',
  '%E0%A4%A',
  '<script>alert(1)</script>',
  '<?xml version="1.0"?><!DOCTYPE x [<!ENTITY e SYSTEM "file:///etc/passwd">]><x>&e;</x>',
  '\u202eevil',
  '😀😀😀',
  '\ud800',
  '𠮷野家',
  'NaN',
  'Infinity',
  '-Infinity',
  'null',
  'undefined',
  'true',
  '[]',
  '{}',
  '0x7fffffff',
  '1e308',
  '-0',
  ' ',
  '\t\r\n',
  '',
];

const NUMBERS = [0, -1, 1, 2 ** 31 - 1, 2 ** 31, 2 ** 32, 2 ** 53, 2 ** 53 + 2, -(2 ** 53), 1e20, 1e308, -1e308, 0.5, -0.5, 1.5e-300, Number.MIN_VALUE];

/** A hostile string: injection, encodings, control characters, unicode, huge. */
const hostileString = fc.oneof(
  { weight: 4, arbitrary: fc.constantFrom(...HOSTILE_STRINGS) },
  { weight: 2, arbitrary: fc.string({ maxLength: 40 }) },
  { weight: 2, arbitrary: fc.string({ unit: 'binary', maxLength: 40 }) },
  { weight: 1, arbitrary: fc.string({ unit: 'grapheme', maxLength: 20 }) },
  { weight: 1, arbitrary: fc.constantFrom(...NUMBERS).map(String) },
  { weight: 1, arbitrary: fc.stringMatching(/^-?\d{15,60}$/) },
  { weight: 1, arbitrary: fc.tuple(fc.constantFrom('x', '字', '😀', '%', "'", '\u0000'), fc.integer({ min: 1_000, max: 70_000 })).map(([c, n]) => c.repeat(n)) },
);

/** Path parameters: numbers past every integer width, floats, digit strings, unicode, injection, traversal. */
const anyPathParam = fc.oneof(
  { weight: 3, arbitrary: fc.constantFrom('0', '-1', '1', '2', '2147483647', '2147483648', '4294967296', '9007199254740992', '9007199254740993', '1e3', '1.5', '-0', '0x10', ' 1', '1 ', '00000001', '+1', '990100', '990102', '990102001001', 'CG-005', '2026-01-01', '2026-02-30', '99999-12-31') },
  { weight: 2, arbitrary: fc.integer().map(String) },
  { weight: 1, arbitrary: fc.double().map(String) },
  { weight: 1, arbitrary: fc.bigInt({ min: -(2n ** 80n), max: 2n ** 80n }).map(String) },
  { weight: 1, arbitrary: fc.stringMatching(/^\d{20,100}$/) },
  { weight: 3, arbitrary: fc.constantFrom(...HOSTILE_STRINGS) },
  { weight: 2, arbitrary: fc.string({ maxLength: 30 }) },
  { weight: 1, arbitrary: fc.string({ unit: 'binary', maxLength: 16 }) },
);

/** Lone surrogates cannot be percent-encoded (URIError): they travel as U+FFFD, as a browser would send them. */
const wellFormed = (s: string) => s.replace(/[\ud800-\udbff](?![\udc00-\udfff])|(?<![\ud800-\udbff])[\udc00-\udfff]/g, '\ufffd');
const enc = (s: string) => encodeURIComponent(wellFormed(s));

/**
 * How a path parameter reaches the server: percent-encoded, or with '/', '.' and ASCII escapes such as %00 left raw
 * ('%' not followed by an ASCII escape is still encoded: malformed escapes are a separate, known failure below).
 */
function encodePathParam(value: string, raw: boolean): string {
  if (!raw) return enc(value);
  return wellFormed(value).replace(/%(?![0-7][0-9A-Fa-f])|[^A-Za-z0-9._~%/-]/gu, (ch: string) => encodeURIComponent(ch));
}

/** The router refuses a parameter of more than 100 characters: that refusal is a separate, known failure below. */
const ROUTER_MAX_PARAM = 100;
const pathParam = anyPathParam.filter((v) => encodePathParam(v, true).length <= ROUTER_MAX_PARAM && enc(v).length <= ROUTER_MAX_PARAM);

const GENERIC_QUERY_KEYS = ['limit', 'offset', 'lng', 'lat', 'from', 'to', 'q', 'page', 'page_size', 'start_date', 'end_date', 'status', 'jurisdiction_id', 'service_request_id', 'service_code', 'api_key'];
const PROTO_KEYS = ['__proto__', 'constructor', 'prototype', '__proto__[isAdmin]', 'constructor[prototype][isAdmin]', 'a[b][c]', 'limit[]', 'limit[0]', 'toString', 'hasOwnProperty'];

const queryValue = fc.oneof(
  { weight: 3, arbitrary: hostileString },
  { weight: 2, arbitrary: fc.constantFrom(...NUMBERS).map(String) },
  { weight: 1, arbitrary: fc.constantFrom('true', 'false', 'yes', '2026-13-01', '2026-01-01T00:00:00', '2026-01-01T00:00:00+08:00', '9999-12-31', '0000-00-00', '1970-01-01', 'open', 'closed', 'day', 'week', 'month', 'year') },
);

const queryKey = (known: string[]) =>
  fc.oneof({ weight: 4, arbitrary: fc.constantFrom(...known, ...GENERIC_QUERY_KEYS) }, { weight: 1, arbitrary: fc.constantFrom(...PROTO_KEYS) }, { weight: 1, arbitrary: fc.string({ maxLength: 12 }) });

/** A query string: known keys with wrong types, repeated keys (arrays), prototype keys, raw or encoded. */
const queryString = (known: string[]) =>
  fc
    .tuple(fc.array(fc.tuple(queryKey(known), queryValue, fc.integer({ min: 1, max: 3 })), { maxLength: 6 }), fc.boolean())
    .map(([pairs, raw]) => {
      const e = (s: string) => (raw ? wellFormed(s).replace(/[&#\s]/g, encodeURIComponent) : enc(s));
      const parts = pairs.flatMap(([k, v, times]) => Array.from({ length: times }, () => `${e(k)}=${e(v)}`));
      return parts.length ? `?${parts.join('&')}` : '';
    });

/** A value of the wrong type for whatever field it lands in. */
const wrongValue: fc.Arbitrary<unknown> = fc.oneof(
  { weight: 3, arbitrary: hostileString },
  { weight: 2, arbitrary: fc.constantFrom<unknown>(...NUMBERS, true, false, null, [], {}, [null], [''], { '': '' }) },
  { weight: 1, arbitrary: fc.jsonValue({ maxDepth: 3 }) },
  { weight: 1, arbitrary: fc.array(fc.constantFrom<unknown>(1, 'x', null, -1, 2 ** 31), { maxLength: 30 }) },
  { weight: 1, arbitrary: fc.record({ lng: fc.constantFrom<unknown>(111.5525, 'x', 1e308, null, -181), lat: fc.constantFrom<unknown>(40.7615, 'y', NaN, 91) }) },
);

/** The route's own field names with values of the wrong type, plus prototype and unknown keys. */
const fieldsBody = (fields: string[]) =>
  fc
    .tuple(
      fc.subarray(fields.length ? fields : ['name'], { minLength: 0 }),
      fc.array(fc.tuple(fc.constantFrom(...PROTO_KEYS, ...HOSTILE_STRINGS.slice(0, 12)), wrongValue), { maxLength: 2 }),
      fc.array(wrongValue, { minLength: 8, maxLength: 8 }),
    )
    .map(([keys, extra, values]) => {
      const o: Record<string, unknown> = {};
      keys.forEach((k, i) => {
        o[k] = values[i % values.length];
      });
      for (const [k, v] of extra) Object.defineProperty(o, k, { value: v, enumerable: true, configurable: true, writable: true });
      return o;
    });

/** JSON text that parses: of the right and wrong shapes, deep, wide, huge, with prototype keys. */
const jsonText = (fields: string[]) =>
  fc.oneof(
    { weight: 4, arbitrary: fieldsBody(fields).map((o) => JSON.stringify(o)) },
    { weight: 1, arbitrary: fieldsBody(fields).map((o) => JSON.stringify([o])) },
    { weight: 2, arbitrary: fc.jsonValue({ maxDepth: 4 }).map((v) => JSON.stringify(v)) },
    { weight: 1, arbitrary: fc.anything({ maxDepth: 3 }).map((v) => JSON.stringify(v) ?? 'null') },
    {
      weight: 1,
      arbitrary: fc.constantFrom(
        '{"__proto__":{"isAdmin":true,"roles":["system_admin"]}}',
        '{"constructor":{"prototype":{"isAdmin":true}}}',
        '{"name":"ok","__proto__":{"polluted":1}}',
        '{"a":1,"a":2,"a":{"__proto__":null}}',
        '"just a string"',
        '12345678901234567890123',
        'null',
        'true',
        '[]',
        '[[[[[[[[[[[[[[[[[[[[]]]]]]]]]]]]]]]]]]]]',
        '{"":""}',
        '1e999',
        '-0',
      ),
    },
    { weight: 1, arbitrary: fc.integer({ min: 100, max: 20_000 }).map((n) => `${'['.repeat(n)}${']'.repeat(n)}`) },
    { weight: 1, arbitrary: fc.tuple(fc.constantFrom(...(fields.length ? fields : ['name'])), fc.integer({ min: 100, max: 5_000 })).map(([f, n]) => `{"${f}":${'{"a":'.repeat(n)}1${'}'.repeat(n)}}`) },
    {
      weight: 1,
      arbitrary: fc.tuple(fc.constantFrom(...(fields.length ? fields : ['name'])), fc.integer({ min: 10_000, max: 200_000 }), fc.constantFrom('x', '字', '\u0000', '"', '😀')).map(([f, n, c]) => JSON.stringify({ [f]: c.repeat(n) })),
    },
    { weight: 1, arbitrary: fc.integer({ min: 1_000, max: 50_000 }).map((n) => JSON.stringify(Array.from({ length: n }, (_, i) => i))) },
  );

/** Bodies that are not JSON at all, with the content type that claims they are something. */
const CONTENT_TYPES = [
  'application/json',
  'application/json; charset=utf-16',
  'application/json; charset=latin1',
  'application/vnd.api+json',
  'text/plain',
  'text/plain; charset=utf-8',
  'application/xml',
  'text/xml',
  'multipart/form-data',
  'multipart/form-data; boundary=',
  'multipart/form-data; boundary=zzz',
  'application/x-www-form-urlencoded',
  'application/octet-stream',
  'image/png',
  '*/*',
  ';;;',
  'application/json, text/plain',
  'application/jsonx',
  'json',
];

const garbageBody = fc.oneof(
  fc.constantFrom('', ' ', '{', '}', '{"a":', '[1,2', 'undefined', "{'a':1}", '{"a":1,}', 'NaN', '\u0000', '\ufeff{}', '<xml/>', '<?xml version="1.0"?><a>1</a>', 'a=1&a=2&__proto__[x]=1', '--zzz\r\nContent-Disposition: form-data; name="file"\r\n\r\nabc\r\n--zzz--', '%%%', '=&=&='),
  fc.string({ maxLength: 200 }),
  fc.string({ unit: 'binary', maxLength: 200 }),
  fc.integer({ min: 10_000, max: 200_000 }).map((n) => `{"title":"${'x'.repeat(n)}`),
);

const ACCEPT_LANGUAGE = fc.oneof(
  fc.constantFrom('en', 'zh', 'EN-us', 'en;q=abc', '*', 'zh-CN,en;q=0.9', ';;;,,,', 'en'.padEnd(8_000, 'x'), '\u00e9n', 'xx-YY', '-', ''),
  fc.string({ maxLength: 60 }).map((s) => s.replace(/[^\x20-\x7e]/g, '')),
);

/** Header values must be visible ASCII (or tab/space) to be sent at all; the rest is the server's problem. */
const headerSafe = (s: string) => s.replace(/[^\t\x20-\x7e]/g, '?');

// ---------------------------------------------------------------------------------------------------------------
// values the schemas accept: hostile input that gets past validation and into the handlers
// ---------------------------------------------------------------------------------------------------------------

/** Real values of the demo city for well-known names, so that schema-valid input also reaches the deeper code. */
const HINTS: Record<string, () => fc.Arbitrary<unknown>> = {
  matterTypeCode: () => fc.constantFrom('CG-005', 'CG-003', 'CG-001'),
  communityCode: () => fc.constantFrom('990102001001'),
  jurisdictionCode: () => fc.constantFrom('990100', '990102', '990102001000', '990102001001'),
  cityCode: () => fc.constantFrom('990100'),
  parentCode: () => fc.constantFrom('990100', '990102'),
  departmentId: () => fc.integer({ min: 1, max: 40 }),
  id: () => fc.oneof(fc.constant(caseId), fc.integer({ min: 1, max: 20 })),
  attachmentId: () => fc.integer({ min: 1, max: 5 }),
  lng: () => fc.oneof(fc.constant(111.5525), fc.double({ min: 111.4, max: 111.9, noNaN: true })),
  lat: () => fc.oneof(fc.constant(40.7615), fc.double({ min: 40.6, max: 40.9, noNaN: true })),
  long: () => fc.constant(111.5525),
  service_code: () => fc.constantFrom('CG-005', 'CG-003'),
  api_key: () => fc.constant(KEY),
};

/** An arbitrary of values that `schema` accepts (the subset of JSON Schema the OpenAPI document uses). */
function validFor(schema: JsonSchema, name = '', depth = 0): fc.Arbitrary<unknown> {
  const hint = HINTS[name];
  const plain = plainValidFor(schema, depth);
  return hint ? fc.oneof({ weight: 3, arbitrary: hint() }, { weight: 1, arbitrary: plain }) : plain;
}

function plainValidFor(schema: JsonSchema, depth: number): fc.Arbitrary<unknown> {
  if (schema.enum) return fc.constantFrom(...schema.enum);
  const union = schema.anyOf ?? schema.oneOf;
  if (union) return fc.oneof(...union.map((s) => validFor(s, '', depth)));
  if (schema.allOf) return fc.tuple(...schema.allOf.map((s) => validFor(s, '', depth))).map((parts) => Object.assign({}, ...parts.filter((x) => x && typeof x === 'object')));
  const base = ((): fc.Arbitrary<unknown> => {
    switch (schema.type) {
      case 'object': {
        const props = schema.properties ?? {};
        const required = (schema.required ?? []).filter((k) => k in props);
        return fc.record(Object.fromEntries(Object.entries(props).map(([k, v]) => [k, depth > 6 ? fc.constant(null) : validFor(v, k, depth + 1)])), { requiredKeys: required });
      }
      case 'array': {
        const min = schema.minItems ?? 0;
        const constraints = { minLength: min, maxLength: Math.min(schema.maxItems ?? min + 4, min + 4) };
        const item = validFor(schema.items ?? {}, '', depth + 1);
        return schema.uniqueItems ? fc.uniqueArray(item, { ...constraints, selector: (v) => JSON.stringify(v) }) : fc.array(item, constraints);
      }
      case 'string': {
        const min = schema.minLength ?? 0;
        const max = schema.maxLength ?? min + 40;
        if (schema.pattern) return fc.stringMatching(new RegExp(schema.pattern)).filter((v) => v.length >= min && v.length <= max);
        if (schema.format === 'date-time') return fc.date({ noInvalidDate: true }).map((d) => d.toISOString());
        if (schema.format === 'date') return fc.date({ noInvalidDate: true }).map((d) => d.toISOString().slice(0, 10));
        return fc.oneof(fc.string({ minLength: min, maxLength: Math.min(max, min + 40) }), fc.string({ unit: 'grapheme', minLength: min, maxLength: Math.min(max, min + 10) }), fc.constant('x'.repeat(Math.min(max, 100_000))).filter((v) => v.length >= min));
      }
      case 'integer':
        return fc.integer({ min: Math.max(schema.minimum ?? -(2 ** 31), -(2 ** 53)), max: Math.min(schema.maximum ?? 2 ** 31, 2 ** 53) });
      case 'number':
        return fc.double({ min: schema.minimum ?? -1e9, max: schema.maximum ?? 1e9, noNaN: true, noDefaultInfinity: true });
      case 'boolean':
        return fc.boolean();
      default:
        return fc.jsonValue({ maxDepth: 2 });
    }
  })();
  return schema.nullable ? fc.option(base, { nil: null, freq: 8 }) : base;
}

type Mutation = { kind: 'none' } | { kind: 'replace' | 'delete' | 'wrap'; at: number; value: unknown } | { kind: 'extra'; key: string; value: unknown };

/** Every place in a JSON value, as a path of keys, the root first. */
function placesIn(value: unknown, at: Array<string | number> = []): Array<Array<string | number>> {
  const here = [at];
  if (Array.isArray(value)) return here.concat(...value.map((v, i) => placesIn(v, [...at, i])));
  if (value && typeof value === 'object') return here.concat(...Object.entries(value).map(([k, v]) => placesIn(v, [...at, k])));
  return here;
}

/** The value with one place replaced by a hostile one, deleted, wrapped in an array, or a prototype key added. */
function mutate(value: unknown, m: Mutation): unknown {
  if (m.kind === 'none') return value;
  const copy = JSON.parse(JSON.stringify(value ?? null)) as unknown;
  if (m.kind === 'extra') {
    if (copy && typeof copy === 'object') Object.defineProperty(copy, m.key, { value: m.value, enumerable: true, configurable: true, writable: true });
    return copy;
  }
  const places = placesIn(copy);
  const path = places[m.at % places.length]!;
  if (path.length === 0) return m.kind === 'wrap' ? [copy] : m.kind === 'delete' ? undefined : m.value;
  let parent = copy as Record<string | number, unknown>;
  for (const k of path.slice(0, -1)) parent = parent[k] as Record<string | number, unknown>;
  const last = path[path.length - 1]!;
  if (m.kind === 'delete') {
    if (Array.isArray(parent)) parent.splice(Number(last), 1);
    else delete parent[last];
  } else parent[last] = m.kind === 'wrap' ? [parent[last]] : m.value;
  return copy;
}

const mutation: fc.Arbitrary<Mutation> = fc.oneof(
  { weight: 1, arbitrary: fc.constant<Mutation>({ kind: 'none' }) },
  { weight: 5, arbitrary: fc.record({ kind: fc.constant('replace' as const), at: fc.nat(), value: wrongValue }) },
  { weight: 1, arbitrary: fc.record({ kind: fc.constantFrom('delete' as const, 'wrap' as const), at: fc.nat(), value: fc.constant(null) }) },
  { weight: 1, arbitrary: fc.record({ kind: fc.constant('extra' as const), key: fc.constantFrom(...PROTO_KEYS), value: wrongValue }) },
);

// ---------------------------------------------------------------------------------------------------------------
// routes
// ---------------------------------------------------------------------------------------------------------------

const OPEN311: Array<[string, string, string[]]> = [
  ['GET', '/open311/v2/discovery.{format}', []],
  ['GET', '/open311/discovery.{format}', []],
  ['GET', '/open311/v2/services.{format}', []],
  ['GET', '/open311/v2/services/{service_code}.{format}', []],
  ['GET', '/open311/v2/requests.{format}', ['jurisdiction_id', 'start_date', 'end_date', 'service_request_id', 'service_code', 'status', 'page', 'page_size']],
  ['POST', '/open311/v2/requests.{format}', ['api_key']],
  ['GET', '/open311/v2/requests/{service_request_id}.{format}', []],
  ['GET', '/open311/v2/servicerequestupdates.{format}', ['jurisdiction_id', 'start_date', 'end_date']],
  ['GET', '/open311/v2/tokens/{token}.{format}', []],
];
const OPEN311_POST_FIELDS = ['api_key', 'jurisdiction_id', 'service_code', 'lat', 'long', 'address_string', 'address_id', 'email', 'device_id', 'account_id', 'first_name', 'last_name', 'phone', 'description', 'media_url'];

/** Fills a route's path: each parameter from `values` (cycled), the Open311 format as given. */
function fill(route: Route, values: string[], raw: boolean, format = 'json'): string {
  let i = 0;
  return route.path.replace(/\{([^}]+)\}/g, (_, name: string) => {
    if (name === 'format') return format;
    const v = values.length ? values[i++ % values.length]! : '1';
    return encodePathParam(v, raw);
  });
}

/** Plausible values for a route's path, so the hostile part reaches the handler instead of the 404. */
function plausible(route: Route): string[] {
  return route.params.map((p) =>
    p === 'code' && route.path.includes('jurisdictions') ? '990100' : p === 'code' ? 'CG-005' : p === 'matterTypeCode' ? 'CG-005' : p === 'level' ? 'district' : p === 'action' ? 'register' : p === 'day' ? '2026-10-01' : p === 'service_code' ? 'CG-005' : p === 'id' ? String(caseId) : '1',
  );
}

const roleArb = fc.constantFrom<Role>(...ROLES, 'anonymous');

/** A route and who calls it: mostly a role the route lets in (so the input gets past the policy), sometimes anyone. */
const target = (filter: (r: Route) => boolean = () => true): fc.Arbitrary<[Route, Role]> =>
  fc.constantFrom(...routes.filter(filter)).chain((r) => {
    const allowed = permitted.get(`${r.method} ${r.path}`) ?? [];
    return fc.tuple(fc.constant(r), allowed.length ? fc.oneof({ weight: 3, arbitrary: fc.constantFrom(...allowed) }, { weight: 1, arbitrary: roleArb }) : roleArb);
  });

const jsonBodyIfWrite = (method: string): Partial<Probe> => (isWrite(method) ? { payload: '{}', headers: { 'content-type': 'application/json' } } : {});

/** Which roles each route lets past its policy, learnt once by asking: 'METHOD /path' → roles. */
const permitted = new Map<string, Role[]>();
const POLICY_CODES = new Set(['forbidden', 'role_not_permitted', 'unauthenticated', 'session_expired']);

/** A value `schema` refuses (still short enough for the router), or null when nothing simple is refused. */
function invalidFor(schema: JsonSchema): string | null {
  if (schema.type === 'integer' || schema.type === 'number') return 'x';
  if (schema.enum || schema.anyOf || schema.pattern) return '!';
  if (schema.maxLength !== undefined && schema.maxLength < ROUTER_MAX_PARAM) return 'x'.repeat(schema.maxLength + 1);
  return null;
}

async function learnPolicies() {
  for (const r of routes) {
    // without a body schema the handler would run on '[]' (sign-out, password reset…): those are asked of everyone
    if (r.kind !== 'api' || (isWrite(r.method) && !r.bodySchema)) continue;
    // the policy is checked before validation: an invalid parameter or body keeps the handler from running
    const values = plausible(r).map((v, i) => invalidFor(r.paramSchemas[r.params[i]!] ?? {}) ?? v);
    const badQuery = Object.entries(r.querySchemas).find(([, q]) => invalidFor(q) !== null);
    const url = fill(r, values, false) + (badQuery ? `?${badQuery[0]}=${enc(invalidFor(badQuery[1])!)}` : '');
    const roles: Role[] = [];
    for (const role of ROLES) {
      const res = await send({ role, method: r.method, url, ...(isWrite(r.method) ? { payload: '[]', headers: { 'content-type': 'application/json' } } : {}) });
      const code = res.statusCode === 401 || res.statusCode === 403 ? (JSON.parse(res.body) as { error?: { code?: string } }).error?.code : undefined;
      if (!code || !POLICY_CODES.has(code)) roles.push(role);
    }
    permitted.set(`${r.method} ${r.path}`, roles);
  }
}
const formatArb = fc.oneof({ weight: 6, arbitrary: fc.constantFrom('json', 'xml') }, { weight: 1, arbitrary: fc.constantFrom('JSON', 'Xml', 'html', 'json%00', 'json.xml', 'xml.json', '', 'csv', '%2e%2e') });

// ---------------------------------------------------------------------------------------------------------------

beforeAll(async () => {
  t = await testApp();
  await seedOpen311DemoClient(t.handle.db, KEY);
  for (const role of ROLES) sessions.set(role, await signIn(t.app, role));
  userSnapshot = await t.handle.db
    .selectFrom('app_user')
    .select(['id', 'password_hash', 'roles', 'jurisdiction_code', 'department_id', 'active', 'must_change_password', 'totp_secret', 'totp_enabled', 'totp_pending_secret', 'display_name'])
    .where('username', 'like', 'demo-%')
    .execute();
  const created = await sessions.get('demo-hotline')!.post('/api/cases', {
    channel: 'hotline',
    title: '路灯不亮',
    description: '小区门口的路灯连续三天晚上不亮，行人看不清路。',
    matterTypeCode: 'CG-005',
    location: { lng: 111.5525, lat: 40.7615 },
    reporter: { name: '张三', phone: '13812345678' },
  });
  expect(created.statusCode).toBe(201);
  caseId = created.json().id;

  const doc = (await t.app.inject({ method: 'GET', url: '/api/openapi.json' })).json() as {
    paths: Record<string, Record<string, { parameters?: Array<{ in: string; name: string; schema?: JsonSchema }>; requestBody?: { content: Record<string, { schema?: JsonSchema }> } }>>;
  };
  const schemasIn = (op: { parameters?: Array<{ in: string; name: string; schema?: JsonSchema }> }, where: string) =>
    Object.fromEntries((op.parameters ?? []).filter((p) => p.in === where).map((p) => [p.name, p.schema ?? {}]));
  routes = Object.entries(doc.paths).flatMap(([path, methods]) =>
    Object.entries(methods).map(([m, op]) => ({
      method: m.toUpperCase(),
      path,
      kind: 'api' as const,
      params: (op.parameters ?? []).filter((p) => p.in === 'path').map((p) => p.name),
      query: (op.parameters ?? []).filter((p) => p.in === 'query').map((p) => p.name),
      bodyFields: Object.keys(op.requestBody?.content['application/json']?.schema?.properties ?? {}),
      bodySchema: op.requestBody?.content['application/json']?.schema,
      paramSchemas: schemasIn(op, 'path'),
      querySchemas: schemasIn(op, 'query'),
    })),
  );
  expect(routes.length).toBeGreaterThan(50);
  for (const [method, path, query] of OPEN311) {
    const params = [...path.matchAll(/\{([^}]+)\}/g)].map((m) => m[1]!).filter((p) => p !== 'format');
    routes.push({ method, path, kind: 'open311', params, query, bodyFields: method === 'POST' ? OPEN311_POST_FIELDS : [], paramSchemas: Object.fromEntries(params.map((p) => [p, { type: 'string', maxLength: 40 }])), querySchemas: {} });
  }
  for (const r of routes) Object.defineProperty(r, fc.toStringMethod, { value: () => `${r.method} ${r.path}` });
  await learnPolicies();
}, 120_000);
afterAll(async () => {
  if (process.env.ZHILI_PROP_STATS) console.log([...stats].sort().map(([k, n]) => `${String(n).padStart(5)}  ${k}`).join('\n'));
  await t?.close();
});

const RUNS = Number(process.env.ZHILI_PROP_RUNS ?? 50);
if (process.env.ZHILI_PROP_SEED) fc.configureGlobal({ seed: Number(process.env.ZHILI_PROP_SEED) });

describe('hostile input to every route', () => {
  it('path parameters: never a 5xx, always a message, nothing written', async () => {
    await fc.assert(
      fc.asyncProperty(target((r) => r.params.length > 0), fc.array(pathParam, { minLength: 1, maxLength: 2 }), fc.boolean(), formatArb, async ([route, role], values, raw, format) => {
        const url = fill(route, values, raw, format);
        await attempt({ role, method: route.method, url, ...jsonBodyIfWrite(route.method) });
      }),
      { numRuns: RUNS },
    );
  }, 120_000);

  it('query strings: wrong types, repeated keys, prototype keys, huge values', async () => {
    await fc.assert(
      fc.asyncProperty(
        target().chain(([r, role]) => fc.tuple(fc.constant(r), fc.constant(role), queryString(r.query))),
        formatArb,
        async ([route, role, query], format) => {
          const url = fill(route, plausible(route), false, format) + query;
          await attempt({ role, method: route.method, url, ...jsonBodyIfWrite(route.method) });
        },
      ),
      { numRuns: RUNS },
    );
  }, 120_000);

  it('JSON bodies: wrong shapes and types, prototype keys, deep nesting, huge strings', async () => {
    await fc.assert(
      fc.asyncProperty(
        target((r) => isWrite(r.method)).chain(([r, role]) => fc.tuple(fc.constant(r), fc.constant(role), jsonText(r.bodyFields))),
        async ([route, role, text]) => {
          const url = fill(route, plausible(route), false);
          await attempt({ role, method: route.method, url, payload: text, headers: { 'content-type': 'application/json' } });
        },
      ),
      { numRuns: RUNS },
    );
  }, 120_000);

  it('schema-valid bodies and path parameters, each with at most one field made hostile, reach the handlers safely', async () => {
    await fc.assert(
      fc.asyncProperty(
        target((r) => isWrite(r.method) && r.kind === 'api').chain(([r, role]) =>
          fc.tuple(
            fc.constant(r),
            fc.constant(role),
            fc.tuple(...r.params.map((p) => validFor(r.paramSchemas[p] ?? {}, p))),
            r.bodySchema ? validFor(r.bodySchema) : fc.constant(undefined),
            mutation,
          ),
        ),
        fc.option(fc.oneof(hostileString.map(headerSafe), fc.stringMatching(/^[A-Za-z0-9-]{8,100}$/)), { freq: 3 }),
        async ([route, role, params, body, m], idem) => {
          const url = fill(route, params.map(String), false);
          const payload = body === undefined && m.kind === 'none' ? '{}' : (JSON.stringify(mutate(body ?? {}, m)) ?? '{}');
          const headers: Record<string, string> = { 'content-type': 'application/json' };
          if (idem !== null) headers['idempotency-key'] = idem;
          await attempt({ role, method: route.method, url, payload, headers });
        },
      ),
      { numRuns: RUNS },
    );
  }, 120_000);

  it('schema-valid query strings with at most one value made hostile', async () => {
    await fc.assert(
      fc.asyncProperty(
        target((r) => Object.keys(r.querySchemas).length > 0).chain(([r, role]) =>
          fc.tuple(
            fc.constant(r),
            fc.constant(role),
            fc.tuple(...r.params.map((p) => validFor(r.paramSchemas[p] ?? {}, p))),
            fc.record(Object.fromEntries(Object.entries(r.querySchemas).map(([k, v]) => [k, validFor(v, k)])), { requiredKeys: [] }),
            fc.option(fc.tuple(fc.constantFrom(...Object.keys(r.querySchemas)), queryValue)),
          ),
        ),
        async ([route, role, params, query, hostile]) => {
          const q = new URLSearchParams(Object.entries(query).map(([k, v]) => [k, String(v)]));
          if (hostile) q.set(hostile[0], wellFormed(hostile[1]));
          const url = `${fill(route, params.map(String), false)}${q.size ? `?${q}` : ''}`;
          await attempt({ role, method: route.method, url });
        },
      ),
      { numRuns: RUNS },
    );
  }, 120_000);

  it('bodies that are not JSON, under every content type', async () => {
    await fc.assert(
      fc.asyncProperty(target((r) => isWrite(r.method)), garbageBody, fc.constantFrom(...CONTENT_TYPES), async ([route, role], payload, contentType) => {
        const url = fill(route, plausible(route), false);
        await attempt({ role, method: route.method, url, payload, headers: { 'content-type': contentType } });
      }),
      { numRuns: RUNS },
    );
  }, 120_000);

  it('a body over the 2 MB limit is refused with a 413 (or 415 for a type nobody reads) and a message', async () => {
    await fc.assert(
      fc.asyncProperty(
        target((r) => isWrite(r.method) && r.path !== '/api/jurisdictions/import'),
        fc.constantFrom('application/json', 'text/plain', 'application/x-www-form-urlencoded'),
        fc.integer({ min: 2 * 1024 * 1024 + 1, max: 3 * 1024 * 1024 }),
        async ([route, role], contentType, size) => {
          const payload = contentType === 'application/json' ? `{"title":"${'x'.repeat(size)}"}` : 'x'.repeat(size);
          const p: Probe = { role, method: route.method, url: fill(route, plausible(route), false, 'json'), payload, headers: { 'content-type': contentType } };
          const res = await attempt(p);
          expect([413, 415], describeProbe(p, res)).toContain(res.statusCode);
        },
      ),
      { numRuns: 10 },
    );
  }, 120_000);

  it('headers: Accept-Language, Idempotency-Key, X-CSRF-Token, Cookie, Accept', async () => {
    const sometimes = <T,>(arb: fc.Arbitrary<T>) => fc.oneof({ weight: 2, arbitrary: fc.constant(null) }, { weight: 1, arbitrary: arb });
    await fc.assert(
      fc.asyncProperty(
        target(),
        ACCEPT_LANGUAGE,
        sometimes(fc.oneof(hostileString.map(headerSafe), fc.integer({ min: 101, max: 200_000 }).map((n) => 'k'.repeat(n)))),
        sometimes(fc.oneof(hostileString.map(headerSafe), fc.constant(''))),
        sometimes(fc.constantFrom('zhili_session=', 'zhili_session=x', 'zhili_session="', `zhili_session=${'a'.repeat(10_000)}`, 'zhili_session=%00', ';;;', 'zhili_session=a; zhili_session=b', '=', '__proto__=1')),
        sometimes(fc.constantFrom('*/*', 'text/html', 'application/xml', 'image/*;q=0', '\u00ff', 'x'.repeat(5_000))),
        async ([route, role], lang, idem, csrf, cookie, accept) => {
          const url = fill(route, plausible(route), false);
          const headers: Record<string, string> = { 'accept-language': headerSafe(lang) };
          if (idem !== null) headers['idempotency-key'] = idem;
          if (accept !== null) headers.accept = headerSafe(accept);
          const probe: Probe = { role, method: route.method, url, headers };
          if (isWrite(route.method)) {
            probe.payload = '{}';
            headers['content-type'] = 'application/json';
          }
          if (csrf !== null) probe.csrf = csrf;
          if (cookie !== null) probe.cookie = cookie;
          const res = await attempt(probe);
          // a write with a forged CSRF token from a signed-in browser is refused before anything else
          if (csrf !== null && cookie === null && role !== 'anonymous' && isWrite(route.method) && route.kind === 'api' && route.path !== '/api/auth/login' && csrf !== sessions.get(role)!.csrf) {
            expect(res.statusCode, describeProbe(probe, res)).toBe(403);
          }
        },
      ),
      { numRuns: RUNS },
    );
  }, 120_000);

  it('wrong methods and unknown paths answer a 4xx in the right format', async () => {
    await fc.assert(
      fc.asyncProperty(
        fc.oneof(
          target().map(([r]) => fill(r, plausible(r), false)),
          fc.constantFrom('/api/', '/api', '/api/cases/1/nope', '/open311/', '/open311/v2/', '/open311/v2/nothing.json', '/open311/v2/nothing.xml', '/open311/v2/requests', '/open311/v3/requests.json'),
          hostileString.map((s) => `/api/${encodePathParam(s, true)}`),
          hostileString.map((s) => `/open311/v2/${encodePathParam(s, true)}.json`),
        ),
        fc.constantFrom('GET', 'POST', 'PUT', 'PATCH', 'DELETE', 'HEAD', 'OPTIONS'),
        roleArb,
        async (url, method, role) => {
          await attempt({ role, method, url, ...jsonBodyIfWrite(method) });
        },
      ),
      { numRuns: RUNS },
    );
  }, 120_000);

  it('no __proto__ or constructor key sent so far has polluted a prototype', () => {
    const probe = {} as Record<string, unknown>;
    for (const k of ['isAdmin', 'polluted', 'roles', 'x', 'a', 'b']) expect(probe[k], k).toBeUndefined();
    expect(Object.keys(Object.prototype)).toEqual([]);
    expect(Object.keys(Array.prototype)).toEqual([]);
  });

  it('Open311 POST requests: hostile fields with a valid key, and no key at all', async () => {
    const base = fc.record(
      {
        service_code: fc.oneof(fc.constantFrom('CG-005', 'CG-003'), hostileString),
        lat: fc.oneof(fc.constant('40.7615'), fc.double({ min: -90, max: 90, noNaN: true }).map(String), queryValue),
        long: fc.oneof(fc.constant('111.5525'), fc.double({ min: -180, max: 180, noNaN: true }).map(String), queryValue),
        description: fc.oneof(fc.constant('小区门口的路灯连续三天晚上不亮'), hostileString),
        address_string: hostileString,
        email: fc.oneof(fc.constant('a@example.org'), hostileString),
        phone: fc.oneof(fc.constant('+86 138 1234 5678'), hostileString),
        first_name: hostileString,
        media_url: fc.oneof(fc.constant('https://img.example.org/a.jpg'), fc.constantFrom('javascript:alert(1)', 'file:///etc/passwd', 'http://169.254.169.254/latest/meta-data/'), hostileString),
        jurisdiction_id: fc.oneof(fc.constantFrom('990100', '990102'), hostileString),
      },
      { requiredKeys: [] },
    );
    const extra = fc.array(fc.tuple(fc.constantFrom(...OPEN311_POST_FIELDS, ...PROTO_KEYS), queryValue), { maxLength: 3 });
    const key = fc.oneof({ weight: 4, arbitrary: fc.constant<string | null>(KEY) }, { weight: 1, arbitrary: fc.constantFrom<string | null>(null, '', 'wrong-key', `${KEY} `) });
    await fc.assert(
      fc.asyncProperty(base, extra, fc.constantFrom('form', 'json', 'json-array', 'query-key'), key, formatArb, fc.option(hostileString.map(headerSafe)), async (fields, pairs, encoding, apiKey, format, idem) => {
        const url = `/open311/v2/requests.${format}${encoding === 'query-key' && apiKey !== null ? `?api_key=${enc(apiKey)}` : ''}`;
        const body: Record<string, string> = {};
        if (apiKey !== null && encoding !== 'query-key') body.api_key = apiKey;
        for (const [k, v] of [...Object.entries(fields), ...pairs]) Object.defineProperty(body, k, { value: v, enumerable: true, configurable: true, writable: true });
        const headers: Record<string, string> = {};
        if (idem !== null) headers['idempotency-key'] = idem;
        let payload: string;
        if (encoding === 'json') payload = JSON.stringify(body);
        else if (encoding === 'json-array') payload = JSON.stringify([body]);
        else payload = Object.entries(body).map(([k, v]) => `${enc(k)}=${enc(v)}`).join('&');
        headers['content-type'] = encoding.startsWith('json') ? 'application/json' : 'application/x-www-form-urlencoded';
        await attempt({ role: 'anonymous', method: 'POST', url, payload, headers });
      }),
      { numRuns: RUNS },
    );
  }, 120_000);
});

describe('hostile retries', () => {
  it('the same submission fired concurrently with one Idempotency-Key makes one case, never a 5xx', async () => {
    const countCases = async () => Number((await t.handle.db.selectFrom('case_file').select((eb) => eb.fn.countAll<number>().as('n')).executeTakeFirstOrThrow()).n);
    await fc.assert(
      fc.asyncProperty(
        fc.constantFrom('api', 'open311'),
        fc.integer({ min: 2, max: 4 }),
        fc.stringMatching(/^[A-Za-z0-9-]{8,40}$/),
        word(20),
        async (where, copies, key, words) => {
          const before = await countCases();
          const title = `路灯不亮 ${words}`;
          const one = (): Promise<LightMyRequestResponse> =>
            where === 'api'
              ? send({ role: 'demo-hotline', method: 'POST', url: '/api/cases', headers: { 'idempotency-key': `p-${key}`, 'content-type': 'application/json' }, payload: JSON.stringify({ ...VALID_CASE, title }) })
              : send({ role: 'anonymous', method: 'POST', url: '/open311/v2/requests.json', headers: { 'idempotency-key': `p-${key}`, 'content-type': 'application/x-www-form-urlencoded' }, payload: new URLSearchParams({ api_key: KEY, service_code: 'CG-005', lat: '40.7615', long: '111.5525', description: title }).toString() });
          const answers = await Promise.all(Array.from({ length: copies }, one));
          for (const res of answers) expect(res.statusCode, res.body.slice(0, 300)).toBeLessThan(500);
          const ids = new Set(answers.filter((r) => r.statusCode < 300).map((r) => (where === 'api' ? String(r.json().id) : String(r.json()[0].service_request_id))));
          expect(ids.size).toBeLessThanOrEqual(1);
          expect(await countCases()).toBe(before + ids.size);
        },
      ),
      { numRuns: 10 },
    );
  }, 120_000);
});

// ---------------------------------------------------------------------------------------------------------------
// uploads
// ---------------------------------------------------------------------------------------------------------------

const PNG = Buffer.from('iVBORw0KGgoAAAANSUhEUgAAAAEAAAABCAYAAAAfFcSJAAAADUlEQVR42mP8z8BQDwAEhQGAhKmMIQAAAABJRU5ErkJggg==', 'base64');
const GIF = Buffer.from('R0lGODlhAQABAIAAAAAAAP///yH5BAEAAAAALAAAAAABAAEAAAIBRAA7', 'base64');
const PDF = Buffer.from('%PDF-1.4\n1 0 obj<</Type/Catalog/Pages 2 0 R>>endobj 2 0 obj<</Type/Pages/Kids[3 0 R]/Count 1>>endobj 3 0 obj<</Type/Page/MediaBox[0 0 3 3]>>endobj\ntrailer<</Root 1 0 R>>\n%%EOF\n');
const REAL_FILES: Array<{ bytes: Buffer; mime: string }> = [
  { bytes: PNG, mime: 'image/png' },
  { bytes: GIF, mime: 'image/gif' },
  { bytes: PDF, mime: 'application/pdf' },
];
const ALLOWED_MIMES = new Set(['image/jpeg', 'image/png', 'image/webp', 'image/gif', 'image/heic', 'application/pdf', 'application/vnd.openxmlformats-officedocument.wordprocessingml.document', 'application/vnd.openxmlformats-officedocument.spreadsheetml.sheet', 'audio/mpeg', 'audio/x-m4a', 'video/mp4']);

const fileName = fc.oneof(
  fc.tuple(fc.string({ maxLength: 20 }), fc.constantFrom('.jpg', '.jpeg', '.png', '.gif', '.webp', '.pdf', '.docx', '.xlsx', '.mp4', '.heic', '.JPG', '.pdf.exe', '.exe', '.sh', '.html', '.svg', '')).map(([a, b]) => a + b),
  fc.constantFrom('../../etc/passwd.png', '..\\..\\boot.ini.pdf', 'a\u0000.png', 'photo.png\u0000.exe', '"quoted".jpg', 'semi;colon.png', `${'x'.repeat(1_000)}.png`, '', '.', '现场照片.jpg', '<script>.png', '%00.png', 'CON.png'),
);
const declaredType = fc.constantFrom('image/jpeg', 'image/png', 'application/pdf', 'image/svg+xml', 'text/html', 'application/octet-stream', 'application/x-msdownload', 'video/mp4', '', 'image/png; charset=utf-8', 'garbage');

/** A multipart body with one file part, the name and declared type escaped as a browser would (quotes as %22). */
function multipart(name: string, content: Buffer, type: string, boundary = '----zhili-prop-boundary') {
  const safe = name.replace(/"/g, '%22').replace(/[\r\n]/g, ' ');
  const head = `--${boundary}\r\nContent-Disposition: form-data; name="file"; filename="${safe}"\r\n${type ? `Content-Type: ${type}\r\n` : ''}\r\n`;
  return { headers: { 'content-type': `multipart/form-data; boundary=${boundary}` }, payload: Buffer.concat([Buffer.from(head), content, Buffer.from(`\r\n--${boundary}--\r\n`)]) };
}

const UPLOADERS: Role[] = ['demo-hotline', 'demo-city'];

describe('uploads are judged by their bytes', () => {
  it('random bytes under image and document names are refused (415/400) unless the bytes are a real allowed type', async () => {
    await fc.assert(
      fc.asyncProperty(
        fc.oneof(
          fc.uint8Array({ minLength: 0, maxLength: 4_096 }),
          // the right magic number followed by junk, and junk with a real file's tail
          fc.tuple(fc.constantFrom(...REAL_FILES), fc.uint8Array({ maxLength: 512 })).map(([f, junk]) => Uint8Array.from([...junk, ...f.bytes])),
          fc.string({ maxLength: 300 }).map((s) => new TextEncoder().encode(s)),
          fc.constantFrom('<svg xmlns="http://www.w3.org/2000/svg"><script>alert(1)</script></svg>', '<!doctype html><script>alert(1)</script>', 'MZ\x90\x00\x03', '#!/bin/sh\nrm -rf /\n', 'PK\x03\x04garbage').map((s) => Buffer.from(s, 'latin1')),
        ),
        fileName,
        declaredType,
        fc.constantFrom(...UPLOADERS),
        async (bytes, name, type, role) => {
          const content = Buffer.from(bytes);
          const real = content.length ? await fileTypeFromBuffer(content) : undefined;
          const allowed = real !== undefined && ALLOWED_MIMES.has(real.mime);
          const { headers, payload } = multipart(name, content, type);
          const probe: Probe = { role, method: 'POST', url: `/api/cases/${caseId}/attachments`, headers, payload };
          const res = await attempt(probe);
          if (allowed) {
            expect(res.statusCode, describeProbe(probe, res)).toBe(201);
            expect(res.json().mimeType).toBe(real.mime);
          } else {
            expect([400, 415], describeProbe(probe, res)).toContain(res.statusCode);
            expect(res.json().error.field).toBe('file');
          }
        },
      ),
      { numRuns: RUNS },
    );
  }, 120_000);

  it('a real image or PDF is accepted whatever its name and declared type; the type stored is the sniffed one', async () => {
    await fc.assert(
      fc.asyncProperty(fc.constantFrom(...REAL_FILES), fc.oneof(fileName, fc.constantFrom('malware.exe', 'run.sh', 'index.html', 'x.svg')), declaredType, fc.constantFrom(...UPLOADERS), async (file, name, type, role) => {
        const { headers, payload } = multipart(name, file.bytes, type);
        const probe: Probe = { role, method: 'POST', url: `/api/cases/${caseId}/attachments`, headers, payload };
        const res = await attempt(probe);
        expect(res.statusCode, describeProbe(probe, res)).toBe(201);
        const a = res.json() as { id: number; mimeType: string; fileName: string; sizeBytes: number };
        expect(a.mimeType).toBe(file.mime);
        expect(a.sizeBytes).toBe(file.bytes.length);
        expect(a.fileName).not.toMatch(/[\\/\u0000-\u001f"]/);
        const down = await send({ role, method: 'GET', url: `/api/cases/${caseId}/attachments/${a.id}` });
        expect(down.statusCode).toBe(200);
        expect(down.headers['content-type']).toBe(file.mime);
        // magic numbers are all the sniffing checks (see the report): a download must never render in the browser
        expect(down.headers['content-disposition']).toMatch(/^attachment;/);
        expect(down.headers['x-content-type-options']).toBe('nosniff');
        expect(Buffer.compare(down.rawPayload, file.bytes)).toBe(0);
      }),
      { numRuns: 25 },
    );
  }, 120_000);

  it('a real PNG named .exe is accepted as image/png', async () => {
    const { headers, payload } = multipart('setup.exe', PNG, 'application/x-msdownload');
    const res = await check({ role: 'demo-hotline', method: 'POST', url: `/api/cases/${caseId}/attachments`, headers, payload });
    expect(res.statusCode).toBe(201);
    expect(res.json()).toMatchObject({ mimeType: 'image/png', fileName: 'setup.png', label: 'setup.exe' });
  });

  it('broken multipart envelopes are refused with a 4xx and write nothing', async () => {
    const boundary = 'zzzBOUNDARYzzz';
    const part = (name: string, body: string, filename?: string) => `--${boundary}\r\nContent-Disposition: form-data; name="${name}"${filename === undefined ? '' : `; filename="${filename}"`}\r\n\r\n${body}\r\n`;
    const envelopes: Array<{ ct: string; body: string | Buffer }> = [
      { ct: 'multipart/form-data', body: part('file', 'abc', 'a.png') + `--${boundary}--\r\n` },
      { ct: 'multipart/form-data; boundary=', body: part('file', 'abc', 'a.png') },
      { ct: `multipart/form-data; boundary=${boundary}`, body: '' },
      { ct: `multipart/form-data; boundary=${boundary}`, body: `--${boundary}--\r\n` },
      { ct: `multipart/form-data; boundary=${boundary}`, body: part('file', PNG.toString('latin1'), 'a.png') }, // no closing boundary
      { ct: `multipart/form-data; boundary=${boundary}`, body: part('note', 'just a field') + `--${boundary}--\r\n` },
      { ct: `multipart/form-data; boundary=${boundary}`, body: part('file', '', 'empty.png') + `--${boundary}--\r\n` },
      { ct: `multipart/form-data; boundary=${boundary}`, body: part('file', 'x', 'a.png') + part('file', 'y', 'b.png') + `--${boundary}--\r\n` },
      { ct: `multipart/form-data; boundary=${boundary}`, body: Array.from({ length: 10 }, (_, i) => part(`f${i}`, 'v')).join('') + part('file', 'x', 'a.png') + `--${boundary}--\r\n` },
      { ct: `multipart/form-data; boundary=${boundary}`, body: `--${boundary}\r\nContent-Disposition: garbage\r\n\r\nabc\r\n--${boundary}--\r\n` },
      { ct: `multipart/form-data; boundary=wrong`, body: part('file', 'abc', 'a.png') + `--${boundary}--\r\n` },
      { ct: 'application/json', body: '{"file":"iVBORw0KGgo="}' },
      { ct: 'image/png', body: PNG },
    ];
    await fc.assert(
      fc.asyncProperty(fc.constantFrom(...envelopes), fc.constantFrom(...UPLOADERS), fc.constantFrom(String(caseId), '0', '999999', '-1'), async (env, role, id) => {
        const probe: Probe = { role, method: 'POST', url: `/api/cases/${id}/attachments`, headers: { 'content-type': env.ct }, payload: env.body };
        const res = await attempt(probe);
        expect(res.statusCode, describeProbe(probe, res)).toBeGreaterThanOrEqual(400);
      }),
      { numRuns: 30 },
    );
  }, 120_000);
});

// ---------------------------------------------------------------------------------------------------------------
// regressions: each property pinned one bug these properties found (it was `it.fails` while the bug was open; a
// comment names what went wrong). All eleven are fixed now; a bug found later goes here as `it.fails` until fixed.
// ---------------------------------------------------------------------------------------------------------------

const KNOWN_RUNS = 20;
const word = (max: number) => fc.string({ unit: fc.constantFrom(...'abcXYZ019_-中文'), minLength: 1, maxLength: max });
/** Where the bug shows, as role + method + URL (+ JSON body) built from the generated value. */
interface Site {
  role: Role;
  method: string;
  url: (v: string) => string;
  body?: (v: string) => unknown;
}
/** Sites print as "role METHOD url-with-V" in counterexamples. */
const named = (site: Site): Site => Object.defineProperty(site, fc.toStringMethod, { value: () => `${site.role} ${site.method} ${site.url('V')}${site.body ? ` ${JSON.stringify(site.body('V'))}` : ''}` });
const siteProbe = (site: Site, v: string): Probe => ({
  role: site.role,
  method: site.method,
  url: site.url(v),
  ...(site.body ? { payload: JSON.stringify(site.body(v)), headers: { 'content-type': 'application/json' } } : {}),
});
/** check(), and the answer must be a refusal (4xx), not a success. */
async function refused(p: Probe): Promise<void> {
  const res = await check(p);
  expect(res.statusCode, describeProbe(p, res)).toBeGreaterThanOrEqual(400);
}
const VALID_CASE = { channel: 'hotline', title: '路灯不亮', description: '小区门口的路灯连续三天晚上不亮，行人看不清路。', matterTypeCode: 'CG-005', location: { lng: 111.5525, lat: 40.7615 } };

describe('regressions of bugs found by these properties', () => {
  // BUG-1: FST_ERR_MAX_PARAM_LENGTH (414) and FST_ERR_BAD_URL (400) skip both error handlers: the body is Fastify's {"error":"Bad Request","code":"FST_ERR_…","message":…}, JSON even for /open311/….xml
  it('BUG-1 a path parameter over 100 characters or with a malformed escape is answered in the API error format', async () => {
    await fc.assert(
      fc.asyncProperty(target((r) => r.params.length > 0), fc.oneof(fc.stringMatching(/^[a-z0-9]{101,2000}$/), fc.constantFrom('%', '%zz', 'a%E0%A4%A', '%C3%28', 'abc%')), formatArb, async ([route, role], bad, format) => {
        const url = route.path.replace(/\{([^}]+)\}/g, (_, name: string) => (name === 'format' ? format : bad));
        await refused({ role, method: route.method, url, ...jsonBodyIfWrite(route.method) });
      }),
      { numRuns: KNOWN_RUNS },
    );
  });

  // BUG-2: U+0000 in any text that reaches PostgreSQL → 500 "invalid byte sequence for encoding UTF8: 0x00" (query, path and body alike)
  it('BUG-2 text containing U+0000 is refused with a 400', async () => {
    const sites: Site[] = [
      ...['grids', 'jurisdictions', 'departments', 'matter-types', 'cases'].map((r): Site => ({ role: 'demo-city', method: 'GET', url: (v) => `/api/${r}?q=${enc(v)}` })),
      { role: 'demo-city', method: 'GET', url: (v) => `/api/matter-types/${enc(v)}` },
      { role: 'anonymous', method: 'GET', url: (v) => `/open311/v2/services/${enc(v)}.json` },
      { role: 'anonymous', method: 'GET', url: (v) => `/open311/v2/requests/${enc(v)}.xml` },
      { role: 'anonymous', method: 'GET', url: (v) => `/open311/v2/requests.json?service_request_id=${enc(v)}` },
      { role: 'demo-hotline', method: 'POST', url: () => '/api/cases', body: (v) => ({ ...VALID_CASE, title: v }) },
      { role: 'demo-admin', method: 'POST', url: () => '/api/open311/clients', body: (v) => ({ name: v }) },
    ];
    await fc.assert(
      fc.asyncProperty(fc.constantFrom(...sites.map(named)), word(8), word(8), async (site, a, b) => {
        await refused(siteProbe(site, `${a}\u0000${b}`));
      }),
      { numRuns: KNOWN_RUNS },
    );
  });

  // BUG-3: ajv's coerceTypes turns "Infinity", "-Infinity" and "1e400" into ±Infinity, which passes type integer with minimum/maximum → PostgreSQL "invalid input syntax for type integer/bigint" → 500
  it('BUG-3 integers given as Infinity or 1e400 are refused with a 400', async () => {
    const sites: Site[] = [
      ...['cases', 'grids', 'departments'].map((r): Site => ({ role: 'demo-city', method: 'GET', url: (v) => `/api/${r}/${enc(v)}` })),
      { role: 'demo-city', method: 'GET', url: (v) => `/api/grids?limit=${enc(v)}` },
      { role: 'demo-city', method: 'GET', url: (v) => `/api/cases?departmentId=${enc(v)}` },
      { role: 'demo-city', method: 'GET', url: (v) => `/api/calendar?year=${enc(v)}` },
      { role: 'anonymous', method: 'GET', url: (v) => `/open311/v2/requests.json?page_size=${enc(v)}` },
      { role: 'demo-city', method: 'POST', url: () => `/api/cases/${caseId}/actions/dispatch`, body: (v) => ({ departmentId: v }) },
    ];
    const infinite = fc.oneof(fc.constantFrom('Infinity', '-Infinity', '+Infinity'), fc.tuple(fc.constantFrom('', '-'), fc.integer({ min: 309, max: 99_999 })).map(([sign, e]) => `${sign}1e${e}`));
    await fc.assert(
      fc.asyncProperty(fc.constantFrom(...sites.map(named)), infinite, async (site, v) => {
        await refused(siteProbe(site, v));
      }),
      { numRuns: KNOWN_RUNS },
    );
  });

  // BUG-4: `offset` has no maximum: 2^63 and more → PostgreSQL "bigint out of range" → 500 on every paged list
  it('BUG-4 an offset past 2^63 is refused with a 400', async () => {
    const lists = ['/api/cases', '/api/grids', '/api/departments', '/api/matter-types', '/api/jurisdictions', '/api/notifications', '/api/users', '/api/audit', '/api/responsibility-matrix/history'];
    const sites = routes.filter((r) => r.method === 'GET' && lists.includes(r.path) && (permitted.get(`GET ${r.path}`) ?? []).length > 0);
    await fc.assert(
      fc.asyncProperty(fc.constantFrom(...sites), fc.oneof(fc.bigInt({ min: 2n ** 63n, max: 10n ** 300n }).map(String), fc.integer({ min: 19, max: 308 }).map((e) => `1e${e}`)), async (route, offset) => {
        await refused({ role: permitted.get(`GET ${route.path}`)![0]!, method: 'GET', url: `${route.path}?offset=${offset}` });
      }),
      { numRuns: KNOWN_RUNS },
    );
  });

  // BUG-5: dates whose UTC instant falls in year 0 or 10000+ reach PostgreSQL → "date/time field value out of range" → 500 (Open311 adds its 90-day window to the date given)
  it('BUG-5 dates at the edge of the calendar are refused with a 400', async () => {
    const dd = fc.integer({ min: 3, max: 28 }).map((d) => String(d).padStart(2, '0'));
    const sites = fc.oneof(
      fc.tuple(fc.constantFrom('requests', 'servicerequestupdates'), fc.constantFrom('json', 'xml'), fc.constantFrom('11', '12'), dd).map(([r, f, m, d]) => ({ role: 'anonymous' as Role, url: `/open311/v2/${r}.${f}?start_date=9999-${m}-${d}` })),
      fc.tuple(fc.constantFrom('requests', 'servicerequestupdates'), fc.constantFrom('json', 'xml'), fc.constantFrom('01', '02', '03'), dd).map(([r, f, m, d]) => ({ role: 'anonymous' as Role, url: `/open311/v2/${r}.${f}?end_date=0001-${m}-${d}` })),
      fc.tuple(fc.constantFrom('from', 'to'), fc.constantFrom('/api/audit', '/api/audit/export')).map(([k, path]) => ({ role: 'demo-auditor' as Role, url: `${path}?${k}=0001-01-01` })),
    );
    await fc.assert(
      fc.asyncProperty(sites, async ({ role, url }) => {
        await refused({ role, method: 'GET', url });
      }),
      { numRuns: KNOWN_RUNS },
    );
  });

  // BUG-6: an upload whose Content-Type is multipart/form-data without a boundary → busboy "Multipart: Boundary not found" → 500
  it('BUG-6 a multipart upload without a boundary is refused with a 400', async () => {
    await fc.assert(
      fc.asyncProperty(fc.constantFrom('multipart/form-data', 'multipart/form-data;', 'multipart/form-data; charset=utf-8', 'Multipart/Form-Data'), fc.uint8Array({ maxLength: 256 }), fc.constantFrom<Role>(...UPLOADERS), async (ct, bytes, role) => {
        await refused({ role, method: 'POST', url: `/api/cases/${caseId}/attachments`, headers: { 'content-type': ct }, payload: Buffer.from(bytes) });
      }),
      { numRuns: KNOWN_RUNS },
    );
  });

  // BUG-7: attachmentIds items are integers without a maximum: 2^31 and more → PostgreSQL "out of range for type integer" → 500
  it('BUG-7 an attachment id past 2^31-1 is refused with a 400', async () => {
    await fc.assert(
      fc.asyncProperty(fc.bigInt({ min: 2n ** 31n, max: 2n ** 53n }).map(Number), async (n) => {
        await refused({ role: 'demo-city', method: 'POST', url: `/api/cases/${caseId}/actions/feed-back`, payload: JSON.stringify({ result: '已修复，附现场照片', attachmentIds: [n] }), headers: { 'content-type': 'application/json' } });
      }),
      { numRuns: KNOWN_RUNS },
    );
  });

  // BUG-8: POST /api/users with a departmentId that does not exist (or is past 2^31-1) → foreign-key / range error from PostgreSQL → 500
  it('BUG-8 a new user in an unknown department is refused with a 400', async () => {
    await fc.assert(
      fc.asyncProperty(fc.stringMatching(/^[a-z][a-z0-9._-]{5,20}$/), fc.oneof(fc.integer({ min: 100_000, max: 2 ** 31 - 1 }), fc.constant(2 ** 31)), async (username, departmentId) => {
        const body = { username: `zz${username}`, displayName: '测试用户', password: 'Xy7!kq2Lp9#vR4mZ', jurisdictionCode: '990102', departmentId };
        await refused({ role: 'demo-admin', method: 'POST', url: '/api/users', payload: JSON.stringify(body), headers: { 'content-type': 'application/json' } });
      }),
      { numRuns: KNOWN_RUNS },
    );
  });

  // BUG-9: GET /api/gridwork/{patrols,visits,log}?day= checks the pattern \d{4}-\d{2}-\d{2} only: an impossible day → RangeError "Invalid time value" in addDays (people/schedule.ts), year 0001 → PostgreSQL range error → 500
  it('BUG-9 an impossible day is refused with a 400', async () => {
    const two = (lo: number, hi: number) => fc.integer({ min: lo, max: hi }).map((n) => String(n).padStart(2, '0'));
    const day = fc.oneof(
      fc.tuple(fc.integer({ min: 1000, max: 9999 }), fc.oneof(fc.constant('00'), two(13, 99)), two(1, 28)).map(([y, m, d]) => `${y}-${m}-${d}`),
      fc.tuple(fc.integer({ min: 1000, max: 9999 }), two(1, 12), fc.oneof(fc.constant('00'), two(32, 99))).map(([y, m, d]) => `${y}-${m}-${d}`),
      fc.constant('0001-01-01'),
    );
    await fc.assert(
      fc.asyncProperty(fc.constantFrom('patrols', 'visits', 'log'), fc.constantFrom<Role>('demo-city', 'demo-grid'), day, async (list, role, d) => {
        await refused({ role, method: 'GET', url: `/api/gridwork/${list}?day=${d}` });
      }),
      { numRuns: KNOWN_RUNS },
    );
  });

  // BUG-10: POST /api/jurisdictions/import {format:'csv'} with malformed CSV quoting → csv-parse's CsvError ("Quote Not Closed", "Invalid Closing Quote") is not turned into a 400 → 500
  it('BUG-10 CSV with broken quoting is refused with a 400', async () => {
    const cell = fc.string({ unit: fc.constantFrom(...'abc019,中文 '), maxLength: 12 });
    await fc.assert(
      fc.asyncProperty(fc.constantFrom('', 'code,name,level\n', 'code,name,level\n990200,测试市,city\n'), cell, async (head, tail) => {
        await refused({ role: 'demo-admin', method: 'POST', url: '/api/jurisdictions/import', payload: JSON.stringify({ format: 'csv', content: `${head}"${tail}` }), headers: { 'content-type': 'application/json' } });
      }),
      { numRuns: KNOWN_RUNS },
    );
  });

  // BUG-11: a lone UTF-16 surrogate (JSON "\ud800") in text that the server keeps in a json/jsonb column (settings, the audit detail) → PostgreSQL "invalid input syntax for type json" → 500
  it('BUG-11 text with a lone surrogate is refused with a 400 (or stored as U+FFFD)', async () => {
    const sites: Site[] = [
      { role: 'demo-admin', method: 'PUT', url: () => '/api/settings/level-names', body: (v) => ({ city: v, district: '区', street: '街道', community: '社区' }) },
      { role: 'demo-admin', method: 'PATCH', url: () => '/api/users/2', body: (v) => ({ displayName: v }) },
    ];
    const lone = fc.integer({ min: 0xd800, max: 0xdfff }).map((c) => String.fromCharCode(c));
    await fc.assert(
      fc.asyncProperty(fc.constantFrom(...sites.map(named)), word(8), lone, async (site, a, s) => {
        await check(siteProbe(site, `${a}${s}`));
      }),
      { numRuns: KNOWN_RUNS },
    );
  });
});
