import type { Kysely } from 'kysely';
import type { Database } from '../../db/schema.js';
import { GridIndex, type IndexedGrid } from './spatial-index.js';

/** Above this many new or changed grids, a rebuild reads every grid rather than list their ids. */
const MAX_LISTED = 1000;

/**
 * The process's grid index, rebuilt when the grids change. Every grid change adds a grid_version row,
 * so the newest version id tells each server process whether its index is stale. A rebuild reads the
 * id and version of every active grid and the full row (with its polygon) only of grids it does not
 * hold at that version: after one edit, one polygon instead of all of them.
 */
export class GridLocator {
  private index: GridIndex = new GridIndex([]);
  private revision = -1;
  private building: Promise<void> | null = null;
  /** the grids in the index by id, with the version they were read at */
  private held = new Map<number, { version: number; grid: IndexedGrid }>();

  async current(db: Kysely<Database>): Promise<GridIndex> {
    const row = await db.selectFrom('grid_version').select((eb) => eb.fn.max('id').as('rev')).executeTakeFirst();
    const revision = Number(row?.rev ?? 0);
    if (revision !== this.revision) await this.rebuild(db, revision);
    return this.index;
  }

  private rebuild(db: Kysely<Database>, revision: number): Promise<void> {
    this.building ??= (async () => {
      try {
        const heads = await db.selectFrom('grid').select(['id', 'version']).where('status', '=', 'active').execute();
        const held = new Map<number, { version: number; grid: IndexedGrid }>();
        const missing: number[] = [];
        for (const h of heads) {
          const had = this.held.get(h.id);
          if (had && had.version === h.version) held.set(h.id, had);
          else missing.push(h.id);
        }
        // all of them on the first build or after a large import; a grid retired meanwhile is not read, so it leaves the index
        const query = db.selectFrom('grid').select(['id', 'code', 'kind', 'community_code', 'geometry', 'version']).where('status', '=', 'active');
        const rows = missing.length > MAX_LISTED ? await query.execute() : missing.length > 0 ? await query.where('id', 'in', missing).execute() : [];
        for (const r of rows) {
          held.set(r.id, { version: r.version, grid: { id: r.id, code: r.code, kind: r.kind, communityCode: r.community_code, geometry: r.geometry } });
        }
        this.index = new GridIndex(Array.from(held.values(), (h) => h.grid));
        this.held = held;
        this.revision = revision;
      } finally {
        this.building = null;
      }
    })();
    return this.building;
  }
}
