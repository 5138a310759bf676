import type { FastifyInstance } from 'fastify';
import { afterAll, beforeAll, beforeEach, describe, expect, inject, it } from 'vitest';
import { loadConfig } from '../src/config.js';
import type { DatabaseHandle } from '../src/db/database.js';
import { buildApp } from '../src/http/app.js';
import { type DeliveryAdapter, deliverDue, MAX_ATTEMPTS, retryDelayMs } from '../src/modules/notifications/delivery.js';
import { enqueue, listInbox, markRead, notify, type OutboxDelivery } from '../src/modules/notifications/repository.js';
import { viewersById } from '../src/modules/access/index.js';
import { notificationRoutes } from '../src/modules/notifications/routes.js';
import { startOutboxWorker } from '../src/modules/notifications/worker.js';
import { signIn, testDatabase } from './harness.js';

let handle: DatabaseHandle;
let app: FastifyInstance;
const users: Record<string, number> = {};

beforeAll(async () => {
  handle = await testDatabase();
  app = await buildApp({ handle, config: { ...loadConfig({}), webDist: '/nonexistent' }, logger: false });
  // ROUTES NOT YET IN http/app.ts: until `await app.register(notificationRoutes)` is added there, register them
  // here the same way; once it is, this line does nothing and the app is exactly what testApp() builds.
  if (!app.hasRoute({ method: 'GET', url: '/api/notifications' })) await app.register(notificationRoutes);
  await app.ready();
  const rows = await handle.db.selectFrom('app_user').select(['id', 'username']).where('username', 'in', ['demo-city', 'demo-grid', 'demo-mediator']).execute();
  for (const r of rows) users[r.username] = r.id;
});
afterAll(async () => {
  await app?.close();
  await handle?.close();
});

const sleep = (ms: number) => new Promise<void>((r) => setTimeout(r, ms));
const soon = () => new Date(Date.now() + 1_000);

function recorder(channel: 'sms' | 'webhook' = 'sms', before?: (m: OutboxDelivery) => Promise<void>) {
  const sent: OutboxDelivery[] = [];
  const adapter: DeliveryAdapter = {
    channel,
    async send(m) {
      await before?.(m);
      sent.push(m);
    },
  };
  return { sent, adapter };
}

const inbox = async (userId: number, f: Parameters<typeof listInbox>[2]) => listInbox(handle.db, (await viewersById(handle.db, [userId]))[0]!, f);

const outboxRow = (id: number) => handle.db.selectFrom('outbox_message').selectAll().where('id', '=', id).executeTakeFirstOrThrow();

describe('inbox', () => {
  it('shows each user only their own messages, newest first, with unread counts', async () => {
    const [city, grid] = [users['demo-city']!, users['demo-grid']!];
    await handle.db.transaction().execute(async (trx) => {
      await notify(trx, { audience: [city, grid], about: null, kind: 'case.department', title: '新工单', body: '请处理工单 1' });
      await notify(trx, { audience: [grid], about: null, kind: 'case.overdue', title: '超期提醒', body: '工单 2 已超期' });
    });
    const gridInbox = await inbox(grid, { limit: 50, offset: 0 });
    expect(gridInbox).toMatchObject({ total: 2, unread: 2 });
    expect(gridInbox.items.map((n) => n.title)).toEqual(['超期提醒', '新工单']);
    const cityInbox = await inbox(city, { limit: 50, offset: 0 });
    expect(cityInbox).toMatchObject({ total: 1, unread: 1, items: [{ kind: 'case.department', caseId: null, readAt: null }] });
    expect(await inbox(grid, { limit: 1, offset: 1 })).toMatchObject({ total: 2, items: [{ title: '新工单' }] });
  });

  it('marks read only the caller’s own messages; other users’ ids are silently ignored', async () => {
    const [city, mediator] = [users['demo-city']!, users['demo-mediator']!];
    const [mine] = await notify(handle.db, { audience: [mediator], about: null, kind: 'security.password_changed', title: 't', body: 'b' });
    const [theirs] = await notify(handle.db, { audience: [city], about: null, kind: 'security.password_changed', title: 't', body: 'b' });
    expect(await markRead(handle.db, mediator, [theirs!])).toBe(0);
    expect((await inbox(city, { unreadOnly: true, limit: 50, offset: 0 })).items.map((n) => n.id)).toContain(theirs);
    expect(await markRead(handle.db, mediator, [mine!, theirs!])).toBe(1);
    expect(await inbox(mediator, { unreadOnly: true, limit: 50, offset: 0 })).toMatchObject({ total: 0, unread: 0 });
    const cityUnread = (await inbox(city, { limit: 50, offset: 0 })).unread;
    await markRead(handle.db, mediator, 'all');
    expect((await inbox(city, { limit: 50, offset: 0 })).unread).toBe(cityUnread);
  });

  it('keeps no message of a transaction that rolls back', async () => {
    const mediator = users['demo-mediator']!;
    await expect(
      handle.db.transaction().execute(async (trx) => {
        await notify(trx, { audience: [mediator], about: null, kind: 'security.password_changed', title: 'rolled back', body: 'b' });
        throw new Error('the change failed');
      }),
    ).rejects.toThrow('the change failed');
    expect((await inbox(mediator, { limit: 50, offset: 0 })).items.map((n) => n.title)).not.toContain('rolled back');
  });
});

