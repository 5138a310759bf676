import { XMLParser, XMLValidator } from 'fast-xml-parser';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { open311DemoKey, seedOpen311DemoClient } from '../src/modules/open311/clients.js';
import { fieldCipherFor } from '../src/modules/privacy/keys.js';
import { signIn, type Session, type TestApp, testApp } from './harness.js';

let t: TestApp;
let city: Session;
const KEY = open311DemoKey({});
const INSIDE = { lat: '40.7615', long: '111.5525' }; // 安居社区第1网格 (990102001001), 青河区
const xml = new XMLParser({ parseTagValue: false });

beforeAll(async () => {
  t = await testApp();
  await seedOpen311DemoClient(t.handle.db, KEY);
  city = await signIn(t.app, 'demo-city');
});
afterAll(() => t.close());

const form = (fields: Record<string, string>) => new URLSearchParams(fields).toString();
const post = (fields: Record<string, string>, format = 'json', headers: Record<string, string> = {}) =>
  t.app.inject({ method: 'POST', url: `/open311/v2/requests.${format}`, headers: { 'content-type': 'application/x-www-form-urlencoded', ...headers }, payload: form(fields) });
const get = (url: string) => t.app.inject({ method: 'GET', url });
const streetLight = (extra: Record<string, string> = {}) => ({
  api_key: KEY,
  service_code: 'CG-005',
  ...INSIDE,
  description: '小区门口的路灯连续三天晚上不亮',
  first_name: '三',
  last_name: '张',
  phone: '+86 138 1234 5678',
  email: 'zhang@example.org',
  account_id: 'acct-42',
  media_url: 'https://img.example.org/lamp.jpg',
  ...extra,
});

describe('discovery and services', () => {
  it('describes the endpoint in both formats', async () => {
    const res = await get('/open311/v2/discovery.json');
    expect(res.statusCode).toBe(200);
    expect(res.headers['content-type']).toBe('application/json; charset=utf-8');
    const d = res.json();
    expect(d.changeset).toMatch(/^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}\+08:00$/);
    expect(d.endpoints).toEqual([
      { specification: 'http://wiki.open311.org/GeoReport_v2', url: 'http://localhost:80/open311/v2', changeset: d.changeset, type: 'production', formats: ['text/xml', 'application/json'] },
    ]);
    expect(d.contact).toBeTruthy();
    expect(d.key_service).toBeTruthy();
    const x = await get('/open311/discovery.xml');
    expect(x.headers['content-type']).toBe('text/xml; charset=utf-8');
    expect(x.body.startsWith('<?xml version="1.0" encoding="UTF-8"?>')).toBe(true);
    expect(xml.parse(x.body).discovery.endpoints.endpoint.formats.format).toEqual(['text/xml', 'application/json']);
  });

  it('lists the active matter types as services, grouped by category', async () => {
    const services = (await get('/open311/v2/services.json')).json();
    expect(services.length).toBeGreaterThanOrEqual(60);
    expect(services.find((s: { service_code: string }) => s.service_code === 'CG-001')).toEqual({
      service_code: 'CG-001',
      service_name: '占道经营',
      description: expect.any(String),
      metadata: false,
      type: 'realtime',
      keywords: expect.stringContaining('摆摊,'),
      group: '城市管理',
    });
    expect(services.every((s: { group: string }) => s.group.length > 0)).toBe(true);
    const x = await get('/open311/v2/services.xml');
    expect(XMLValidator.validate(x.body)).toBe(true);
    expect(xml.parse(x.body).services.service).toHaveLength(services.length);
  });

  it('defines a service, and answers an unknown one with the spec error', async () => {
    expect((await get('/open311/v2/services/CG-005.json')).json()).toEqual({ service_code: 'CG-005', attributes: [] });
    const res = await get('/open311/v2/services/NOPE-1.json');
    expect(res.statusCode).toBe(404);
    expect(res.json()).toEqual([{ code: 404, description: expect.stringContaining('NOPE-1') }]);
    const x = await get('/open311/v2/services/NOPE-1.xml');
    expect(x.statusCode).toBe(404);
    expect(xml.parse(x.body)).toEqual({ '?xml': '', errors: { error: { code: '404', description: expect.stringContaining('NOPE-1') } } });
  });

  it('answers unknown resources and formats in the spec error format', async () => {
    const res = await get('/open311/v2/nothing.json');
    expect(res.statusCode).toBe(404);
    expect(res.json()[0].code).toBe(404);
    const csv = await get('/open311/v2/services.csv');
    expect(csv.statusCode).toBe(404);
    expect(csv.body).toContain('<errors><error><code>404</code>');
  });
});

