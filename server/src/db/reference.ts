import type { Kysely } from 'kysely';
import type { Database } from './schema.js';

/** The names triggers bump (migrations 20261122_0012 and 0013): one per source of reference data. */
export type ReferenceName = 'jurisdiction' | 'department' | 'matter_type' | 'responsibility' | 'calendar' | 'staff' | 'grid';

export type Revisions = Readonly<Record<ReferenceName, number>>;

/** Every revision in one small query. */
export async function referenceRevisions(db: Kysely<Database>): Promise<Revisions> {
  const rows = await db.selectFrom('reference_revision').select(['name', 'revision']).execute();
  const out = {} as Record<ReferenceName, number>;
  for (const r of rows) out[r.name as ReferenceName] = Number(r.revision);
  return out;
}

/**
 * Reference data a server process keeps in memory, loaded again when a revision it depends on moves. Revisions
 * are read before the data, so data is never older than the revision it is kept under; several processes each
 * see another's change on their next request. A caller inside a transaction never waits for a load running on
 * another connection (PGlite has one: that would wait forever); it loads through its own transaction.
 */
export class ReferenceCache<T> {
  private key = '';
  private value: T | undefined;
  private loading: { key: string; promise: Promise<T> } | null = null;

  constructor(
    private readonly sources: readonly ReferenceName[],
    private readonly load: (db: Kysely<Database>) => Promise<T>,
  ) {}

  async get(db: Kysely<Database>, revisions?: Revisions): Promise<T> {
    const r = revisions ?? (await referenceRevisions(db));
    const key = this.sources.map((s) => r[s] ?? 0).join(':');
    if (this.value !== undefined && this.key === key) return this.value;
    // data a transaction sees may be its own uncommitted writes: used, never kept
    if (db.isTransaction) return this.load(db);
    if (this.loading?.key !== key) {
      const promise = this.load(db).then((value) => {
        this.key = key;
        this.value = value;
        return value;
      });
      const entry = { key, promise };
      this.loading = entry;
      promise.then(
        () => this.loading === entry && (this.loading = null),
        () => this.loading === entry && (this.loading = null),
      );
    }
    return this.loading.promise;
  }
}
