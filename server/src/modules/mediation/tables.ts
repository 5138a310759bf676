import type { ColumnType, Generated } from 'kysely';
import type { Sealed } from '../privacy/index.js';

type Timestamp = ColumnType<Date, Date | string | undefined, Date | string>;
type NullableTimestamp = ColumnType<Date | null, Date | string | null | undefined, Date | string | null>;
/** a calendar date, read back as YYYY-MM-DD text (the repository casts it) */
type DateText = ColumnType<string | null, string | null | undefined, string | null>;
type Json<T> = ColumnType<T, string | undefined, string>;
type Level = 'city' | 'district' | 'street' | 'community';

/** A mediation organisation (调解组织): people's committees, administrative, professional, studios, court-entrusted. */
export interface MediationOrgTable {
  id: Generated<number>;
  code: string;
  name: string;
  kind: string;
  level: Level;
  jurisdiction_code: string;
  jurisdiction_path: string;
  specialties: Json<string[]>;
  active: Generated<boolean>;
  created_at: Timestamp;
}

/** A mediator (调解员), optionally the account they sign in with. */
export interface MediatorTable {
  id: Generated<number>;
  user_id: number | null;
  display_name: string;
  org_id: number;
  jurisdiction_code: string;
  jurisdiction_path: string;
  specialties: Json<string[]>;
  active: Generated<boolean>;
  created_at: Timestamp;
}

/** A dispute (矛盾纠纷), always linked to the case it came in as (one window). */
export interface DisputeTable {
  id: Generated<number>;
  case_id: number;
  dispute_type: string;
  facts: string;
  /** numeric(14,2): the driver answers text */
  amount: ColumnType<string | null, number | null | undefined, number | null>;
  people_count: number;
  risk_level: 'low' | 'medium' | 'high';
  group_dispute: boolean;
  extreme_risk: boolean;
  status: string;
  status_type: 'open' | 'resolved' | 'closed';
  path: string | null;
  receiving_body: string | null;
  org_id: number | null;
  mediator_id: number | null;
  outcome: 'agreement' | 'partial' | 'failed' | 'withdrawn' | null;
  terms: string | null;
  performance_method: string | null;
  performance_deadline: DateText;
  concluded_at: NullableTimestamp;
  court: string | null;
  confirmation_applied_at: DateText;
  confirmation_decision: 'confirmed' | 'rejected' | null;
  confirmation_decided_at: DateText;
  jurisdiction_code: string;
  jurisdiction_path: string;
  /** the other jurisdiction of a dispute spanning two (HH43) */
  other_path: string | null;
  /** the centre that organises the handling: the dispute's own, or the common upper level of two */
  organiser_code: string;
  organiser_path: string;
  lead_department_id: number | null;
  version: Generated<number>;
  created_by: number | null;
  created_at: Timestamp;
  updated_at: Timestamp;
}

/** A party; name, phone and ID number are field-encrypted (privacy/catalogue.ts). */
export interface DisputePartyTable {
  id: Generated<number>;
  dispute_id: number;
  position: number;
  kind: 'person' | 'organisation';
  role: 'applicant' | 'respondent' | 'third_party';
  name: Sealed;
  phone: Sealed | null;
  id_number: Sealed | null;
  id_number_hash: string | null;
}

export interface DisputeDiversionTable {
  id: Generated<number>;
  dispute_id: number;
  path: string;
  reason: string;
  receiving_body: string;
  org_id: number | null;
  diverted_by: number | null;
  diverted_at: Timestamp;
}

export interface MediationSessionTable {
  id: Generated<number>;
  dispute_id: number;
  held_at: Timestamp;
  place: string;
  participants: string;
  minutes: string;
  mediator_id: number | null;
  created_by: number | null;
  created_at: Timestamp;
}

export interface DisputeFollowUpTable {
  id: Generated<number>;
  dispute_id: number;
  due_on: ColumnType<string, string, string>;
  done_at: NullableTimestamp;
  result: string | null;
  reminded_at: NullableTimestamp;
  created_by: number | null;
  created_at: Timestamp;
}

export interface DisputeJointMeetingTable {
  id: Generated<number>;
  dispute_id: number;
  held_at: Timestamp;
  department_ids: Json<number[]>;
  lead_department_id: number;
  organiser_code: string;
  minutes: string;
  created_by: number | null;
  created_at: Timestamp;
}

export interface DisputeEventTable {
  id: Generated<number>;
  dispute_id: number;
  at: Timestamp;
  actor_id: number | null;
  actor_name: string;
  action: string;
  from_status: string | null;
  to_status: string | null;
  note: string | null;
  detail: Json<Record<string, unknown>>;
}

/** The published administrative-mediation list (行政调解事项清单), versioned with effective dates (HH39). */
export interface AdminMediationListTable {
  id: Generated<number>;
  version: number;
  effective_from: ColumnType<string, string, string>;
  note: string | null;
  published_by: number | null;
  published_at: Timestamp;
}

export interface AdminMediationListItemTable {
  id: Generated<number>;
  list_id: number;
  position: number;
  matter: string;
  handling_level: Level;
  body: string;
  remedy: string;
}

export interface MediationTables {
  mediation_org: MediationOrgTable;
  mediator: MediatorTable;
  dispute: DisputeTable;
  dispute_party: DisputePartyTable;
  dispute_diversion: DisputeDiversionTable;
  mediation_session: MediationSessionTable;
  dispute_follow_up: DisputeFollowUpTable;
  dispute_joint_meeting: DisputeJointMeetingTable;
  dispute_event: DisputeEventTable;
  admin_mediation_list: AdminMediationListTable;
  admin_mediation_list_item: AdminMediationListItemTable;
}
