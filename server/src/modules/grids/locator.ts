import type { Kysely } from 'kysely';
import { referenceRevisions, type Revisions } from '../../db/reference.js';
import type { Database } from '../../db/schema.js';
import { GridIndex } from './spatial-index.js';

/** Above this many new or changed grids, a rebuild reads every grid rather than list their ids. */
const MAX_LISTED = 1000;

/**
 * The process's grid index, rebuilt when the grids change: every write to the grids bumps the 'grid'
 * reference revision (db/reference.ts), which tells each server process whether its index is stale. A rebuild reads the
 * id and version of every active grid and the full row (with its polygon) only of grids the index does
 * not hold at that version; the others are copied from the index as they are there.
 */
export class GridLocator {
  private index: GridIndex = new GridIndex([]);
  private revision = -1;
  private building: Promise<void> | null = null;
  /** the version of each grid in the index, by id */
  private versions = new Map<number, number>();

  async current(db: Kysely<Database>, revisions?: Revisions): Promise<GridIndex> {
    const revision = (revisions ?? (await referenceRevisions(db))).grid;
    if (revision !== this.revision) await this.rebuild(db, revision);
    return this.index;
  }

  private rebuild(db: Kysely<Database>, revision: number): Promise<void> {
    this.building ??= (async () => {
      try {
        const heads = await db.selectFrom('grid').select(['id', 'version']).where('status', '=', 'active').execute();
        const kept = new Set<number>();
        const missing: number[] = [];
        for (const h of heads) {
          if (this.versions.get(h.id) === h.version) kept.add(h.id);
          else missing.push(h.id);
        }
        // every grid on the first build or after a large import; a grid retired meanwhile is not read, so it leaves the index
        const all = missing.length > MAX_LISTED || kept.size === 0;
        const query = db.selectFrom('grid').select(['id', 'code', 'kind', 'community_code', 'geometry', 'version']).where('status', '=', 'active');
        const rows = all ? await query.execute() : missing.length > 0 ? await query.where('id', 'in', missing).execute() : [];
        const grids = rows.map((r) => ({ id: r.id, code: r.code, kind: r.kind, communityCode: r.community_code, geometry: r.geometry }));
        const versions = new Map<number, number>();
        if (!all) for (const id of kept) versions.set(id, this.versions.get(id)!);
        for (const r of rows) versions.set(r.id, r.version);
        this.index = all ? new GridIndex(grids) : new GridIndex(grids, { previous: this.index, keep: (id) => kept.has(id) });
        this.versions = versions;
        this.revision = revision;
      } finally {
        this.building = null;
      }
    })();
    return this.building;
  }
}
