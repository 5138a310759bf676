import { type Kysely, sql } from 'kysely';

// Frozen in time: never import application code here.
//
// Seals of the audit log (docs/SECURITY.md, "Audit log"): each sealing run records the head it reached (latest id,
// entry count, last seq and its hash) in a table of its own, chained like the log. The verifier checks the log
// against them, so a truncated log, a deleted tail or a log replaced by a self-consistent forgery no longer passes.
// The table is append-only like audit_event, for every role including the owner.
const up_statements = [
  `CREATE TABLE audit_seal (
    no bigint PRIMARY KEY CHECK (no > 0),
    at timestamptz NOT NULL,
    last_id integer NOT NULL,
    last_seq bigint NOT NULL CHECK (last_seq > 0),
    entry_count bigint NOT NULL CHECK (entry_count >= 0),
    head_hash text NOT NULL,
    prev_seal_hash text NOT NULL,
    seal_hash text NOT NULL
  )`,
  `CREATE FUNCTION audit_seal_append_only() RETURNS trigger LANGUAGE plpgsql AS $fn$
BEGIN
  RAISE EXCEPTION 'audit_seal is append-only: % refused', TG_OP USING ERRCODE = 'insufficient_privilege';
END
$fn$`,
  `CREATE TRIGGER audit_seal_append_only BEFORE UPDATE OR DELETE ON audit_seal
    FOR EACH ROW EXECUTE FUNCTION audit_seal_append_only()`,
  `CREATE TRIGGER audit_seal_no_truncate BEFORE TRUNCATE ON audit_seal
    FOR EACH STATEMENT EXECUTE FUNCTION audit_seal_append_only()`,
  // as for audit_event: roles other than the owner keep SELECT and INSERT only
  `DO $do$
DECLARE
  r record;
BEGIN
  FOR r IN
    SELECT DISTINCT a.grantee
    FROM pg_class c, aclexplode(c.relacl) a
    WHERE c.oid = 'audit_seal'::regclass
      AND a.grantee <> c.relowner
      AND a.privilege_type IN ('UPDATE', 'DELETE', 'TRUNCATE', 'TRIGGER')
  LOOP
    IF r.grantee = 0 THEN
      EXECUTE 'REVOKE UPDATE, DELETE, TRUNCATE, TRIGGER ON audit_seal FROM PUBLIC';
    ELSE
      EXECUTE format('REVOKE UPDATE, DELETE, TRUNCATE, TRIGGER ON audit_seal FROM %s', r.grantee::regrole);
    END IF;
  END LOOP;
END
$do$`,
];

export async function up(db: Kysely<unknown>): Promise<void> {
  for (const statement of up_statements) await sql.raw(statement).execute(db);
}

export async function down(db: Kysely<unknown>): Promise<void> {
  await sql.raw('DROP TABLE IF EXISTS audit_seal').execute(db);
  await sql.raw('DROP FUNCTION IF EXISTS audit_seal_append_only()').execute(db);
}
