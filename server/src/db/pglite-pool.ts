import type { PGlite } from '@electric-sql/pglite';
import type { PostgresPool, PostgresPoolClient, PostgresQueryResult } from 'kysely';

/**
 * A one-connection pool over PGlite for Kysely's PostgresDialect.
 * PGlite is a single session: a client is handed out only when the previous one is released,
 * so transactions never interleave.
 */
export function pglitePool(pg: PGlite): PostgresPool {
  let tail: Promise<void> = Promise.resolve();

  const client: Omit<PostgresPoolClient, 'release'> = {
    async query<R>(sql: string, parameters: ReadonlyArray<unknown>): Promise<PostgresQueryResult<R>> {
      const result = await pg.query<R>(sql, parameters as unknown[], { rowMode: 'object' });
      const verb = sql.trimStart().slice(0, 6).toUpperCase();
      return {
        command: (['INSERT', 'UPDATE', 'DELETE', 'SELECT', 'MERGE '].includes(verb) ? verb.trim() : 'SELECT') as PostgresQueryResult<R>['command'],
        rowCount: result.affectedRows ?? result.rows.length,
        rows: result.rows,
      };
    },
  } as Omit<PostgresPoolClient, 'release'>;

  return {
    async connect(): Promise<PostgresPoolClient> {
      let release!: () => void;
      const previous = tail;
      tail = new Promise<void>((resolve) => (release = resolve));
      await previous;
      let released = false;
      return {
        ...client,
        release() {
          if (released) return;
          released = true;
          release();
        },
      } as PostgresPoolClient;
    },
    async end() {
      await tail;
    },
  };
}
