import type { ColumnType, Generated } from 'kysely';

type Timestamp = ColumnType<Date, Date | string | undefined, Date | string>;

/** An outside system allowed to POST service requests; only the SHA-256 of its key is kept. */
export interface Open311ClientTable {
  id: Generated<number>;
  name: string;
  api_key_hash: string;
  active: Generated<boolean>;
  created_at: Timestamp;
}

/** What a case taken in through Open311 carries beyond the case itself. */
export interface Open311RequestTable {
  case_id: number;
  client_id: number;
  /** the client's own id for the reporter's account, echoed back */
  account_id: string | null;
  media_url: string | null;
  created_at: Timestamp;
}

export interface Open311Tables {
  open311_client: Open311ClientTable;
  open311_request: Open311RequestTable;
}
