import path from 'node:path';

export type PasswordProfile = 'level3' | 'asvs5';

export interface Config {
  port: number;
  host: string;
  /** PostgreSQL connection string; unset → embedded PGlite in dataDir */
  databaseUrl: string | undefined;
  dataDir: string;
  logLevel: string;
  /** Leaflet tile URL template, e.g. 天地图 with its key; empty → blank map */
  mapTileUrl: string;
  mapTileAttribution: string;
  /** datum of the tile layer: 天地图 is WGS84 (CGCS2000); most commercial tiles are GCJ-02 */
  mapCoordSystem: 'WGS84' | 'GCJ02';
  demoPassword: string;
  sessionIdleMinutes: number;
  sessionAbsoluteHours: number;
  /** directory of the built web console; served when it exists */
  webDist: string;
  secureCookies: boolean;
  /** possible duplicates at intake: same matter within this distance (m) and this many days */
  duplicateRadiusM: number;
  duplicateWindowDays: number;
  /** share of the allowed time after which an open case turns yellow */
  warningShare: number;
  /** how often this process runs the deadline scan (ms); 0 turns it off */
  jobIntervalMs: number;
  /** how often the outbox worker looks for due messages; 0 turns it off */
  outboxIntervalMs: number;
  /** where webhook messages are POSTed; empty → they wait in the outbox */
  webhookUrl: string;
  webhookTimeoutMs: number;
}

function int(name: string, value: string | undefined, fallback: number): number {
  if (value === undefined || value === '') return fallback;
  const n = Number(value);
  if (!Number.isInteger(n) || n < 0) throw new Error(`${name} must be a non-negative integer, got "${value}"`);
  return n;
}

export function loadConfig(env: NodeJS.ProcessEnv = process.env): Config {
  const root = path.resolve(import.meta.dirname, '..', '..');
  return {
    port: int('PORT', env.PORT, 3000),
    host: env.HOST || '127.0.0.1',
    databaseUrl: env.DATABASE_URL || undefined,
    // relative to where the user ran `npm …` (npm moves into the workspace folder)
    dataDir: path.resolve(env.INIT_CWD ?? process.cwd(), env.ZHILI_DATA_DIR || './data'),
    logLevel: env.LOG_LEVEL || 'info',
    mapTileUrl: env.ZHILI_MAP_TILE_URL || '',
    mapTileAttribution: env.ZHILI_MAP_TILE_ATTRIBUTION || '',
    mapCoordSystem: env.ZHILI_MAP_COORD_SYSTEM === 'GCJ02' ? 'GCJ02' : 'WGS84',
    demoPassword: env.ZHILI_DEMO_PASSWORD || 'demo12345',
    sessionIdleMinutes: int('ZHILI_SESSION_IDLE_MINUTES', env.ZHILI_SESSION_IDLE_MINUTES, 30),
    sessionAbsoluteHours: int('ZHILI_SESSION_ABSOLUTE_HOURS', env.ZHILI_SESSION_ABSOLUTE_HOURS, 12),
    webDist: path.resolve(env.ZHILI_WEB_DIST || path.join(root, 'web', 'dist')),
    secureCookies: env.ZHILI_SECURE_COOKIES === 'true',
    duplicateRadiusM: int('ZHILI_DUPLICATE_RADIUS_M', env.ZHILI_DUPLICATE_RADIUS_M, 200),
    duplicateWindowDays: int('ZHILI_DUPLICATE_WINDOW_DAYS', env.ZHILI_DUPLICATE_WINDOW_DAYS, 7),
    warningShare: int('ZHILI_WARNING_PERCENT', env.ZHILI_WARNING_PERCENT, 80) / 100,
    jobIntervalMs: int('ZHILI_JOB_INTERVAL_MS', env.ZHILI_JOB_INTERVAL_MS, 60_000),
    outboxIntervalMs: int('ZHILI_OUTBOX_INTERVAL_MS', env.ZHILI_OUTBOX_INTERVAL_MS, 5000),
    webhookUrl: env.ZHILI_WEBHOOK_URL || '',
    webhookTimeoutMs: int('ZHILI_WEBHOOK_TIMEOUT_MS', env.ZHILI_WEBHOOK_TIMEOUT_MS, 10000),
  };
}
