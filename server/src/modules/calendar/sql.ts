import { type RawBuilder, sql } from 'kysely';
import { LOCAL_ZONE } from './local-time.js';

/** A timestamptz expression as local wall-clock time (a timestamp without zone), whatever the session's TimeZone. */
export const atLocalTime = (instant: RawBuilder<unknown>): RawBuilder<unknown> => sql`${instant} AT TIME ZONE ${sql.lit(LOCAL_ZONE)}`;
