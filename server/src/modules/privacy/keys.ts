import crypto from 'node:crypto';
import fs from 'node:fs';
import path from 'node:path';
import type { Config } from '../../config.js';
import { FieldCipher, type KeySet } from './crypto.js';

export const KEY_FILE = 'pii-keys.json';

export class PiiKeysMissingError extends Error {
  constructor() {
    super(
      '未配置个人信息加密密钥 / No keys for personal-information encryption: with DATABASE_URL (PostgreSQL) set ZHILI_PII_KEYS ' +
        '(keyId:base64, the first encrypts, e.g. k2026:$(openssl rand -base64 32)) and ZHILI_PII_HMAC_KEY ($(openssl rand -base64 32)). ' +
        'A real deployment manages its keys outside the database (docs/SECURITY.md, "Personal information").',
    );
    this.name = 'PiiKeysMissingError';
  }
}

interface KeyFile {
  note: string;
  createdAt: string;
  keys: Array<{ id: string; key: string }>;
  hmacKey: string;
}

/**
 * Keys from the configuration; without them, on the embedded database a key set generated once and kept in
 * `<dataDir>/pii-keys.json` (mode 0600) so the demo works; on PostgreSQL no keys is an error.
 */
export function resolveKeySet(config: Pick<Config, 'piiCipher' | 'piiKeys' | 'piiHmacKey' | 'databaseUrl' | 'dataDir'>): KeySet {
  if (config.piiKeys.length && config.piiHmacKey) return { cipher: config.piiCipher, keys: config.piiKeys, hmacKey: config.piiHmacKey };
  if (config.databaseUrl) throw new PiiKeysMissingError();
  const file = path.join(config.dataDir, KEY_FILE);
  const stored = readOrCreate(file);
  return {
    cipher: config.piiCipher,
    keys: stored.keys.map((k) => ({ id: k.id, key: Buffer.from(k.key, 'base64') })),
    hmacKey: Buffer.from(stored.hmacKey, 'base64'),
  };
}

function readOrCreate(file: string): KeyFile {
  fs.mkdirSync(path.dirname(file), { recursive: true });
  const fresh: KeyFile = {
    note: 'Zhili embedded-database keys for personal-information encryption. Losing this file loses the encrypted fields; a real deployment sets ZHILI_PII_KEYS instead.',
    createdAt: new Date().toISOString(),
    keys: [{ id: `local${new Date().toISOString().slice(0, 10).replace(/-/g, '')}`, key: crypto.randomBytes(32).toString('base64') }],
    hmacKey: crypto.randomBytes(32).toString('base64'),
  };
  try {
    // 'wx': exactly one writer wins; a second process reads the winner's keys
    const fd = fs.openSync(file, 'wx', 0o600);
    try {
      fs.writeSync(fd, `${JSON.stringify(fresh, null, 2)}\n`);
      fs.fsyncSync(fd);
    } finally {
      fs.closeSync(fd);
    }
    return fresh;
  } catch (err) {
    if ((err as { code?: string }).code !== 'EEXIST') throw err;
  }
  if (process.platform !== 'win32' && (fs.statSync(file).mode & 0o077) !== 0) fs.chmodSync(file, 0o600);
  const parsed = JSON.parse(fs.readFileSync(file, 'utf8')) as Partial<KeyFile>;
  if (!Array.isArray(parsed.keys) || !parsed.keys.length || typeof parsed.hmacKey !== 'string') throw new Error(`${file} is not a Zhili key file`);
  return parsed as KeyFile;
}

const ciphers = new WeakMap<object, FieldCipher>();

/** The field cipher of a configuration, built once per configuration object. */
export function fieldCipherFor(config: Config): FieldCipher {
  let cipher = ciphers.get(config);
  if (!cipher) {
    cipher = new FieldCipher(resolveKeySet(config));
    ciphers.set(config, cipher);
  }
  return cipher;
}