// Routes through the real app (auth plugin, error handler); see the registration note in beforeAll.
describe('GET /api/notifications, POST /api/notifications/read', () => {
  it('answers 401 without a session', async () => {
    expect((await app.inject({ method: 'GET', url: '/api/notifications' })).statusCode).toBe(401);
    expect((await app.inject({ method: 'POST', url: '/api/notifications/read', payload: { all: true } })).statusCode).toBe(401);
  });

  it('lists only the caller’s messages and marks them read', async () => {
    const [city, grid] = await Promise.all([signIn(app, 'demo-city'), signIn(app, 'demo-grid')]);
    await notify(handle.db, { audience: [users['demo-grid']!], about: null, kind: 'case.centre', title: '退回', body: '工单 3 被退回' });
    const res = await grid.get('/api/notifications?limit=1');
    expect(res.statusCode).toBe(200);
    const body = res.json();
    expect(body.items).toEqual([{ id: expect.any(Number), kind: 'case.centre', title: '退回', body: '工单 3 被退回', caseId: null, readAt: null, createdAt: expect.stringMatching(/^\d{4}-\d\d-\d\dT/) }]);
    expect(body.total).toBe(body.unread);
    const ownIds = (await handle.db.selectFrom('notification').select('id').where('user_id', '=', users['demo-grid']!).execute()).map((r) => r.id);
    const cityItems = (await city.get('/api/notifications?limit=1000')).json().items as { id: number }[];
    expect(cityItems.length).toBeGreaterThan(0);
    expect(cityItems.some((n) => ownIds.includes(n.id))).toBe(false);

    // someone else's id: 200, nothing changes for either user
    const cityUnread = (await city.get('/api/notifications')).json().unread;
    const before = body.unread;
    const tried = await grid.post('/api/notifications/read', { ids: cityItems.map((n) => n.id) });
    expect(tried.statusCode).toBe(200);
    expect(tried.json()).toEqual({ unread: before });
    expect((await city.get('/api/notifications')).json().unread).toBe(cityUnread);

    expect((await grid.post('/api/notifications/read', { ids: [body.items[0].id] })).json()).toEqual({ unread: before - 1 });
    const read = (await grid.get('/api/notifications?limit=1000')).json().items.find((n: { id: number }) => n.id === body.items[0].id);
    expect(read.readAt).toMatch(/^\d{4}-/);
    expect((await grid.post('/api/notifications/read', { all: true })).json()).toEqual({ unread: 0 });
    expect((await grid.get('/api/notifications?unreadOnly=true')).json()).toEqual({ items: [], total: 0, unread: 0 });
    expect((await city.get('/api/notifications')).json().unread).toBe(cityUnread);
  });

  it('refuses malformed bodies with 400', async () => {
    const s = await signIn(app, 'demo-grid');
    for (const payload of [{}, { all: false }, { ids: ['x'] }, { ids: [0] }, { ids: [99999999999] }, { ids: [1], all: true }]) {
      const res = await s.post('/api/notifications/read', payload);
      expect(res.statusCode, JSON.stringify(payload)).toBe(400);
      expect(res.json().error.code).toBe('validation');
    }
    expect((await s.get('/api/notifications?limit=0')).statusCode).toBe(400);
  });
});