describe('POST requests', () => {
  it('takes in a form-encoded request as an ordinary case routed to the grid of its point', async () => {
    const res = await post(streetLight());
    expect(res.statusCode).toBe(200);
    const [answer] = res.json();
    expect(answer).toEqual({ service_request_id: expect.stringMatching(/^\d{8}-\d{6}$/), service_notice: expect.stringContaining('工作日'), account_id: 'acct-42' });
    const c = await t.handle.db.selectFrom('case_file').selectAll().where('number', '=', answer.service_request_id).executeTakeFirstOrThrow();
    expect(c).toMatchObject({ channel: 'open311', status: 'received', status_type: 'open', matter_type_code: 'CG-005', community_code: '990102001001', district_code: '990102' });
    // the reporter is stored sealed (privacy/crypto.ts); decrypted it is the name and the normalised phone
    const pii = fieldCipherFor(t.app.ctx.config);
    expect({ name: pii.decryptField(c.reporter_name), phone: pii.decryptField(c.reporter_phone) }).toEqual({ name: '张三', phone: '13812345678' });
    expect(c.grid_id).toBeGreaterThan(0);
    expect(c.description).toContain('https://img.example.org/lamp.jpg');
    const intake = await t.handle.db.selectFrom('case_event').selectAll().where('case_id', '=', c.id).executeTakeFirstOrThrow();
    expect(intake).toMatchObject({ action: 'intake', actor_name: '演示客户端 / Demo client', actor_id: null });
  });

  it('accepts a JSON body and answers in XML', async () => {
    const res = await t.app.inject({ method: 'POST', url: '/open311/v2/requests.xml', payload: { api_key: KEY, service_code: 'CG-005', lat: 40.7615, long: 111.5525, description: 'JSON 提交的路灯故障' } });
    expect(res.statusCode).toBe(200);
    const doc = xml.parse(res.body);
    expect(doc.service_requests.request.service_request_id).toMatch(/^\d{8}-\d{6}$/);
    expect(doc.service_requests.request.account_id).toBe('');
  });

  it('takes an address with a community code in jurisdiction_id, and refuses an address alone', async () => {
    const ok = await post({ api_key: KEY, service_code: 'CG-005', address_string: '安居社区3号楼门口', jurisdiction_id: '990102001001', description: '路灯不亮' });
    expect(ok.statusCode).toBe(200);
    const c = await t.handle.db.selectFrom('case_file').selectAll().where('number', '=', ok.json()[0].service_request_id).executeTakeFirstOrThrow();
    expect(c).toMatchObject({ community_code: '990102001001', grid_id: null, address: '安居社区3号楼门口', lat: null });
    const alone = await post({ api_key: KEY, service_code: 'CG-005', address_string: '安居社区3号楼门口' });
    expect(alone.statusCode).toBe(400);
    expect(alone.json()[0].description).toContain('jurisdiction_id');
    const none = await post({ api_key: KEY, service_code: 'CG-005' });
    expect(none.statusCode).toBe(400);
    expect(none.json()[0].description).toMatch(/lat.*long.*address_string.*jurisdiction_id/);
  });

  it('refuses a missing or unknown api_key with 403 in the spec format, before anything else', async () => {
    const { api_key: _, ...withoutKey } = streetLight();
    const missing = await post(withoutKey);
    expect(missing.statusCode).toBe(403);
    expect(missing.json()).toEqual([{ code: 403, description: expect.stringContaining('api_key') }]);
    const wrong = await post({ ...streetLight(), api_key: 'not-a-key', lat: 'abc' }, 'xml');
    expect(wrong.statusCode).toBe(403);
    expect(xml.parse(wrong.body).errors.error).toEqual({ code: '403', description: expect.stringContaining('api_key') });
    const empty = await t.app.inject({ method: 'POST', url: '/open311/v2/requests.json' });
    expect(empty.statusCode).toBe(403);
  });

  it.each([
    ['lat out of range', { lat: '95' }, 'lat'],
    ['lat not a number', { lat: 'abc' }, 'lat'],
    ['long without lat', { lat: '' }, 'lat'],
    ['a point in no grid', { lat: '10', long: '10' }, 'lat'],
    ['an unknown service', { service_code: 'NOPE-1' }, 'service_code'],
    ['no service', { service_code: '' }, 'service_code'],
    ['a description over 4,000 characters', { description: '长'.repeat(4001) }, 'description'],
    ['a phone that is no phone', { phone: '555-0100' }, 'phone'],
    ['a media_url that is no web address', { media_url: 'javascript:alert(1)' }, 'media_url'],
    ['an unknown community', { lat: '', long: '', address_string: '某地', jurisdiction_id: '990102009999' }, 'jurisdiction_id'],
  ])('refuses %s with 400 naming the field', async (_name, extra, field) => {
    const res = await post(streetLight(extra));
    expect(res.statusCode).toBe(400);
    const [error] = res.json();
    expect(error.code).toBe(400);
    expect(error.description).toContain(field);
  });

  it('answers unreadable bodies in the spec format too', async () => {
    const broken = await t.app.inject({ method: 'POST', url: `/open311/v2/requests.json?api_key=${KEY}`, headers: { 'content-type': 'application/json' }, payload: '{"service_code":' });
    expect(broken.statusCode).toBe(400);
    expect(broken.json()[0].code).toBe(400);
    const multipart = await t.app.inject({ method: 'POST', url: '/open311/v2/requests.xml', headers: { 'content-type': 'multipart/form-data; boundary=x' }, payload: '--x--' });
    expect(multipart.statusCode).toBe(415);
    expect(xml.parse(multipart.body).errors.error.code).toBe('415');
    const text = await t.app.inject({ method: 'POST', url: `/open311/v2/requests.json?api_key=${KEY}`, headers: { 'content-type': 'text/plain' }, payload: 'hello' });
    expect(text.statusCode).toBe(400);
  });

  it('honours Idempotency-Key: the same body answers the same request, another body is a conflict', async () => {
    const key = { 'idempotency-key': 'retry-0000001' };
    const first = await post(streetLight({ description: '幂等测试' }), 'json', key);
    const again = await post(streetLight({ description: '幂等测试' }), 'json', key);
    expect(again.json()[0].service_request_id).toBe(first.json()[0].service_request_id);
    const other = await post(streetLight({ description: '另一件事' }), 'json', key);
    expect(other.statusCode).toBe(409);
    expect(other.json()[0]).toEqual({ code: 409, description: expect.stringContaining('Idempotency-Key') });
  });
});

