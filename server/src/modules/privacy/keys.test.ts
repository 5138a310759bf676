import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { loadConfig, TEST_PII_KEYS } from '../../config.js';
import { FieldCipher } from './crypto.js';
import { fieldCipherFor, KEY_FILE, PiiKeysMissingError, resolveKeySet } from './keys.js';

const tmp = fs.mkdtempSync(path.join(os.tmpdir(), 'zhili-keys-'));
afterAll(() => fs.rmSync(tmp, { recursive: true, force: true }));
const b64 = (fill: number) => Buffer.alloc(32, fill).toString('base64');
const none = { piiCipher: 'aes-256-gcm' as const, piiKeys: [], piiHmacKey: null };

describe('configuration of the keys', () => {
  it('reads ZHILI_PII_KEYS (first is current) and ZHILI_PII_HMAC_KEY, and the cipher', () => {
    const c = loadConfig({ ZHILI_PII_KEYS: `k2:${b64(2)}, k1:${b64(1)}`, ZHILI_PII_HMAC_KEY: b64(9), ZHILI_PII_CIPHER: 'sm4' });
    expect(c.piiCipher).toBe('sm4');
    expect(c.piiKeys.map((k) => k.id)).toEqual(['k2', 'k1']);
    expect(c.piiKeys[1]!.key.equals(Buffer.alloc(32, 1))).toBe(true);
    expect(new FieldCipher(resolveKeySet(c)).currentKeyId).toBe('k2');
  });

  it.each([
    [{ ZHILI_PII_KEYS: `k1:${b64(1)}` }, /go together/],
    [{ ZHILI_PII_KEYS: `k1:${Buffer.alloc(16).toString('base64')}`, ZHILI_PII_HMAC_KEY: b64(9) }, /32 random bytes/],
    [{ ZHILI_PII_KEYS: `k1:${b64(1)},k1:${b64(2)}`, ZHILI_PII_HMAC_KEY: b64(9) }, /twice/],
    [{ ZHILI_PII_KEYS: `k:1:${b64(1)}`, ZHILI_PII_HMAC_KEY: b64(9) }, /keyId:base64key/],
    [{ ZHILI_PII_KEYS: `k1:not base64!`, ZHILI_PII_HMAC_KEY: b64(9) }, /base64/],
    [{ ZHILI_PII_CIPHER: 'des' }, /aes-256-gcm or sm4/],
  ])('refuses a bad configuration %#', (env, message) => {
    expect(() => loadConfig(env)).toThrow(message);
  });

  it('gives the test suites a fixed key when nothing is configured', () => {
    expect(loadConfig({}).piiKeys).toEqual(TEST_PII_KEYS.keys);
  });
});

describe('keys without configuration', () => {
  it('refuses PostgreSQL without keys, with a message that says what to set', () => {
    expect(() => resolveKeySet({ ...none, databaseUrl: 'postgres://x/y', dataDir: tmp })).toThrow(PiiKeysMissingError);
    expect(() => resolveKeySet({ ...none, databaseUrl: 'postgres://x/y', dataDir: tmp })).toThrow(/ZHILI_PII_KEYS.*ZHILI_PII_HMAC_KEY/);
  });

  it('on the embedded database generates a key set once, in <dataDir>/pii-keys.json with mode 0600', () => {
    const dataDir = path.join(tmp, 'data');
    const first = resolveKeySet({ ...none, databaseUrl: undefined, dataDir });
    const file = path.join(dataDir, KEY_FILE);
    expect(fs.statSync(file).mode & 0o777).toBe(0o600);
    const again = resolveKeySet({ ...none, databaseUrl: undefined, dataDir });
    expect(again.keys[0]!.key.equals(first.keys[0]!.key)).toBe(true);
    expect(again.hmacKey.equals(first.hmacKey)).toBe(true);
    const sealed = new FieldCipher(first).encryptField('13812345678');
    expect(new FieldCipher(again).decryptField(sealed)).toBe('13812345678');
  });

  it('builds one cipher per configuration object', () => {
    const config = { ...loadConfig({}), dataDir: tmp };
    expect(fieldCipherFor(config)).toBe(fieldCipherFor(config));
  });
});
