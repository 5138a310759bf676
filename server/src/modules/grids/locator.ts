import type { Kysely } from 'kysely';
import type { Database } from '../../db/schema.js';
import { GridIndex } from './spatial-index.js';

/**
 * The process's grid index, rebuilt when the grids change. Every grid change adds a grid_version row,
 * so the newest version id tells each server process whether its index is stale.
 */
export class GridLocator {
  private index: GridIndex = new GridIndex([]);
  private revision = -1;
  private building: Promise<void> | null = null;

  async current(db: Kysely<Database>): Promise<GridIndex> {
    const row = await db.selectFrom('grid_version').select((eb) => eb.fn.max('id').as('rev')).executeTakeFirst();
    const revision = Number(row?.rev ?? 0);
    if (revision !== this.revision) await this.rebuild(db, revision);
    return this.index;
  }

  private rebuild(db: Kysely<Database>, revision: number): Promise<void> {
    this.building ??= (async () => {
      try {
        const rows = await db
          .selectFrom('grid')
          .select(['id', 'code', 'kind', 'community_code', 'geometry'])
          .where('status', '=', 'active')
          .execute();
        this.index = new GridIndex(rows.map((r) => ({ id: r.id, code: r.code, kind: r.kind, communityCode: r.community_code, geometry: r.geometry })));
        this.revision = revision;
      } finally {
        this.building = null;
      }
    })();
    return this.building;
  }
}
