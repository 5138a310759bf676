import path from 'node:path';

export type PasswordProfile = 'level3' | 'asvs5';

/** The cipher of field encryption: AES-256-GCM, or SM4-CBC with an HMAC-SM3 tag for commercial-cryptography (密评) deployments. */
export type PiiCipherName = 'aes-256-gcm' | 'sm4';
/** One field-encryption key: its id travels in every ciphertext, so older keys keep decrypting after a rotation. */
export interface PiiKey {
  id: string;
  key: Buffer;
}

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
  /** level3 (等保三级, default) or asvs5 (OWASP ASVS 5) */
  passwordProfile: PasswordProfile;
  /** failed sign-ins before an account locks, and for how long */
  lockoutThreshold: number;
  lockoutMinutes: number;
  /** sign-in attempts per minute from one address */
  loginRateLimit: number;
  /** ZHILI_TRUSTED_PROXIES: addresses or CIDRs whose X-Forwarded-For is believed; empty → the socket's address */
  trustedProxies: string[];
  /** ZHILI_AUDIT_SEAL_FILE: a file outside the database each audit seal is appended to and verification reads back; empty → none */
  auditSealFile: string;
  /** ZHILI_SESSION_PERSIST: give the session cookie an expiry, so it outlives the browser (default: it ends with the browser) */
  sessionPersist: boolean;
  /** TOTP secret of the demo city's privileged accounts (base32) */
  demoTotpSecret: string;
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
  /** ZHILI_PII_CIPHER: the cipher of new ciphertexts (both always decrypt) */
  piiCipher: PiiCipherName;
  /** ZHILI_PII_KEYS (`id:base64`, comma-separated): the first encrypts, all decrypt; empty → modules/privacy/keys.ts decides */
  piiKeys: PiiKey[];
  /** ZHILI_PII_HMAC_KEY (base64): the key of the search hash */
  piiHmacKey: Buffer | null;
  /** days after a case closes before its reporter's and supporters' names and phones are erased; 0 keeps them */
  retentionCasePiiDays: number;
  /** days an ended session row (address, browser) is kept; 0 keeps them */
  retentionSessionDays: number;
  /** days a read inbox notification is kept; 0 keeps them */
  retentionNotificationDays: number;
}

function int(name: string, value: string | undefined, fallback: number): number {
  if (value === undefined || value === '') return fallback;
  const n = Number(value);
  if (!Number.isInteger(n) || n < 0) throw new Error(`${name} must be a non-negative integer, got "${value}"`);
  return n;
}

const PII_KEY_BYTES = 32;

function base64Key(name: string, value: string): Buffer {
  const key = /^[A-Za-z0-9+/]+={0,2}$/.test(value) ? Buffer.from(value, 'base64') : Buffer.alloc(0);
  if (key.length !== PII_KEY_BYTES) throw new Error(`${name} must be ${PII_KEY_BYTES} random bytes in base64 (openssl rand -base64 32)`);
  return key;
}

/** A fixed key set for the test suites only (never a deployment): tests decrypt what the server wrote. */
export const TEST_PII_KEYS = {
  keys: [{ id: 'test1', key: Buffer.alloc(PII_KEY_BYTES, 0x5a) }],
  hmacKey: Buffer.alloc(PII_KEY_BYTES, 0xa5),
};

function piiCipher(value: string | undefined): PiiCipherName {
  if (!value || value === 'aes-256-gcm') return 'aes-256-gcm';
  if (value === 'sm4') return 'sm4';
  throw new Error(`ZHILI_PII_CIPHER must be aes-256-gcm or sm4, got "${value}"`);
}

