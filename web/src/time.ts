/**
 * The platform's local time, as the server keeps it (server/src/modules/calendar/local-time.ts): days, deadlines
 * and printed times are in China Standard Time whatever the browser's zone. It has no daylight saving.
 */
export const LOCAL_OFFSET = '+08:00';
const OFFSET_MS = Date.parse('1970-01-01T00:00:00Z') - Date.parse(`1970-01-01T00:00:00${LOCAL_OFFSET}`);

/** An instant's local wall-clock fields, read with the getUTC… methods. */
export const localFields = (instant: Date) => new Date(instant.getTime() + OFFSET_MS);

/** The local date of an instant (by default now), 'YYYY-MM-DD'. */
export const localDay = (instant: Date = new Date()) => localFields(instant).toISOString().slice(0, 10);