describe('GET requests and updates', () => {
  let id: string;
  beforeAll(async () => {
    id = (await post(streetLight({ description: '公园东门路灯全部不亮' }))).json()[0].service_request_id;
  });

  it('shows one request without its reporter, expected_datetime empty until registered', async () => {
    const res = await get(`/open311/v2/requests/${id}.json`);
    expect(res.statusCode).toBe(200);
    const [r] = res.json();
    expect(r).toMatchObject({
      service_request_id: id,
      status: 'open',
      status_notes: '待受理',
      service_name: '路灯不亮',
      service_code: 'CG-005',
      agency_responsible: expect.any(String),
      expected_datetime: null,
      lat: 40.7615,
      long: 111.5525,
      media_url: 'https://img.example.org/lamp.jpg',
    });
    expect(r.description).toContain('公园东门路灯全部不亮');
    expect(r.requested_datetime).toMatch(/\+08:00$/);
    expect(res.body).not.toMatch(/张三|13812345678|zhang@example|acct-42/);
    const token = (await get(`/open311/v2/tokens/${id}.json`)).json();
    expect(token).toEqual([{ service_request_id: id, token: id }]);
  });

  it('shows it in XML under the spec element names', async () => {
    const res = await get(`/open311/v2/requests/${id}.xml`);
    expect(XMLValidator.validate(res.body)).toBe(true);
    const r = xml.parse(res.body).service_requests.request;
    expect(Object.keys(r)).toEqual([
      'service_request_id', 'status', 'status_notes', 'service_name', 'service_code', 'description', 'agency_responsible', 'service_notice',
      'requested_datetime', 'updated_datetime', 'expected_datetime', 'address', 'address_id', 'zipcode', 'lat', 'long', 'media_url',
    ]);
    expect(r).toMatchObject({ service_request_id: id, status: 'open', expected_datetime: '', lat: '40.7615', long: '111.5525' });
  });

  it('lists requests with the spec filters, and publishes no staff-entered case', async () => {
    const hotline = await signIn(t.app, 'demo-hotline');
    const staff = await hotline.post('/api/cases', { channel: 'hotline', title: '路灯不亮', description: '市民李四来电反映路灯不亮', matterTypeCode: 'CG-005', location: { lng: 111.5525, lat: 40.7615 } });
    expect(staff.statusCode).toBe(201);
    const all = (await get('/open311/v2/requests.json')).json() as Array<{ service_request_id: string; status: string }>;
    expect(all.map((r) => r.service_request_id)).toContain(id);
    expect(all.map((r) => r.service_request_id)).not.toContain(staff.json().number);
    expect(JSON.stringify(all)).not.toContain('李四');
    const two = (await get(`/open311/v2/requests.json?service_request_id=${id},${staff.json().number}&status=closed`)).json();
    expect(two.map((r: { service_request_id: string }) => r.service_request_id)).toEqual([id]);
    expect((await get('/open311/v2/requests.json?status=closed')).json()).toEqual([]);
    expect((await get('/open311/v2/requests.json?service_code=CG-001')).json()).toEqual([]);
    expect((await get('/open311/v2/requests.json?start_date=2020-01-01T00:00:00Z&end_date=2020-02-01T00:00:00Z')).json()).toEqual([]);
    const scoped = (await get('/open311/v2/requests.json?jurisdiction_id=990102&status=open&page_size=2')).json();
    expect(scoped).toHaveLength(2);
    expect((await get('/open311/v2/requests.json?jurisdiction_id=990103')).json()).toEqual([]);
    const bad = await get('/open311/v2/requests.json?status=pending');
    expect(bad.statusCode).toBe(400);
    expect(bad.json()[0].description).toContain('status');
    const badDate = await get('/open311/v2/requests.xml?start_date=2026-11-21T09:00:00');
    expect(badDate.statusCode).toBe(400);
    expect(xml.parse(badDate.body).errors.error.description).toContain('start_date');
    expect((await get('/open311/v2/requests/19990101-000001.json')).statusCode).toBe(404);
    expect((await get(`/open311/v2/requests/${staff.json().number}.json`)).statusCode).toBe(404);
  });

  it('feeds the staff steps as extended-status updates, and closes the request', async () => {
    const c = await t.handle.db.selectFrom('case_file').select('id').where('number', '=', id).executeTakeFirstOrThrow();
    const before = new Date(Date.now() - 1000).toISOString();
    expect((await city.post(`/api/cases/${c.id}/actions/accept`, {})).statusCode).toBe(200);
    expect((await city.post(`/api/cases/${c.id}/actions/register`, {})).statusCode).toBe(200);
    const registered = (await get(`/open311/v2/requests/${id}.json`)).json()[0];
    expect(registered.expected_datetime).toMatch(/^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}\+08:00$/);
    expect(registered.status_notes).toBe('已立案');
    const closed = await city.post(`/api/cases/${c.id}/actions/close`, { closeReason: 'not_responsible', responsibleBody: '青河供电公司', note: '已转供电公司处理' });
    expect(closed.statusCode).toBe(200);

    const res = await get(`/open311/v2/servicerequestupdates.json?start_date=${encodeURIComponent(before)}`);
    expect(res.statusCode).toBe(200);
    const mine = res.json().filter((u: { service_request_id: string }) => u.service_request_id === id);
    expect(mine.map((u: { status: string }) => u.status)).toEqual(['OPEN', 'OPEN', 'NOT_COUNCILS_RESPONSIBILITY']);
    expect(mine[2]).toEqual({
      update_id: expect.any(String),
      service_request_id: id,
      status: 'NOT_COUNCILS_RESPONSIBILITY',
      updated_datetime: expect.stringMatching(/\+08:00$/),
      description: '非本单位职责（责任单位：青河供电公司）：已转供电公司处理',
      media_url: null,
    });
    const x = await get(`/open311/v2/servicerequestupdates.xml?start_date=${encodeURIComponent(before)}`);
    expect(XMLValidator.validate(x.body)).toBe(true);
    const updates = [xml.parse(x.body).service_request_updates.request_update].flat();
    expect(updates.filter((u: { service_request_id: string }) => u.service_request_id === id)).toHaveLength(3);
    // a '+' left unencoded arrives as a space and still reads
    expect((await get('/open311/v2/servicerequestupdates.json?start_date=2026-01-01T00:00:00 08:00')).statusCode).toBe(200);
    expect((await get('/open311/v2/servicerequestupdates.json?end_date=2020-01-01T00:00:00Z')).json()).toEqual([]);

    const [r] = (await get(`/open311/v2/requests/${id}.json`)).json();
    expect(r).toMatchObject({ status: 'closed', status_notes: '非本单位职责（责任单位：青河供电公司）：已转供电公司处理' });
    expect(r.updated_datetime >= r.requested_datetime).toBe(true);
  });

  it('answers in English when asked', async () => {
    const res = await t.app.inject({ method: 'GET', url: `/open311/v2/requests/${id}.json`, headers: { 'accept-language': 'en' } });
    expect(res.json()[0].status_notes).toBe('Not our responsibility (responsible: 青河供电公司): 已转供电公司处理');
  });
});

