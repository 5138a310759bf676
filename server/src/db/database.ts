import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { PGlite } from '@electric-sql/pglite';
import { Kysely, PostgresDialect, sql } from 'kysely';
import pg from 'pg';
import lockfile from 'proper-lockfile';
import type { Database } from './schema.js';
import { pglitePool } from './pglite-pool.js';

export type DbKind = 'pglite' | 'postgres';

export interface DatabaseHandle {
  db: Kysely<Database>;
  kind: DbKind;
  /** flushes (CHECKPOINT on PGlite), closes and releases the data-directory lock */
  close(): Promise<void>;
}

// int8 (counts, sums) as JS numbers; dates stay Date; numeric as number.
pg.types.setTypeParser(20, (v) => Number(v));
pg.types.setTypeParser(1700, (v) => Number(v));

export class DataDirLockedError extends Error {
  constructor(dir: string) {
    super(
      `数据目录 ${dir} 正被另一个 Zhili 进程使用 / The data directory ${dir} is in use by another Zhili process. ` +
        'The embedded database allows one process at a time; stop the other one or use DATABASE_URL (PostgreSQL).',
    );
    this.name = 'DataDirLockedError';
  }
}

const LOCK = '.zhili.lock';
const LOCK_OWNER = '.zhili.lock.owner';

/** Data directories this process holds: a recorded owner with our pid is then really us, not a reused pid. */
const held = new Set<string>();

/**
 * The lock's owner (host and pid, written next to it) died on this machine, e.g. by kill -9: the lock need not
 * go stale first. An owner on another host, or a pid now used by another process, still holds it.
 */
function ownerIsGone(dataDir: string): boolean {
  let host: string | undefined;
  let pid: number;
  try {
    const owner = fs.readFileSync(path.join(dataDir, LOCK_OWNER), 'utf8').trim().split(' ');
    host = owner[0];
    pid = Number(owner[1]);
  } catch {
    return false;
  }
  if (host !== os.hostname() || !Number.isInteger(pid) || pid <= 0) return false;
  if (pid === process.pid) return !held.has(dataDir);
  try {
    process.kill(pid, 0);
    return false;
  } catch (err) {
    return (err as NodeJS.ErrnoException).code === 'ESRCH';
  }
}

async function lockDataDir(dataDir: string): Promise<() => Promise<void>> {
  const options = { lockfilePath: path.join(dataDir, LOCK), stale: 15_000, update: 5_000 };
  const take = async () => {
    try {
      return await lockfile.lock(dataDir, options);
    } catch (err) {
      if ((err as { code?: string }).code === 'ELOCKED') throw new DataDirLockedError(dataDir);
      throw err;
    }
  };
  let release: () => Promise<void>;
  try {
    release = await take();
  } catch (err) {
    if (!(err instanceof DataDirLockedError) || !ownerIsGone(dataDir)) throw err;
    fs.rmSync(options.lockfilePath, { recursive: true, force: true });
    release = await take();
  }
  held.add(dataDir);
  fs.writeFileSync(path.join(dataDir, LOCK_OWNER), `${os.hostname()} ${process.pid}\n`);
  return async () => {
    fs.rmSync(path.join(dataDir, LOCK_OWNER), { force: true });
    held.delete(dataDir);
    await release();
  };
}

export async function openPglite(
  dataDir: string | undefined,
  options: { lock?: boolean; loadDataDir?: Blob } = {},
): Promise<{ client: PGlite } & DatabaseHandle> {
  let unlock: (() => Promise<void>) | undefined;
  if (dataDir) {
    fs.mkdirSync(dataDir, { recursive: true });
    if (options.lock !== false) unlock = await lockDataDir(path.resolve(dataDir));
  }
  const store = dataDir ? path.join(dataDir, 'pgdata') : undefined;
  const client = await PGlite.create({
    ...(store ? { dataDir: store } : {}),
    ...(options.loadDataDir ? { loadDataDir: options.loadDataDir } : {}),
    parsers: { 20: (v: string) => Number(v), 1700: (v: string) => Number(v) },
  });
  const db = new Kysely<Database>({ dialect: new PostgresDialect({ pool: pglitePool(client) }) });
  return {
    client,
    db,
    kind: 'pglite',
    async close() {
      try {
        await sql`CHECKPOINT`.execute(db);
      } finally {
        await db.destroy();
        await client.close();
        if (unlock) await unlock();
      }
    },
  };
}

export async function openPostgres(url: string, poolSize = 10): Promise<DatabaseHandle> {
  const pool = new pg.Pool({ connectionString: url, max: poolSize });
  // an idle client whose server connection drops must not crash the process; the pool replaces it
  pool.on('error', (err) => console.error(`PostgreSQL idle client error: ${err.message}`));
  const db = new Kysely<Database>({ dialect: new PostgresDialect({ pool }) });
  await sql`select 1`.execute(db);
  return {
    db,
    kind: 'postgres',
    async close() {
      await db.destroy();
    },
  };
}

export function openDatabase(config: { databaseUrl?: string | undefined; dataDir: string }): Promise<DatabaseHandle> {
  return config.databaseUrl ? openPostgres(config.databaseUrl) : openPglite(config.dataDir);
}
