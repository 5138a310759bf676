import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { type Kysely, sql } from 'kysely';
import { afterAll, describe, expect, it } from 'vitest';
import type { DatabaseHandle } from '../src/db/database.js';
import type { Database } from '../src/db/schema.js';
import { sealAnchor } from '../src/modules/audit/anchors.js';
import { sealEntries } from '../src/modules/audit/chain.js';
import { describeVerification, recordAudit, sealAuditLog, verifyAuditChain } from '../src/modules/audit/repository.js';
import { signIn, testApp, testDatabase } from './harness.js';

/*
 * Finding 5 of issue 12: with the trigger switched off by the table's owner, the log could be truncated, lose its
 * tail or be replaced by a chain rebuilt to be self-consistent, and verification still said "intact". Each attack
 * now runs against its own copy of the database and must be reported with the seqs it took away.
 */

const handles: DatabaseHandle[] = [];
const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'zhili-seals-'));
afterAll(async () => {
  for (const h of handles) await h.close();
  fs.rmSync(dir, { recursive: true, force: true });
});

const silent = { info: () => undefined, error: () => undefined };

/** A fresh database whose log holds three sealing runs of ten entries each, every seal also in a seal file. */
async function sealedLog(name: string): Promise<{ db: Kysely<Database>; file: string; lastSeq: number; seals: number[] }> {
  const handle = await testDatabase();
  handles.push(handle);
  const db = handle.db;
  const file = path.join(dir, `${name}.seals`);
  const onSeal = sealAnchor({ logger: silent, file });
  const seals: number[] = [];
  for (let run = 0; run < 3; run++) {
    for (let i = 0; i < 10; i++) await recordAudit(db, { actorId: null, action: 'test.entry', entity: 'test', entityId: `${run}-${i}` });
    const r = await sealAuditLog(db, { onSeal });
    seals.push(r.lastSeq);
  }
  const v = await verifyAuditChain(db, { sealFile: file });
  expect(v).toMatchObject({ ok: true, seals: 3, fileSeals: 3 });
  return { db, file, lastSeq: seals.at(-1)!, seals };
}

/** What the table's owner can do: switch the guards off, change the tables, switch them on again. */
async function asOwner(db: Kysely<Database>, ...statements: string[]) {
  for (const t of ['audit_event', 'audit_seal']) await sql.raw(`ALTER TABLE ${t} DISABLE TRIGGER USER`).execute(db);
  try {
    for (const s of statements) await sql.raw(s).execute(db);
  } finally {
    for (const t of ['audit_event', 'audit_seal']) await sql.raw(`ALTER TABLE ${t} ENABLE TRIGGER USER`).execute(db);
  }
}

/** Rebuilds the whole chain from the rows left, self-consistent from seq 1: what a forger with the owner's rights does. */
async function rebuildChain(db: Kysely<Database>) {
  const rows = await db
    .selectFrom('audit_event')
    .select(['id', 'actor_id', 'action', 'entity', 'entity_id', 'ip', 'purpose', 'result'])
    .select([sql<string>`to_char(at AT TIME ZONE 'UTC', 'YYYY-MM-DD"T"HH24:MI:SS.US"Z"')`.as('at'), sql<string>`detail::text`.as('detail')])
    .orderBy('id')
    .execute();
  const forged = sealEntries(
    null,
    rows.map((r) => ({ id: r.id, at: r.at, actorId: r.actor_id, action: r.action, entity: r.entity, entityId: r.entity_id, detail: r.detail, ip: r.ip, purpose: r.purpose, result: r.result })),
  );
  await asOwner(db, 'UPDATE audit_event SET seq = NULL, prev_hash = NULL, hash = NULL', ...forged.map((f) => `UPDATE audit_event SET seq = ${f.seq}, prev_hash = '${f.prevHash}', hash = '${f.hash}' WHERE id = ${f.id}`));
  return forged;
}

// each test loads its own copy of the database: slow when other suites run beside it
describe('seals kept apart from the log', { timeout: 120_000 }, () => {
  it('writes one seal per sealing run, chained, to the table, the log stream and the seal file', async () => {
    const { db, file, seals } = await sealedLog('seals');
    const rows = await db.selectFrom('audit_seal').selectAll().orderBy('no').execute();
    expect(rows.map((r) => [r.no, r.last_seq])).toEqual(seals.map((s, i) => [i + 1, s]));
    expect(rows[1]!.prev_seal_hash).toBe(rows[0]!.seal_hash);
    expect(rows[2]!.entry_count).toBe(seals[2]);
    const lines = fs.readFileSync(file, 'utf8').trim().split('\n').map((l) => JSON.parse(l));
    expect(lines.map((l) => l.sealHash)).toEqual(rows.map((r) => r.seal_hash));
    expect(fs.statSync(file).mode & 0o777).toBe(0o600);
    const logged: unknown[] = [];
    await recordAudit(db, { actorId: null, action: 'test.more', entity: 'test' });
    await sealAuditLog(db, { onSeal: sealAnchor({ logger: { info: (obj) => logged.push(obj), error: () => undefined } }) });
    expect(logged).toEqual([{ auditSeal: expect.objectContaining({ no: 4, lastSeq: seals[2]! + 1 }) }]);
    // nothing to seal, no seal
    expect((await sealAuditLog(db)).seals).toEqual([]);
  });

  it('refuses to change or remove a seal, even for the owner unless the guard is switched off', async () => {
    const { db } = await sealedLog('guard');
    await expect(sql`UPDATE audit_seal SET head_hash = 'x' WHERE no = 1`.execute(db)).rejects.toThrow(/append-only/);
    await expect(sql`DELETE FROM audit_seal WHERE no = 3`.execute(db)).rejects.toThrow(/append-only/);
    await expect(sql`TRUNCATE audit_seal`.execute(db)).rejects.toThrow(/append-only/);
  });
});

