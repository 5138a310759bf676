import crypto from 'node:crypto';
import type { PiiCipherName, PiiKey } from '../../config.js';

/**
 * Field encryption of personal information (docs/SECURITY.md, "Personal information").
 *
 * A sealed value is one compact string: `v1:<alg>:<keyId>:<base64 iv|ciphertext|tag>`.
 * - `aes256gcm`: AES-256-GCM, 12-byte IV, 16-byte tag.
 * - `sm4cbc-sm3`: SM4-CBC (PKCS#7), 16-byte IV, then an HMAC-SM3 tag over header|iv|ciphertext
 *   (encrypt-then-MAC), for deployments assessed under the commercial-cryptography rules (密评).
 * The header `v1:<alg>:<keyId>` is authenticated too, so neither the algorithm nor the key id can be swapped.
 * Each configured key is 32 bytes of master material; the keys the algorithms use are derived from it by HMAC
 * with a label, so one key never serves two algorithms or two purposes.
 */

/** A value that went through `encryptField`: typed apart from plaintext so a column of them cannot take a plain string. */
export type Sealed = string & { readonly __sealed: unique symbol };

export type SearchKind = 'phone' | 'idNumber' | 'text';

export interface KeySet {
  cipher: PiiCipherName;
  /** the first encrypts new values; every one decrypts */
  keys: readonly PiiKey[];
  hmacKey: Buffer;
}

export class PiiCryptoError extends Error {
  constructor(
    readonly reason: 'malformed' | 'unknown_key' | 'integrity' | 'unavailable',
    message: string,
  ) {
    super(message);
    this.name = 'PiiCryptoError';
  }
}

const VERSION = 'v1';
const ALG: Record<PiiCipherName, string> = { 'aes-256-gcm': 'aes256gcm', sm4: 'sm4cbc-sm3' };
const SEALED = /^v1:(aes256gcm|sm4cbc-sm3):([A-Za-z0-9_.-]{1,32}):([A-Za-z0-9+/]+={0,2})$/;

/** Whether a stored value is a sealed value (rather than plaintext written before encryption was turned on). */
export function isSealed(value: string | null | undefined): value is Sealed {
  return typeof value === 'string' && SEALED.test(value);
}

/** Trim; phones keep their digits only (a +86 prefix dropped); ID numbers in upper case. */
export function normaliseForSearch(value: string, kind: SearchKind): string {
  const v = value.trim();
  if (kind === 'phone') {
    const digits = v.replace(/\D/g, '');
    return /^861[3-9]\d{9}$/.test(digits) ? digits.slice(2) : digits;
  }
  if (kind === 'idNumber') return v.replace(/\s+/g, '').toUpperCase();
  return v;
}

/** Whether Node's OpenSSL offers what the SM4 profile needs (`sm4-cbc` and `sm3`). */
export function sm4Available(): boolean {
  return crypto.getCiphers().includes('sm4-cbc') && crypto.getHashes().includes('sm3');
}

export class FieldCipher {
  private readonly byId = new Map<string, Buffer>();
  private readonly derived = new Map<string, Buffer>();
  private readonly current: PiiKey;
  readonly cipher: PiiCipherName;
  private readonly hmacKey: Buffer;

  constructor(set: KeySet) {
    if (!set.keys.length) throw new PiiCryptoError('unavailable', 'field encryption needs at least one key');
    for (const k of set.keys) {
      if (k.key.length !== 32) throw new PiiCryptoError('unavailable', `key ${k.id} must be 32 bytes`);
      if (this.byId.has(k.id)) throw new PiiCryptoError('unavailable', `key id ${k.id} is given twice`);
      this.byId.set(k.id, k.key);
    }
    if (set.hmacKey.length < 32) throw new PiiCryptoError('unavailable', 'the search-hash key must be at least 32 bytes');
    if (set.cipher === 'sm4' && !sm4Available()) {
      throw new PiiCryptoError('unavailable', "ZHILI_PII_CIPHER=sm4 needs Node's OpenSSL with sm4-cbc and sm3 (crypto.getCiphers(), crypto.getHashes())");
    }
    this.current = set.keys[0]!;
    this.cipher = set.cipher;
    this.hmacKey = set.hmacKey;
  }

  /** The id of the key that encrypts new values. */
  get currentKeyId(): string {
    return this.current.id;
  }

  encryptField(value: string): Sealed;
  encryptField(value: string | null | undefined): Sealed | null;
  encryptField(value: string | null | undefined): Sealed | null {
    if (value === null || value === undefined) return null;
    const alg = ALG[this.cipher];
    const header = `${VERSION}:${alg}:${this.current.id}`;
    const body = alg === 'aes256gcm' ? this.sealGcm(this.current, header, value) : this.sealSm4(this.current, header, value);
    return `${header}:${body.toString('base64')}` as Sealed;
  }

  decryptField(sealed: string): string;
  decryptField(sealed: string | null | undefined): string | null;
  decryptField(sealed: string | null | undefined): string | null {
    if (sealed === null || sealed === undefined) return null;
    const m = SEALED.exec(sealed);
    if (!m) throw new PiiCryptoError('malformed', 'not a sealed value (v1:<alg>:<keyId>:<base64>)');
    const [, alg, keyId, b64] = m as unknown as [string, string, string, string];
    const key = this.byId.get(keyId);
    if (!key) throw new PiiCryptoError('unknown_key', `key ${keyId} is not configured (ZHILI_PII_KEYS): keep old keys after a rotation`);
    const header = `${VERSION}:${alg}:${keyId}`;
    const raw = Buffer.from(b64, 'base64');
    return alg === 'aes256gcm' ? this.openGcm({ id: keyId, key }, header, raw) : this.openSm4({ id: keyId, key }, header, raw);
  }

