import { type Kysely, sql } from 'kysely';
import type { Database } from '../../db/schema.js';
import { recordAudit } from '../audit/index.js';
import { ENCRYPTED_COLUMNS } from './catalogue.js';
import type { FieldCipher } from './crypto.js';

export interface ResealCount {
  column: string;
  scanned: number;
  resealed: number;
  rehashed: number;
}

/**
 * Key rotation and first encryption (`zhili pii-rotate`, docs/SECURITY.md): every encrypted column of the
 * catalogue is read in id order and each value not sealed with the current key and cipher (plaintext of rows
 * older than migration 0006 included) is sealed again; the keyed hashes kept with them are recomputed, so a new
 * search key or cipher takes effect too. Runs in batches, each its own transaction; an update only lands when the
 * value is still the one read, so it can run while the server serves. Old keys must stay configured until it
 * has run; then they may be removed.
 */
export async function resealPersonalData(db: Kysely<Database>, pii: FieldCipher, options: { batchSize?: number } = {}): Promise<ResealCount[]> {
  const batchSize = options.batchSize ?? 500;
  const counts: ResealCount[] = [];
  for (const entry of ENCRYPTED_COLUMNS) {
    const count: ResealCount = { column: `${entry.table}.${entry.column}`, scanned: 0, resealed: 0, rehashed: 0 };
    const table = sql.table(entry.table);
    const column = sql.ref(entry.column);
    const only = entry.sealedWhere ? sql`AND ${sql.ref(entry.sealedWhere.column)} = ${entry.sealedWhere.equals}` : sql``;
    const hashColumn = entry.hash ? sql.ref(entry.hash.column) : null;
    let after = 0;
    for (;;) {
      const batch = await db.transaction().execute(async (trx) => {
        const { rows } = await sql<{ id: number; value: string; hash: string | null }>`
          SELECT id, ${column} AS value, ${hashColumn ?? sql`NULL::text`} AS hash FROM ${table}
          WHERE ${column} IS NOT NULL ${only} AND id > ${after} ORDER BY id LIMIT ${batchSize}`.execute(trx);
        for (const row of rows) {
          const value = pii.reseal(row.value);
          const hash = entry.hash ? pii.searchHash(pii.readStored(value)!, entry.hash.kind) : null;
          const changedValue = value !== row.value;
          const changedHash = entry.hash !== undefined && hash !== row.hash;
          if (!changedValue && !changedHash) continue;
          const set = hashColumn ? sql`${column} = ${value}, ${hashColumn} = ${hash}` : sql`${column} = ${value}`;
          await sql`UPDATE ${table} SET ${set} WHERE id = ${row.id} AND ${column} = ${row.value}`.execute(trx);
          if (changedValue) count.resealed++;
          if (changedHash) count.rehashed++;
        }
        return rows;
      });
      count.scanned += batch.length;
      if (batch.length < batchSize) break;
      after = batch.at(-1)!.id;
    }
    counts.push(count);
  }
  await recordAudit(db, { actorId: null, action: 'personal.rotate', entity: 'pii_keys', entityId: pii.currentKeyId, detail: { cipher: pii.cipher, counts } });
  return counts;
}