describe('attacks on the audit log, each reported with what is missing', { timeout: 120_000 }, () => {
  it('TRUNCATE: reports every seq gone, before and after new entries', async () => {
    const { db, file, lastSeq } = await sealedLog('truncate');
    await asOwner(db, 'TRUNCATE audit_event');
    const v = await verifyAuditChain(db, { sealFile: file });
    expect(v).toMatchObject({ ok: false, reason: 'missing_tail', missingFrom: 1, missingTo: lastSeq, seal: { no: 3, lastSeq, source: 'table' } });
    expect(describeVerification(v)).toBe(
      `audit log BROKEN: seq 1–${lastSeq} missing (deleted or truncated): seal #3 of ${(v as { seal: { at: string } }).seal.at} recorded the log up to seq ${lastSeq}, it now ends at seq 0`,
    );
    // the log goes on after the last seal, so the gap stays where it is
    await recordAudit(db, { actorId: null, action: 'test.after', entity: 'test' });
    expect(await verifyAuditChain(db, { sealFile: file })).toMatchObject({ ok: false, reason: 'missing_entry', missingFrom: 1, missingTo: lastSeq, brokenAt: { seq: lastSeq + 1, action: 'test.after' } });
  });

  it('deleting the newest ten entries: reports the ten seqs gone, before and after new entries', async () => {
    const { db, file, lastSeq } = await sealedLog('tail');
    await asOwner(db, `DELETE FROM audit_event WHERE seq > ${lastSeq - 10}`);
    expect(await verifyAuditChain(db, { sealFile: file })).toMatchObject({ ok: false, reason: 'missing_tail', missingFrom: lastSeq - 9, missingTo: lastSeq });
    await recordAudit(db, { actorId: null, action: 'test.after', entity: 'test' });
    const v = await verifyAuditChain(db, { sealFile: file });
    expect(v).toMatchObject({ ok: false, reason: 'missing_entry', missingFrom: lastSeq - 9, missingTo: lastSeq, brokenAt: { seq: lastSeq + 1 } });
    expect(describeVerification(v)).toContain(`seq ${lastSeq - 9}–${lastSeq} are missing`);
  });

  it('a self-consistent forged chain without one entry: reports the stretch replaced since the last seal that still holds', async () => {
    const { db, file, seals } = await sealedLog('forged');
    const victim = await db.selectFrom('audit_event').select('id').where('seq', '=', seals[0]! + 4).executeTakeFirstOrThrow();
    await asOwner(db, `DELETE FROM audit_event WHERE id = ${victim.id}`);
    await rebuildChain(db);
    const v = await verifyAuditChain(db, { sealFile: file });
    // the chain itself is whole again; only the seals show the forgery
    expect(v).toMatchObject({ ok: false, reason: 'seal_mismatch', missingFrom: seals[0]! + 1, missingTo: seals[1], seal: { no: 2, lastSeq: seals[1] }, count: seals[2]! - 1 });
    expect(describeVerification(v)).toContain(`seq ${seals[0]! + 1}–${seals[1]} replaced (a rebuilt chain)`);
  });

  it('a forged chain of the same length with one action changed: reported on the auditor\'s page too', async () => {
    const t = await testApp();
    try {
      const db = t.handle.db;
      const auditor = await signIn(t.app, 'demo-auditor');
      await sealAuditLog(db);
      const { lastSeq } = (await verifyAuditChain(db)) as { lastSeq: number };
      await asOwner(db, `UPDATE audit_event SET action = 'auth.logout' WHERE seq = ${lastSeq}`);
      await rebuildChain(db);
      const res = (await auditor.get('/api/audit/verify')).json();
      expect(res).toMatchObject({ ok: false, reason: 'seal_mismatch', missingTo: lastSeq, seal: { lastSeq, source: 'table' } });
      expect(res.message).toContain('replaced');
      const entry = await db.selectFrom('audit_event').select('detail').where('action', '=', 'audit.verify').orderBy('id', 'desc').executeTakeFirstOrThrow();
      expect(entry.detail).toMatchObject({ ok: false, reason: 'seal_mismatch', missingTo: lastSeq });
    } finally {
      await t.close();
    }
  });

  it('truncating the log and its seals together: the seal file outside the database still shows it', async () => {
    const { db, file, lastSeq } = await sealedLog('both');
    await asOwner(db, 'TRUNCATE audit_event', 'TRUNCATE audit_seal');
    // without the file nothing inside the database remembers the log
    expect(await verifyAuditChain(db)).toMatchObject({ ok: true, count: 0, seals: 0 });
    expect(await verifyAuditChain(db, { sealFile: file })).toMatchObject({ ok: false, reason: 'missing_tail', missingFrom: 1, missingTo: lastSeq, seal: { no: 3, source: 'file' } });
  });

  it('removing a seal, or damaging the seal file, is reported', async () => {
    const { db, file } = await sealedLog('seal-removed');
    await asOwner(db, 'DELETE FROM audit_seal WHERE no = 2');
    expect(await verifyAuditChain(db)).toMatchObject({ ok: false, reason: 'seal_chain_broken', seal: { no: 3 } });
    expect(await verifyAuditChain(db, { sealFile: file })).toMatchObject({ ok: false, reason: 'seal_missing', seal: { no: 2, source: 'file' } });
    fs.appendFileSync(file, 'not a seal\n');
    expect(await verifyAuditChain(db, { sealFile: file })).toMatchObject({ ok: false, reason: 'seal_file_damaged', damage: 'line 4 is not JSON' });
  });
});
