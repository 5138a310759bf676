import type { ColumnType, Generated } from 'kysely';
import type { Sealed, SecurityLabel } from '../privacy/index.js';

type Timestamp = ColumnType<Date, Date | string | undefined, Date | string>;
type NullableTimestamp = ColumnType<Date | null, Date | string | null | undefined, Date | string | null>;
type Json<T> = ColumnType<T, string, string>;

/** One case (事件/诉求/工单), whatever the channel. Named case_file because CASE is an SQL keyword. */
export interface CaseFileTable {
  id: Generated<number>;
  number: string;
  channel: string;
  title: string;
  description: string;
  matter_type_code: string | null;
  suggested_matter_type_code: string | null;
  priority: 'normal' | 'urgent' | 'critical';
  status: string;
  status_type: 'open' | 'closed';
  close_reason: string | null;
  close_note: string | null;
  responsible_elsewhere: string | null;
  lng: number | null;
  lat: number | null;
  address: string | null;
  grid_id: number | null;
  community_code: string;
  street_code: string;
  district_code: string;
  /** the community's jurisdiction path: scope checks are prefix matches */
  jurisdiction_path: string;
  handling_level: 'city' | 'district' | 'street' | 'community';
  handling_jurisdiction_code: string;
  handling_path: string;
  department_id: number | null;
  designated: Generated<boolean>;
  /** personal data, field-encrypted (privacy/catalogue.ts): write only what encryptField returns */
  reporter_name: Sealed | null;
  reporter_phone: Sealed | null;
  /** keyed hash of the normalised phone (searchHash), for exact-match search */
  reporter_phone_hash: ColumnType<string | null, string | null | undefined, string | null>;
  /** when retention erased the reporter's and supporters' names and phones (retention/run.ts anonymiseExpired) */
  pii_anonymised_at: NullableTimestamp;
  /** security label (privacy/labels.ts) and its rank, kept together by a CHECK: scope compares the rank with the reader's clearance */
  security_label: Generated<SecurityLabel>;
  security_rank: Generated<number>;
  time_limit_days: number | null;
  deadline: NullableTimestamp;
  warning_level: Generated<'none' | 'yellow' | 'red'>;
  /** no later than the case's next deadline warning; NULL until the deadline scan computes it (deadline-scan.ts) */
  warning_next_at: NullableTimestamp;
  pending_extension_days: number | null;
  pending_extension_reason: string | null;
  registered_at: NullableTimestamp;
  dispatched_at: NullableTimestamp;
  signed_at: NullableTimestamp;
  fed_back_at: NullableTimestamp;
  closed_at: NullableTimestamp;
  rework_count: Generated<number>;
  extension_count: Generated<number>;
  rating: 'satisfied' | 'basically_satisfied' | 'unsatisfied' | null;
  rating_comment: string | null;
  rated_at: NullableTimestamp;
  parent_case_id: number | null;
  supporter_count: Generated<number>;
  version: Generated<number>;
  created_by: number | null;
  created_at: Timestamp;
  updated_at: Timestamp;
}

/** The case's timeline: every step, nothing deleted. */
export interface CaseEventTable {
  id: Generated<number>;
  case_id: number;
  at: Timestamp;
  actor_id: number | null;
  actor_name: string;
  action: string;
  from_status: string | null;
  to_status: string | null;
  note: string | null;
  detail: Json<Record<string, unknown>>;
  attachment_ids: Json<number[]>;
}

/** Departments working on a case: the lead and co-handlers, each with its own feedback. */
export interface CaseAssignmentTable {
  case_id: number;
  department_id: number;
  role: 'lead' | 'co';
  feedback: string | null;
  fed_back_at: NullableTimestamp;
  assigned_at: Timestamp;
}

export interface CaseAttachmentTable {
  id: Generated<number>;
  case_id: number;
  /** the stored name: a sanitised stem and the extension of the type sniffed from the bytes */
  file_name: string;
  /** the name it was uploaded under, sanitised: shown, never used to serve it */
  label: string;
  mime_type: string;
  size_bytes: number;
  sha256: string;
  content: ColumnType<Buffer, Buffer, Buffer>;
  uploaded_by: number | null;
  uploaded_at: Timestamp;
}

/** "Me too" (附议): people who add themselves to an existing case. */
export interface CaseSupporterTable {
  id: Generated<number>;
  case_id: number;
  user_id: number | null;
  /** personal data, field-encrypted (privacy/catalogue.ts) */
  name: Sealed | null;
  phone: Sealed | null;
  channel: string;
  created_at: Timestamp;
}

export interface IdempotencyKeyTable {
  /** who sent it: `user:<id>` or `open311:<client>` */
  actor: string;
  key: string;
  request_hash: string;
  case_id: number;
  created_at: Timestamp;
}

export interface SupervisionItemTable {
  id: Generated<number>;
  case_id: number;
  kind: string;
  status: Generated<'open' | 'closed'>;
  jurisdiction_code: string;
  note: string;
  opened_at: Timestamp;
  closed_at: NullableTimestamp;
}

export interface CaseTables {
  case_file: CaseFileTable;
  case_event: CaseEventTable;
  case_assignment: CaseAssignmentTable;
  case_attachment: CaseAttachmentTable;
  case_supporter: CaseSupporterTable;
  idempotency_key: IdempotencyKeyTable;
  supervision_item: SupervisionItemTable;
}