describe('outbox delivery', () => {
  beforeEach(async () => {
    await handle.db.deleteFrom('outbox_message').execute();
  });

  it('delivers due messages once and marks them sent', async () => {
    const { sent, adapter } = recorder();
    const id = await enqueue(handle.db, { channel: 'sms', recipient: '13812345678', payload: { text: '您有新工单' } });
    const later = await enqueue(handle.db, { channel: 'sms', recipient: '13812345678', payload: { text: 'later' }, notBefore: new Date(Date.now() + 3_600_000) });
    const webhook = await enqueue(handle.db, { channel: 'webhook', recipient: 'hotline', payload: {} });
    const now = soon();
    expect(await deliverDue(handle.db, [adapter], { now })).toMatchObject({ claimed: 1, sent: 1 });
    expect(sent).toEqual([{ id, channel: 'sms', recipient: '13812345678', payload: { text: '您有新工单' }, attempts: 0 }]);
    const row = await outboxRow(id);
    expect(row).toMatchObject({ status: 'sent', attempts: 0, last_error: null });
    expect(row.sent_at!.getTime()).toBeGreaterThanOrEqual(now.getTime());
    expect(await deliverDue(handle.db, [adapter], { now: soon() })).toMatchObject({ claimed: 0, sent: 0 });
    // not yet due, and a channel without an adapter, stay pending
    expect((await outboxRow(later)).status).toBe('pending');
    expect((await outboxRow(webhook)).status).toBe('pending');
  });

  it('never delivers a message whose transaction rolled back', async () => {
    await expect(
      handle.db.transaction().execute(async (trx) => {
        await enqueue(trx, { channel: 'sms', recipient: '13900000000', payload: { text: 'rolled back' } });
        throw new Error('the change failed');
      }),
    ).rejects.toThrow('the change failed');
    const kept = await handle.db.transaction().execute((trx) => enqueue(trx, { channel: 'sms', recipient: '13900000001', payload: { text: 'committed' } }));
    const { sent, adapter } = recorder();
    await deliverDue(handle.db, [adapter], { now: soon() });
    expect(sent.map((m) => m.id)).toEqual([kept]);
  });

  it('backs off a failing channel (30 s, 60 s, …) and gives up after the last attempt', async () => {
    const id = await enqueue(handle.db, { channel: 'webhook', recipient: 'hotline', payload: { caseId: 9 } });
    const failing: DeliveryAdapter = {
      channel: 'webhook',
      send: async () => {
        throw new Error('webhook answered HTTP 503');
      },
    };
    let now = soon();
    for (let attempt = 1; attempt <= MAX_ATTEMPTS; attempt++) {
      const counts = await deliverDue(handle.db, [failing], { now });
      expect(counts).toMatchObject(attempt < MAX_ATTEMPTS ? { claimed: 1, retried: 1, failed: 0 } : { claimed: 1, retried: 0, failed: 1 });
      const row = await outboxRow(id);
      expect(row).toMatchObject({ attempts: attempt, last_error: 'webhook answered HTTP 503', status: attempt < MAX_ATTEMPTS ? 'pending' : 'failed' });
      if (attempt === MAX_ATTEMPTS) break;
      const wait = row.next_attempt_at.getTime() - now.getTime();
      expect(wait).toBeGreaterThanOrEqual(retryDelayMs(attempt));
      expect(wait).toBeLessThan(retryDelayMs(attempt) + 2_000);
      // not retried before its time
      expect(await deliverDue(handle.db, [failing], { now: new Date(row.next_attempt_at.getTime() - 1_000) })).toMatchObject({ claimed: 0 });
      now = row.next_attempt_at;
    }
    expect(await deliverDue(handle.db, [failing], { now: new Date(now.getTime() + 86_400_000) })).toMatchObject({ claimed: 0 });
  });

  it('counts a send that hangs as a failed attempt', async () => {
    const id = await enqueue(handle.db, { channel: 'sms', recipient: '13812345678', payload: {} });
    const hanging: DeliveryAdapter = { channel: 'sms', send: () => new Promise(() => undefined) };
    expect(await deliverDue(handle.db, [hanging], { now: soon(), sendTimeoutMs: 50 })).toMatchObject({ retried: 1 });
    expect(await outboxRow(id)).toMatchObject({ status: 'pending', attempts: 1, last_error: 'send timed out after 50 ms' });
  });

  it('gives back the rest of a batch before its lease could run out', async () => {
    for (let i = 0; i < 5; i++) await enqueue(handle.db, { channel: 'sms', recipient: '13812345678', payload: { i } });
    const { sent, adapter } = recorder('sms', () => sleep(120));
    const first = await deliverDue(handle.db, [adapter], { now: soon(), leaseMs: 400, sendTimeoutMs: 150 });
    expect(first.sent).toBeGreaterThan(0);
    expect(first.released).toBeGreaterThan(0);
    expect(first.sent + first.released).toBe(5);
    // given back as due at once, not after the lease
    const second = await deliverDue(handle.db, [adapter], { now: soon() });
    expect(second.sent).toBe(first.released);
    expect(new Set(sent.map((m) => m.id)).size).toBe(5);
  });

  it('does not hand a message out again while another claimer is sending it', async () => {
    await enqueue(handle.db, { channel: 'sms', recipient: '13812345678', payload: {} });
    let unblock!: () => void;
    const gate = new Promise<void>((r) => (unblock = r));
    const slow = recorder('sms', () => gate);
    const fast = recorder('sms');
    const first = deliverDue(handle.db, [slow.adapter], { now: soon() });
    await sleep(100); // first has claimed and is inside send()
    expect(await deliverDue(handle.db, [fast.adapter], { now: soon() })).toMatchObject({ claimed: 0 });
    unblock();
    expect(await first).toMatchObject({ claimed: 1, sent: 1 });
    expect(fast.sent).toEqual([]);
  });

  it('delivers each message exactly once when two processes run concurrently', async () => {
    const ids: number[] = [];
    for (let i = 0; i < 40; i++) ids.push(await enqueue(handle.db, { channel: 'sms', recipient: `1381234${String(i).padStart(4, '0')}`, payload: { i } }));
    const sends = new Map<number, number>();
    const adapter: DeliveryAdapter = {
      channel: 'sms',
      async send(m) {
        sends.set(m.id, (sends.get(m.id) ?? 0) + 1);
        await sleep(1);
      },
    };
    // on PostgreSQL the two loops use separate pooled connections and really interleave; on PGlite they serialize
    const worker = async () => {
      let total = 0;
      for (;;) {
        const c = await deliverDue(handle.db, [adapter], { batchSize: 3, now: soon() });
        total += c.sent;
        if (c.claimed === 0) return total;
      }
    };
    const [a, b] = await Promise.all([worker(), worker()]);
    expect(a + b).toBe(40);
    expect([...sends.keys()].sort((x, y) => x - y)).toEqual(ids);
    expect([...sends.values()].every((n) => n === 1)).toBe(true);
    const statuses = await handle.db.selectFrom('outbox_message').select((eb) => ['status', eb.fn.countAll<number>().as('n')]).groupBy('status').execute();
    expect(statuses.map((s) => ({ status: s.status, n: Number(s.n) }))).toEqual([{ status: 'sent', n: 40 }]);
  });

  it.runIf(inject('zhiliDb').kind === 'postgres')('skips rows another transaction holds locked instead of waiting (PostgreSQL)', async () => {
    const locked = await enqueue(handle.db, { channel: 'sms', recipient: '13812345678', payload: {} });
    const free = await enqueue(handle.db, { channel: 'sms', recipient: '13812345679', payload: {} });
    const { sent, adapter } = recorder();
    await handle.db.transaction().execute(async (trx) => {
      await trx.selectFrom('outbox_message').select('id').where('id', '=', locked).forUpdate().execute();
      expect(await deliverDue(handle.db, [adapter], { now: soon() })).toMatchObject({ claimed: 1, sent: 1 });
    });
    expect(sent.map((m) => m.id)).toEqual([free]);
    expect((await outboxRow(locked)).status).toBe('pending');
  });

  it('the worker delivers committed messages in the background and stops cleanly', async () => {
    const { sent, adapter } = recorder();
    const log = () => undefined;
    const worker = startOutboxWorker({ db: handle.db, adapters: [adapter], intervalMs: 20, logger: { info: log, warn: log, error: log } });
    const id = await enqueue(handle.db, { channel: 'sms', recipient: '13812345678', payload: { text: 'hello' } });
    for (let i = 0; i < 200 && sent.length === 0; i++) await sleep(20);
    await worker.stop();
    expect(sent.map((m) => m.id)).toEqual([id]);
    expect((await outboxRow(id)).status).toBe('sent');
  });
});
