import type { ColumnType, Generated } from 'kysely';
import type { CalendarTables } from '../modules/calendar/tables.js';
import type { CaseTables } from '../modules/cases/tables.js';
import type { NotificationTables } from '../modules/notifications/tables.js';
import type { Open311Tables } from '../modules/open311/tables.js';
import type { SecurityLabel } from '../modules/privacy/index.js';
import type { GridworkTables } from '../modules/gridwork/tables.js';
import type { PeopleTables } from '../modules/people/tables.js';
import type { MediationTables } from '../modules/mediation/tables.js';

type Timestamp = ColumnType<Date, Date | string | undefined, Date | string>;
type Json<T> = ColumnType<T, string, string>;

export type JurisdictionLevel = 'city' | 'district' | 'street' | 'community';
export type GridKind = 'base' | 'dedicated';
export type Priority = 'normal' | 'urgent' | 'critical';

export interface SettingTable {
  key: string;
  value: Json<unknown>;
  updated_at: Timestamp;
}

export interface JurisdictionTable {
  code: string;
  name: string;
  level: JurisdictionLevel;
  parent_code: string | null;
  /** codes from the root down, joined by '/': scope checks are prefix matches */
  path: string;
  created_at: Timestamp;
  updated_at: Timestamp;
}

export interface DepartmentTable {
  id: Generated<number>;
  code: string;
  name: string;
  kind: string;
  level: 'city' | 'district';
  jurisdiction_code: string;
  phone: string | null;
  active: Generated<boolean>;
  created_at: Timestamp;
  updated_at: Timestamp;
}

export interface MatterTypeTable {
  code: string;
  name: string;
  category: string;
  description: Generated<string>;
  keywords: Json<string[]>;
  time_limit_days: number;
  priority: Priority;
  handling_level: JurisdictionLevel;
  active: Generated<boolean>;
  created_at: Timestamp;
  updated_at: Timestamp;
}

export interface ResponsibilityTable {
  matter_type_code: string;
  level: JurisdictionLevel;
  department_kind: string | null;
  updated_at: Timestamp;
  updated_by: number | null;
}

export interface ResponsibilityHistoryTable {
  id: Generated<number>;
  matter_type_code: string;
  level: JurisdictionLevel;
  old_department_kind: string | null;
  new_department_kind: string | null;
  reason: string;
  changed_by: number | null;
  changed_at: Timestamp;
}

export interface AppUserTable {
  id: Generated<number>;
  username: string;
  display_name: string;
  password_hash: string;
  roles: string[];
  jurisdiction_code: string;
  department_id: number | null;
  active: Generated<boolean>;
  must_change_password: Generated<boolean>;
  is_demo: Generated<boolean>;
  created_at: Timestamp;
  updated_at: Timestamp;
  failed_logins: Generated<number>;
  locked_until: Date | null;
  password_changed_at: Generated<Date>;
  /** base32 TOTP secret of an enrolled account */
  totp_secret: string | null;
  /** a secret being enrolled, until the first code confirms it */
  totp_pending_secret: string | null;
  totp_enabled: Generated<boolean>;
  /** the last accepted time step: a code is never accepted twice */
  totp_last_step: number | null;
  /** sha256 hashes of unused recovery codes */
  recovery_codes: ColumnType<string[], string | undefined, string>;
  /** the highest security label this account may read (privacy/labels.ts); only the security admin changes it */
  clearance: Generated<SecurityLabel>;
}

export interface UserSessionTable {
  id: string;
  user_id: number;
  csrf_token: string;
  created_at: Timestamp;
  last_seen_at: Timestamp;
  expires_at: Timestamp;
  ip: string | null;
  user_agent: string | null;
}

export interface GridTable {
  id: Generated<number>;
  code: string;
  name: string;
  kind: GridKind;
  category: string | null;
  community_code: string;
  geometry: Json<GeoJsonPolygon>;
  min_lng: number;
  min_lat: number;
  max_lng: number;
  max_lat: number;
  status: Generated<'active' | 'retired'>;
  version: Generated<number>;
  created_at: Timestamp;
  updated_at: Timestamp;
}

export interface GridVersionTable {
  id: Generated<number>;
  grid_id: number;
  version: number;
  name: string;
  kind: GridKind;
  category: string | null;
  community_code: string;
  geometry: Json<GeoJsonPolygon>;
  status: 'active' | 'retired';
  reason: string;
  filing_number: string | null;
  filed_by: number | null;
  filed_at: Timestamp;
}

export interface AuditEventTable {
  id: Generated<number>;
  at: Timestamp;
  actor_id: number | null;
  action: string;
  entity: string;
  entity_id: string | null;
  detail: Json<Record<string, unknown>>;
  ip: string | null;
  /** why personal data was revealed or exported; null when the action needs no stated purpose */
  purpose: string | null;
  result: ColumnType<'ok' | 'denied' | 'failed', 'ok' | 'denied' | 'failed' | undefined, 'ok' | 'denied' | 'failed'>;
  /** chain position, previous hash and own hash: NULL until the sealer reaches the row (modules/audit) */
  seq: number | null;
  prev_hash: string | null;
  hash: string | null;
}

/** One seal of the audit log: the head a sealing run reached, chained to the seal before it (modules/audit). */
export interface AuditSealTable {
  no: number;
  at: Date;
  last_id: number;
  last_seq: number;
  /** entries sealed so far, all runs together */
  entry_count: number;
  head_hash: string;
  prev_seal_hash: string;
  seal_hash: string;
}

export interface GeoJsonPolygon {
  type: 'Polygon';
  coordinates: number[][][];
}

/** A named revision of reference data, bumped by triggers (db/reference.ts). */
export interface ReferenceRevisionTable {
  name: string;
  revision: number;
}

/** Every table; a module declares its own tables in its `tables.ts`. */
export interface Database extends CalendarTables, CaseTables, NotificationTables, Open311Tables, GridworkTables, PeopleTables, MediationTables {
  setting: SettingTable;
  jurisdiction: JurisdictionTable;
  department: DepartmentTable;
  matter_type: MatterTypeTable;
  responsibility: ResponsibilityTable;
  responsibility_history: ResponsibilityHistoryTable;
  app_user: AppUserTable;
  user_session: UserSessionTable;
  grid: GridTable;
  grid_version: GridVersionTable;
  audit_event: AuditEventTable;
  audit_seal: AuditSealTable;
  reference_revision: ReferenceRevisionTable;
}