function piiKeys(env: NodeJS.ProcessEnv): { piiKeys: PiiKey[]; piiHmacKey: Buffer | null } {
  const list = env.ZHILI_PII_KEYS?.trim();
  const hmac = env.ZHILI_PII_HMAC_KEY?.trim();
  if (!list && !hmac) return process.env.VITEST ? { piiKeys: TEST_PII_KEYS.keys, piiHmacKey: TEST_PII_KEYS.hmacKey } : { piiKeys: [], piiHmacKey: null };
  if (!list || !hmac) throw new Error('ZHILI_PII_KEYS and ZHILI_PII_HMAC_KEY go together: set both, or neither on the embedded database');
  const keys = list.split(',').map((entry) => {
    const [id, value, ...rest] = entry.trim().split(':');
    if (!id || !value || rest.length || !/^[A-Za-z0-9_.-]{1,32}$/.test(id)) throw new Error(`ZHILI_PII_KEYS entries are keyId:base64key (id of letters, digits, _ . -), got "${id ?? ''}:…"`);
    return { id, key: base64Key(`ZHILI_PII_KEYS key ${id}`, value) };
  });
  if (new Set(keys.map((k) => k.id)).size !== keys.length) throw new Error('ZHILI_PII_KEYS names a key id twice');
  return { piiKeys: keys, piiHmacKey: base64Key('ZHILI_PII_HMAC_KEY', hmac) };
}

const IPV4 = /^(\d{1,3})\.(\d{1,3})\.(\d{1,3})\.(\d{1,3})$/;

/** `10.0.0.0/8, 192.0.2.7, ::1, loopback`: addresses, CIDRs, or proxy-addr's names (loopback, linklocal, uniquelocal). */
function trustedProxies(value: string | undefined): string[] {
  const list = (value ?? '').split(',').map((s) => s.trim()).filter(Boolean);
  for (const entry of list) {
    const [address = '', bits, ...rest] = entry.split('/');
    const v4 = IPV4.exec(address);
    const ok =
      rest.length === 0 &&
      (['loopback', 'linklocal', 'uniquelocal'].includes(entry) ||
        (v4 ? v4.slice(1).every((o) => Number(o) <= 255) && (bits === undefined || (/^\d{1,2}$/.test(bits) && Number(bits) <= 32)) : /^[0-9a-f:.]+$/i.test(address) && address.includes(':') && (bits === undefined || (/^\d{1,3}$/.test(bits) && Number(bits) <= 128))));
    if (!ok) throw new Error(`ZHILI_TRUSTED_PROXIES: "${entry}" is not an address, a CIDR or loopback/linklocal/uniquelocal`);
  }
  return list;
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
    passwordProfile: env.ZHILI_PASSWORD_PROFILE === 'asvs5' ? 'asvs5' : 'level3',
    lockoutThreshold: int('ZHILI_LOCKOUT_THRESHOLD', env.ZHILI_LOCKOUT_THRESHOLD, 5),
    lockoutMinutes: int('ZHILI_LOCKOUT_MINUTES', env.ZHILI_LOCKOUT_MINUTES, 15),
    loginRateLimit: int('ZHILI_LOGIN_RATE_LIMIT', env.ZHILI_LOGIN_RATE_LIMIT, 30),
    trustedProxies: trustedProxies(env.ZHILI_TRUSTED_PROXIES),
    sessionPersist: env.ZHILI_SESSION_PERSIST === 'true',
    auditSealFile: env.ZHILI_AUDIT_SEAL_FILE ? path.resolve(env.INIT_CWD ?? process.cwd(), env.ZHILI_AUDIT_SEAL_FILE) : '',
    demoTotpSecret: env.ZHILI_DEMO_TOTP_SECRET || 'ZHILIDEMO2FA7777',
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
    piiCipher: piiCipher(env.ZHILI_PII_CIPHER),
    ...piiKeys(env),
    retentionCasePiiDays: int('ZHILI_RETENTION_CASE_PII_DAYS', env.ZHILI_RETENTION_CASE_PII_DAYS, 1095),
    retentionSessionDays: int('ZHILI_RETENTION_SESSION_DAYS', env.ZHILI_RETENTION_SESSION_DAYS, 30),
    retentionNotificationDays: int('ZHILI_RETENTION_NOTIFICATION_DAYS', env.ZHILI_RETENTION_NOTIFICATION_DAYS, 365),
  };
}
