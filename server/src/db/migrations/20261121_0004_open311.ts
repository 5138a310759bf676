import { type Kysely, sql } from 'kysely';

// Frozen in time: never import application code here.
const up_statements = [
  `CREATE TABLE open311_client (
    id integer GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
    name text NOT NULL,
    api_key_hash text NOT NULL CONSTRAINT open311_client_key_uq UNIQUE,
    active boolean NOT NULL DEFAULT true,
    created_at timestamptz NOT NULL DEFAULT now(),
    CONSTRAINT open311_client_key_hash_ck CHECK (api_key_hash ~ '^[0-9a-f]{64}$')
  )`,
  `CREATE TABLE open311_request (
    case_id integer NOT NULL CONSTRAINT open311_request_case_fk REFERENCES case_file (id),
    client_id integer NOT NULL CONSTRAINT open311_request_client_fk REFERENCES open311_client (id),
    account_id text,
    media_url text,
    created_at timestamptz NOT NULL DEFAULT now(),
    CONSTRAINT open311_request_pk PRIMARY KEY (case_id)
  )`,
  `CREATE INDEX open311_request_client_idx ON open311_request (client_id)`,
];

export async function up(db: Kysely<unknown>): Promise<void> {
  for (const statement of up_statements) await sql.raw(statement).execute(db);
}

export async function down(db: Kysely<unknown>): Promise<void> {
  for (const table of ['open311_request', 'open311_client']) {
    await sql.raw(`DROP TABLE IF EXISTS ${table}`).execute(db);
  }
}