  /** For reading stored values: decrypts sealed ones; plaintext from before encryption comes back as it is (`zhili pii-rotate` seals it). */
  readStored(value: string | null | undefined): string | null {
    if (value === null || value === undefined) return null;
    return isSealed(value) ? this.decryptField(value) : value;
  }

  /** Whether a stored value should be sealed again: plaintext, an older key or the other cipher. */
  needsReseal(value: string | null | undefined): boolean {
    if (value === null || value === undefined) return false;
    const m = SEALED.exec(value);
    return !m || m[1] !== ALG[this.cipher] || m[2] !== this.current.id;
  }

  /** Rotation: the value sealed with the current key and cipher (plaintext gets sealed; current values stay as they are). */
  reseal(value: string): Sealed {
    return this.needsReseal(value) ? this.encryptField(this.readStored(value)!) : (value as Sealed);
  }

  /** Keyed hash for exact-match search (HMAC-SHA256, HMAC-SM3 under sm4), over the normalised value; hex. */
  searchHash(value: string, kind: SearchKind = 'text'): string {
    return this.mac(`search:${kind}:${normaliseForSearch(value, kind)}`);
  }

  /** Keyed hash of any text with a purpose label, e.g. the fingerprint of an idempotent request. */
  mac(text: string): string {
    return crypto.createHmac(this.cipher === 'sm4' ? 'sm3' : 'sha256', this.hmacKey).update(text, 'utf8').digest('hex');
  }

  private subkey(k: PiiKey, label: string, hash: 'sha256' | 'sm3', bytes: number): Buffer {
    const id = `${k.id}|${label}`;
    let key = this.derived.get(id);
    if (!key) {
      key = crypto.createHmac(hash, k.key).update(`zhili/pii/${VERSION}/${label}`).digest().subarray(0, bytes);
      this.derived.set(id, key);
    }
    return key;
  }

  private sealGcm(k: PiiKey, header: string, value: string): Buffer {
    const iv = crypto.randomBytes(12);
    const c = crypto.createCipheriv('aes-256-gcm', this.subkey(k, 'aes256gcm', 'sha256', 32), iv);
    c.setAAD(Buffer.from(header));
    const ct = Buffer.concat([c.update(value, 'utf8'), c.final()]);
    return Buffer.concat([iv, ct, c.getAuthTag()]);
  }

  private openGcm(k: PiiKey, header: string, raw: Buffer): string {
    if (raw.length < 12 + 16) throw new PiiCryptoError('malformed', 'sealed value too short');
    const d = crypto.createDecipheriv('aes-256-gcm', this.subkey(k, 'aes256gcm', 'sha256', 32), raw.subarray(0, 12));
    d.setAAD(Buffer.from(header));
    d.setAuthTag(raw.subarray(raw.length - 16));
    try {
      return Buffer.concat([d.update(raw.subarray(12, raw.length - 16)), d.final()]).toString('utf8');
    } catch {
      throw new PiiCryptoError('integrity', 'integrity check failed: the value was altered or the key is wrong');
    }
  }

  private sm4Tag(k: PiiKey, header: string, ivAndCt: Buffer): Buffer {
    return crypto.createHmac('sm3', this.subkey(k, 'sm4cbc-sm3/mac', 'sm3', 32)).update(header).update(ivAndCt).digest();
  }

  private sealSm4(k: PiiKey, header: string, value: string): Buffer {
    const iv = crypto.randomBytes(16);
    const c = crypto.createCipheriv('sm4-cbc', this.subkey(k, 'sm4cbc-sm3/enc', 'sm3', 16), iv);
    const ivAndCt = Buffer.concat([iv, c.update(value, 'utf8'), c.final()]);
    return Buffer.concat([ivAndCt, this.sm4Tag(k, header, ivAndCt)]);
  }

  private openSm4(k: PiiKey, header: string, raw: Buffer): string {
    if (!sm4Available()) throw new PiiCryptoError('unavailable', "this value is SM4-sealed and Node's OpenSSL lacks sm4-cbc or sm3");
    if (raw.length < 16 + 16 + 32) throw new PiiCryptoError('malformed', 'sealed value too short');
    const ivAndCt = raw.subarray(0, raw.length - 32);
    // verify before decrypting (encrypt-then-MAC): no padding oracle, constant-time comparison
    if (!crypto.timingSafeEqual(raw.subarray(raw.length - 32), this.sm4Tag(k, header, ivAndCt))) {
      throw new PiiCryptoError('integrity', 'integrity check failed: the value was altered or the key is wrong');
    }
    const d = crypto.createDecipheriv('sm4-cbc', this.subkey(k, 'sm4cbc-sm3/enc', 'sm3', 16), ivAndCt.subarray(0, 16));
    return Buffer.concat([d.update(ivAndCt.subarray(16)), d.final()]).toString('utf8');
  }
}
