import { type Kysely, sql } from 'kysely';

// Frozen in time: never import application code here.
//
// The audit log becomes a hash chain (docs/SECURITY.md, "Audit log"): writers insert rows with seq/prev_hash/hash
// NULL and a sealer fills them in later. The trigger makes the table append-only for every role, the owner
// included, on PostgreSQL and on PGlite alike (PGlite ships plpgsql): the one update it lets through is the
// sealer's, which fills the three chain columns of a row that had none and changes nothing else.
const up_statements = [
  `ALTER TABLE audit_event
    ADD COLUMN purpose text,
    ADD COLUMN result text NOT NULL DEFAULT 'ok',
    ADD COLUMN seq bigint,
    ADD COLUMN prev_hash text,
    ADD COLUMN hash text,
    ADD CONSTRAINT audit_event_result_ck CHECK (result IN ('ok', 'denied', 'failed')),
    ADD CONSTRAINT audit_event_seq_uq UNIQUE (seq),
    ADD CONSTRAINT audit_event_seq_ck CHECK (seq > 0),
    ADD CONSTRAINT audit_event_sealed_ck CHECK (
      (seq IS NULL AND prev_hash IS NULL AND hash IS NULL) OR (seq IS NOT NULL AND prev_hash IS NOT NULL AND hash IS NOT NULL)
    )`,
  // entries written before this migration: failed and refused sign-ins get their result
  `UPDATE audit_event SET result = 'failed' WHERE action LIKE '%\\_failed' OR action LIKE '%.locked'`,
  `UPDATE audit_event SET result = 'denied' WHERE action LIKE '%\\_refused' OR action LIKE '%\\_denied'`,
  `CREATE INDEX audit_event_unsealed_idx ON audit_event (id) WHERE seq IS NULL`,
  `CREATE INDEX audit_event_actor_idx ON audit_event (actor_id, at)`,
  `CREATE INDEX audit_event_entity_idx ON audit_event (entity, entity_id)`,
  `CREATE INDEX audit_event_action_idx ON audit_event (action, at)`,
  `CREATE FUNCTION audit_event_append_only() RETURNS trigger LANGUAGE plpgsql AS $fn$
BEGIN
  IF TG_OP = 'UPDATE' THEN
    IF OLD.hash IS NULL AND NEW.hash IS NOT NULL
       AND to_jsonb(NEW) - 'seq' - 'prev_hash' - 'hash' = to_jsonb(OLD) - 'seq' - 'prev_hash' - 'hash' THEN
      RETURN NEW;
    END IF;
  END IF;
  RAISE EXCEPTION 'audit_event is append-only: % refused', TG_OP USING ERRCODE = 'insufficient_privilege';
END
$fn$`,
  `CREATE TRIGGER audit_event_append_only BEFORE UPDATE OR DELETE ON audit_event
    FOR EACH ROW EXECUTE FUNCTION audit_event_append_only()`,
  `CREATE TRIGGER audit_event_no_truncate BEFORE TRUNCATE ON audit_event
    FOR EACH STATEMENT EXECUTE FUNCTION audit_event_append_only()`,
  // Roles other than the owner (the application's role when a deployment separates them, or PUBLIC) keep SELECT
  // and INSERT but lose UPDATE, DELETE, TRUNCATE and TRIGGER; UPDATE stays on the three chain columns for the sealer.
  // The owner is left alone: no privilege binds an owner, the trigger does. With one role (the usual embedded
  // and small set-up) there is nothing to revoke and this does nothing.
  `DO $do$
DECLARE
  r record;
BEGIN
  FOR r IN
    SELECT DISTINCT a.grantee
    FROM pg_class c, aclexplode(c.relacl) a
    WHERE c.oid = 'audit_event'::regclass
      AND a.grantee <> c.relowner
      AND a.privilege_type IN ('UPDATE', 'DELETE', 'TRUNCATE', 'TRIGGER')
  LOOP
    IF r.grantee = 0 THEN
      EXECUTE 'REVOKE UPDATE, DELETE, TRUNCATE, TRIGGER ON audit_event FROM PUBLIC';
    ELSE
      EXECUTE format('REVOKE UPDATE, DELETE, TRUNCATE, TRIGGER ON audit_event FROM %s', r.grantee::regrole);
      EXECUTE format('GRANT UPDATE (seq, prev_hash, hash) ON audit_event TO %s', r.grantee::regrole);
    END IF;
  END LOOP;
END
$do$`,
];

export async function up(db: Kysely<unknown>): Promise<void> {
  for (const statement of up_statements) await sql.raw(statement).execute(db);
}

export async function down(db: Kysely<unknown>): Promise<void> {
  for (const statement of [
    'DROP TRIGGER IF EXISTS audit_event_no_truncate ON audit_event',
    'DROP TRIGGER IF EXISTS audit_event_append_only ON audit_event',
    'DROP FUNCTION IF EXISTS audit_event_append_only()',
    'DROP INDEX IF EXISTS audit_event_action_idx',
    'DROP INDEX IF EXISTS audit_event_entity_idx',
    'DROP INDEX IF EXISTS audit_event_actor_idx',
    'DROP INDEX IF EXISTS audit_event_unsealed_idx',
    `ALTER TABLE audit_event
      DROP CONSTRAINT IF EXISTS audit_event_sealed_ck,
      DROP CONSTRAINT IF EXISTS audit_event_seq_ck,
      DROP CONSTRAINT IF EXISTS audit_event_seq_uq,
      DROP CONSTRAINT IF EXISTS audit_event_result_ck,
      DROP COLUMN IF EXISTS hash,
      DROP COLUMN IF EXISTS prev_hash,
      DROP COLUMN IF EXISTS seq,
      DROP COLUMN IF EXISTS result,
      DROP COLUMN IF EXISTS purpose`,
  ]) {
    await sql.raw(statement).execute(db);
  }
}
