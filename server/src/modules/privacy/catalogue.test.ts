import { describe, expect, it } from 'vitest';
import { ENCRYPTED_COLUMNS, LOOKS_PERSONAL, NOT_PERSONAL, PERSONAL_DATA } from './catalogue.js';

describe('the personal-data catalogue', () => {
  it('names each column once, with a note', () => {
    const names = PERSONAL_DATA.map((e) => `${e.table}.${e.column}`);
    expect(new Set(names).size).toBe(names.length);
    for (const e of PERSONAL_DATA) expect(e.note.length, `${e.table}.${e.column}`).toBeGreaterThan(10);
    for (const name of names) expect(NOT_PERSONAL[name], name).toBeUndefined();
  });

  it('encrypts the reporter and the supporters, with a keyed hash for the reporter phone', () => {
    const encrypted = ENCRYPTED_COLUMNS.map((e) => `${e.table}.${e.column}`);
    expect(encrypted).toEqual(expect.arrayContaining(['case_file.reporter_name', 'case_file.reporter_phone', 'case_supporter.name', 'case_supporter.phone', 'outbox_message.recipient']));
    expect(PERSONAL_DATA.find((e) => e.column === 'reporter_phone')?.hash).toEqual({ column: 'reporter_phone_hash', kind: 'phone' });
  });

  it('recognises columns that look personal', () => {
    for (const c of ['reporter_name', 'phone', 'mobile', 'id_number', 'idcard', 'home_address', 'birth_date', 'email', 'contact', 'party_name', 'ip', 'client_ip', 'telephone', 'password_hash', 'totp_secret']) expect(c).toMatch(LOOKS_PERSONAL);
    for (const c of ['description', 'zip', 'status', 'matter_type_code', 'shipment', 'telemetry', 'must_change_password', 'password_changed_at']) expect(c).not.toMatch(LOOKS_PERSONAL);
  });
});
