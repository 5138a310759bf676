import type { ColumnType, Generated } from 'kysely';
import type { Sealed, SecurityLabel } from '../privacy/index.js';

type Timestamp = ColumnType<Date, Date | string | undefined, Date | string>;
type NullableTimestamp = ColumnType<Date | null, Date | string | null | undefined, Date | string | null>;

/** A person served (重点人群/特殊人群): sensitive personal information, every identifying field sealed. */
export interface PersonServedTable {
  id: Generated<number>;
  care_group: string;
  risk_level: 'low' | 'medium' | 'high';
  /** severe mental disorders: the national six-grade risk assessment, 0–5 */
  risk_grade: number | null;
  name: Sealed;
  id_number: Sealed | null;
  /** keyed hash of the normalised ID number: finding a person already registered */
  id_number_hash: string | null;
  phone: Sealed | null;
  address: Sealed | null;
  community_code: string;
  grid_id: number | null;
  jurisdiction_path: string;
  status: Generated<'active' | 'closed'>;
  /** security label (privacy/labels.ts) and its rank: a reader's clearance must dominate it */
  security_label: SecurityLabel;
  security_rank: number;
  registered_on: string;
  last_visit_on: string | null;
  next_visit_due: string;
  /** the care plan, three-in-one: government, social and family measures (sealed: they describe the person) */
  government_measures: Sealed | null;
  social_measures: Sealed | null;
  family_measures: Sealed | null;
  version: Generated<number>;
  created_by: number | null;
  created_at: Timestamp;
  updated_at: Timestamp;
}

/** Who is responsible for a person: a staff account, or someone outside (social worker, family) sealed. */
export interface PersonResponsibleTable {
  id: Generated<number>;
  person_id: number;
  side: 'government' | 'social' | 'family';
  user_id: number | null;
  name: Sealed | null;
  phone: Sealed | null;
}

/** A scheduled visit that did not happen by its due day: raised once per person and due day. */
export interface CareVisitWarningTable {
  id: Generated<number>;
  person_id: number;
  due_on: string;
  jurisdiction_path: string;
  raised_at: Timestamp;
  resolved_at: NullableTimestamp;
}

/** A referral to a psychological service station (心理服务站), for a person served or a case. */
export interface PsychReferralTable {
  id: Generated<number>;
  person_id: number | null;
  case_id: number | null;
  station: string;
  reason: Sealed;
  status: Generated<'referred' | 'accepted' | 'closed'>;
  jurisdiction_path: string;
  referred_by: number;
  referred_at: Timestamp;
}

/** A crisis intervention (危机干预), for a person served or a case. */
export interface CrisisInterventionTable {
  id: Generated<number>;
  person_id: number | null;
  case_id: number | null;
  severity: 'low' | 'medium' | 'high' | 'imminent';
  measures: Sealed;
  outcome: Sealed | null;
  jurisdiction_path: string;
  occurred_at: Timestamp;
  recorded_by: number;
  recorded_at: Timestamp;
}

export interface PeopleTables {
  person_served: PersonServedTable;
  person_responsible: PersonResponsibleTable;
  care_visit_warning: CareVisitWarningTable;
  psych_referral: PsychReferralTable;
  crisis_intervention: CrisisInterventionTable;
}