describe('client systems', () => {
  it('seeds the demo key once', async () => {
    expect(await seedOpen311DemoClient(t.handle.db, KEY)).toBe(false);
  });

  it('lets the system admin issue a key once, use it and revoke it; nobody else', async () => {
    expect((await city.get('/api/open311/clients')).statusCode).toBe(403);
    expect((await t.app.inject({ method: 'GET', url: '/api/open311/clients' })).statusCode).toBe(401);
    const admin = await signIn(t.app, 'demo-admin');
    const issued = await admin.post('/api/open311/clients', { name: '青河市民通 App' });
    expect(issued.statusCode).toBe(201);
    const client = issued.json();
    expect(client).toMatchObject({ name: '青河市民通 App', active: true, requestCount: 0, apiKey: expect.stringMatching(/^[\w-]{40,}$/) });
    const stored = await t.handle.db.selectFrom('open311_client').selectAll().where('id', '=', client.id).executeTakeFirstOrThrow();
    expect(stored.api_key_hash).toMatch(/^[0-9a-f]{64}$/);
    expect(stored.api_key_hash).not.toContain(client.apiKey);

    expect((await post(streetLight({ api_key: client.apiKey }))).statusCode).toBe(200);
    const list = (await admin.get('/api/open311/clients')).json();
    expect(list.items.find((c: { id: number }) => c.id === client.id)).toMatchObject({ requestCount: 1 });
    expect(JSON.stringify(list)).not.toContain(client.apiKey);

    expect((await admin.patch(`/api/open311/clients/${client.id}`, { active: false })).json()).toMatchObject({ active: false });
    expect((await post(streetLight({ api_key: client.apiKey }))).statusCode).toBe(403);
    expect((await admin.patch('/api/open311/clients/999999', { active: false })).statusCode).toBe(404);
  });
});
