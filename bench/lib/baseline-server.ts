// The intake benchmark's baseline: a bare Fastify route doing one INSERT of a case-sized row through the same
// database layer as the server (pg.Pool of the same size, or the embedded PGlite connection). Run as its own
// process: `node --import tsx bench/lib/baseline-server.ts` with DATABASE_URL or ZHILI_DATA_DIR and PORT.
import { Type, type TypeBoxTypeProvider } from '@fastify/type-provider-typebox';
import Fastify from 'fastify';
import { sql } from 'kysely';
import { loadConfig } from '../../server/src/config.js';
import { openDatabase } from '../../server/src/db/database.js';

const config = loadConfig();
const handle = await openDatabase(config);
const { db } = handle;
await sql`CREATE TABLE IF NOT EXISTS bench_insert (
  id bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
  number text NOT NULL, channel text NOT NULL, title text NOT NULL, description text NOT NULL,
  matter_type_code text, status text NOT NULL, lng double precision, lat double precision, address text,
  reporter_name text, reporter_phone text, deadline timestamptz, created_at timestamptz NOT NULL DEFAULT now()
)`.execute(db);

const Body = Type.Object({
  channel: Type.String(),
  title: Type.String({ minLength: 2, maxLength: 200 }),
  description: Type.String({ minLength: 1, maxLength: 4000 }),
  matterTypeCode: Type.Optional(Type.String({ maxLength: 20 })),
  location: Type.Object({ lng: Type.Number(), lat: Type.Number() }),
  address: Type.Optional(Type.String({ maxLength: 300 })),
  reporter: Type.Optional(Type.Object({ name: Type.Optional(Type.String()), phone: Type.Optional(Type.String()) })),
});

const app = Fastify({ logger: false }).withTypeProvider<TypeBoxTypeProvider>();
let n = 0;
app.post('/insert', { schema: { body: Body } }, async (request, reply) => {
  const b = request.body;
  const row = await db
    .insertInto('bench_insert' as never)
    .values({
      number: `B-${process.pid}-${++n}`,
      channel: b.channel,
      title: b.title,
      description: b.description,
      matter_type_code: b.matterTypeCode ?? null,
      status: 'registered',
      lng: b.location.lng,
      lat: b.location.lat,
      address: b.address ?? null,
      reporter_name: b.reporter?.name ?? null,
      reporter_phone: b.reporter?.phone ?? null,
      deadline: new Date(Date.now() + 5 * 86400_000),
    } as never)
    .returning('id' as never)
    .executeTakeFirstOrThrow();
  reply.status(201);
  return row;
});
app.get('/health', async () => ({ status: 'ok' }));
await app.listen({ port: config.port, host: '127.0.0.1' });
const stop = async () => {
  await app.close();
  await handle.close();
  process.exit(0);
};
process.once('SIGTERM', stop);
process.once('SIGINT', stop);
