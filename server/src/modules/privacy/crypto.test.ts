import crypto from 'node:crypto';
import { describe, expect, it } from 'vitest';
import type { PiiCipherName } from '../../config.js';
import { FieldCipher, isSealed, normaliseForSearch, PiiCryptoError } from './crypto.js';

const key = (fill: number) => Buffer.alloc(32, fill);
const cipherOf = (cipher: PiiCipherName, keys: Array<[string, number]>, hmac = 7) =>
  new FieldCipher({ cipher, keys: keys.map(([id, fill]) => ({ id, key: key(fill) })), hmacKey: key(hmac) });

/** Flips one bit of the decoded body, keeping the envelope well-formed. */
function flip(sealed: string, at: number): string {
  const i = sealed.lastIndexOf(':');
  const raw = Buffer.from(sealed.slice(i + 1), 'base64');
  raw[at < 0 ? raw.length + at : at]! ^= 0x01;
  return `${sealed.slice(0, i + 1)}${raw.toString('base64')}`;
}

describe.each(['aes-256-gcm', 'sm4'] as const)('field encryption with %s', (name) => {
  const pii = cipherOf(name, [['k1', 1]]);
  const alg = name === 'sm4' ? 'sm4cbc-sm3' : 'aes256gcm';

  it('round-trips, in the compact versioned format, with a fresh IV each time', () => {
    for (const value of ['13812345678', '张三', '', '欧阳娜娜 Nana 🙂', 'x'.repeat(1000)]) {
      const sealed = pii.encryptField(value);
      expect(sealed).toMatch(new RegExp(`^v1:${alg}:k1:[A-Za-z0-9+/]+={0,2}$`));
      expect(isSealed(sealed)).toBe(true);
      expect(pii.decryptField(sealed)).toBe(value);
    }
    expect(pii.encryptField('13812345678')).not.toBe(pii.encryptField('13812345678'));
    expect(pii.encryptField(null)).toBeNull();
    expect(pii.decryptField(null)).toBeNull();
  });

  it('detects tampering: any flipped byte of IV, ciphertext or tag is refused', () => {
    const sealed = pii.encryptField('13812345678');
    for (const at of [0, 5, 20, -1]) expect(() => pii.decryptField(flip(sealed, at))).toThrow(PiiCryptoError);
    expect(() => pii.decryptField(flip(sealed, 20))).toThrow(/integrity/);
  });

  it('authenticates the header: another key id or algorithm in it is refused', () => {
    const sealed = pii.encryptField('13812345678');
    const both = cipherOf(name, [['k1', 1], ['k2', 1]]);
    expect(() => both.decryptField(sealed.replace(':k1:', ':k2:'))).toThrow(/integrity/);
    const other = name === 'sm4' ? 'aes256gcm' : 'sm4cbc-sm3';
    expect(() => pii.decryptField(sealed.replace(`:${alg}:`, `:${other}:`))).toThrow(PiiCryptoError);
  });

  it('refuses a wrong key and an unknown key id', () => {
    const sealed = pii.encryptField('13812345678');
    expect(() => cipherOf(name, [['k1', 2]]).decryptField(sealed)).toThrow(/integrity/);
    expect(() => cipherOf(name, [['k9', 1]]).decryptField(sealed)).toThrow(/key k1 is not configured/);
  });

  it('rotates: new writes use the first key, older keys still decrypt, reseal moves values to the new key', () => {
    const old = pii.encryptField('13812345678');
    const rotated = cipherOf(name, [['k2', 2], ['k1', 1]]);
    expect(rotated.currentKeyId).toBe('k2');
    expect(rotated.encryptField('x')).toMatch(new RegExp(`^v1:${alg}:k2:`));
    expect(rotated.decryptField(old)).toBe('13812345678');
    expect(rotated.needsReseal(old)).toBe(true);
    const moved = rotated.reseal(old);
    expect(moved).toMatch(/:k2:/);
    expect(rotated.decryptField(moved)).toBe('13812345678');
    expect(rotated.needsReseal(moved)).toBe(false);
    expect(rotated.reseal(moved)).toBe(moved);
    // plaintext from before encryption gets sealed
    expect(rotated.decryptField(rotated.reseal('13900001111'))).toBe('13900001111');
  });

  it('keeps a keyed search hash over the normalised value', () => {
    const h = pii.searchHash('13812345678', 'phone');
    expect(h).toMatch(/^[0-9a-f]{64}$/);
    expect(pii.searchHash(' +86 138-1234-5678 ', 'phone')).toBe(h);
    expect(pii.searchHash('11010519491231002x', 'idNumber')).toBe(pii.searchHash(' 11010519491231002X', 'idNumber'));
    expect(cipherOf(name, [['k1', 1]], 8).searchHash('13812345678', 'phone')).not.toBe(h);
    // the key, not the value alone, makes the hash: a plain hash of the digits is something else
    expect(h).not.toBe(crypto.createHash('sha256').update('13812345678').digest('hex'));
  });
});

describe('switching ciphers', () => {
  it('decrypts the other cipher with the same keys (a move from AES to SM4 is a rotation)', () => {
    const aes = cipherOf('aes-256-gcm', [['k1', 1]]);
    const sm4 = cipherOf('sm4', [['k1', 1]]);
    const a = aes.encryptField('13812345678');
    expect(sm4.decryptField(a)).toBe('13812345678');
    expect(sm4.needsReseal(a)).toBe(true);
    expect(sm4.reseal(a)).toMatch(/^v1:sm4cbc-sm3:k1:/);
    expect(aes.searchHash('1', 'text')).not.toBe(sm4.searchHash('1', 'text'));
  });
});

describe('the algorithms are the standard ones', () => {
  it('SM4 matches the GB/T 32907-2016 example and SM3 the GB/T 32905-2016 one', () => {
    const k = Buffer.from('0123456789abcdeffedcba9876543210', 'hex');
    const c = crypto.createCipheriv('sm4-ecb', k, null).setAutoPadding(false);
    expect(Buffer.concat([c.update(k), c.final()]).toString('hex')).toBe('681edf34d206965e86b3e94f536e4246');
    expect(crypto.createHash('sm3').update('abc').digest('hex')).toBe('66c7f0f462eeedd9d1f2d46bdc10e4e24167c4875cf2f7a2297da02b8f4ba8e0');
  });
});

describe('normaliseForSearch', () => {
  it('trims; phones keep their digits without +86; ID numbers go upper case', () => {
    expect(normaliseForSearch(' +86 138 1234 5678 ', 'phone')).toBe('13812345678');
    expect(normaliseForSearch('0471-1234567', 'phone')).toBe('04711234567');
    expect(normaliseForSearch(' 11010519491231002x ', 'idNumber')).toBe('11010519491231002X');
    expect(normaliseForSearch(' 张三 ', 'text')).toBe('张三');
  });

  it('rejects malformed sealed values', () => {
    const pii = cipherOf('aes-256-gcm', [['k1', 1]]);
    expect(() => pii.decryptField('13812345678')).toThrow(/not a sealed value/);
    expect(() => pii.decryptField('v1:aes256gcm:k1:AAAA')).toThrow(/too short/);
    expect(pii.readStored('13812345678')).toBe('13812345678');
    expect(isSealed('v2:aes256gcm:k1:AAAA')).toBe(false);
  });
});
