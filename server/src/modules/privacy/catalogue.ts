import type { SearchKind } from './crypto.js';

/**
 * The one catalogue of database columns holding personal information (个人信息), each tagged `personal` or
 * `sensitive` (PIPL art. 28 敏感个人信息; GB/T 35273 counts authentication data among them), with how it is
 * protected. test/personal-data.test.ts fails when a migrated column looks personal and is in neither this
 * catalogue nor NOT_PERSONAL, so a new column is decided on when it is added.
 */
export type PersonalClass = 'personal' | 'sensitive';

export type Protection =
  /** field-encrypted (privacy/crypto.ts): the database holds only sealed values */
  | 'encrypted'
  /** a keyed hash (HMAC) of an encrypted value, for exact-match search */
  | 'keyed_hash'
  /** a one-way password or secret hash, or a secret the auth module keeps */
  | 'credential'
  /** kept in clear on purpose: the note says why and who may see it */
  | 'clear';

export interface CatalogueEntry {
  table: string;
  column: string;
  class: PersonalClass;
  protection: Protection;
  note: string;
  /** for encrypted columns: the keyed-hash column kept with it, and how its value is normalised */
  hash?: { column: string; kind: SearchKind };
  /** for encrypted columns in tables shared with non-personal rows: which rows hold sealed values */
  sealedWhere?: { column: string; equals: string };
}

export const PERSONAL_DATA: readonly CatalogueEntry[] = [
  // the citizen who reports a case, and those who add themselves to it
  { table: 'case_file', column: 'reporter_name', class: 'personal', protection: 'encrypted', note: 'reporter; masked in the API (张*), plain only through POST /api/cases/{id}/reveal with a purpose' },
  { table: 'case_file', column: 'reporter_phone', class: 'personal', protection: 'encrypted', note: 'reporter; masked (138****5678); revealed with a purpose; closing SMS', hash: { column: 'reporter_phone_hash', kind: 'phone' } },
  { table: 'case_file', column: 'reporter_phone_hash', class: 'personal', protection: 'keyed_hash', note: 'HMAC of the normalised phone: GET /api/cases?reporterPhone= for staff who may reveal' },
  { table: 'case_supporter', column: 'name', class: 'personal', protection: 'encrypted', note: '"me too" supporter; revealed with a purpose' },
  { table: 'case_supporter', column: 'phone', class: 'personal', protection: 'encrypted', note: '"me too" supporter; revealed with a purpose' },
  {
    table: 'case_file',
    column: 'address',
    class: 'personal',
    protection: 'clear',
    note: 'where the problem is (事发地址), not where the reporter lives: handlers must find it, and Open311 publishes it; it can still point at a home, so it stays within case scope',
  },
  { table: 'outbox_message', column: 'recipient', class: 'personal', protection: 'encrypted', note: 'SMS recipients are sealed phones (the delivery adapter unseals them); webhook recipients are system names', sealedWhere: { column: 'channel', equals: 'sms' } },
  { table: 'open311_request', column: 'account_id', class: 'personal', protection: 'clear', note: "the requester's account in the submitting system: a pseudonymous id that system needs back" },
  // people served (重点人群, modules/people): PIPL art. 28 sensitive personal information, sealed, masked, revealed with a purpose
  { table: 'person_served', column: 'name', class: 'sensitive', protection: 'encrypted', note: 'person served; masked (张*), plain only through POST /api/people/{id}/reveal with a purpose' },
  { table: 'person_served', column: 'id_number', class: 'sensitive', protection: 'encrypted', note: 'person served; masked (990102********1234); revealed with a purpose', hash: { column: 'id_number_hash', kind: 'idNumber' } },
  { table: 'person_served', column: 'id_number_hash', class: 'sensitive', protection: 'keyed_hash', note: 'HMAC of the normalised ID number: refuses a second active record of one person' },
  { table: 'person_served', column: 'phone', class: 'sensitive', protection: 'encrypted', note: 'person served; masked; revealed with a purpose' },
  { table: 'person_served', column: 'address', class: 'sensitive', protection: 'encrypted', note: 'home address of a person served; masked below street level; revealed with a purpose' },
  { table: 'person_responsible', column: 'name', class: 'personal', protection: 'encrypted', note: 'a responsible person outside the staff (social worker, family member); revealed with the person' },
  { table: 'person_responsible', column: 'phone', class: 'personal', protection: 'encrypted', note: 'a responsible person outside the staff; revealed with the person' },
  { table: 'person_served', column: 'government_measures', class: 'sensitive', protection: 'encrypted', note: 'care plan of a person served: shown in scope with the masked person' },
  { table: 'person_served', column: 'social_measures', class: 'sensitive', protection: 'encrypted', note: 'care plan of a person served: shown in scope with the masked person' },
  { table: 'person_served', column: 'family_measures', class: 'sensitive', protection: 'encrypted', note: 'care plan of a person served: shown in scope with the masked person' },
  { table: 'psych_referral', column: 'reason', class: 'sensitive', protection: 'encrypted', note: 'why someone was referred for psychological service (health information)' },
  { table: 'crisis_intervention', column: 'measures', class: 'sensitive', protection: 'encrypted', note: 'crisis intervention (health information)' },
  { table: 'crisis_intervention', column: 'outcome', class: 'sensitive', protection: 'encrypted', note: 'crisis intervention (health information)' },
  { table: 'visit', column: 'whom', class: 'personal', protection: 'encrypted', note: 'whom a grid worker met on a visit (free text); shown to the worker and the centre in scope' },
  // parties to a dispute (mediation): persons or organisations
  { table: 'dispute_party', column: 'name', class: 'personal', protection: 'encrypted', note: 'party to a dispute; masked in the API (张*), full only in the mediation agreement (audited reveal, purpose 制作调解协议书)' },
  { table: 'dispute_party', column: 'phone', class: 'personal', protection: 'encrypted', note: 'party to a dispute; masked; full only in the mediation agreement' },
  { table: 'dispute_party', column: 'id_number', class: 'sensitive', protection: 'encrypted', note: 'party ID number (PIPL art. 28); masked (110105********1234); full only in the mediation agreement', hash: { column: 'id_number_hash', kind: 'idNumber' } },
  { table: 'dispute_party', column: 'id_number_hash', class: 'sensitive', protection: 'keyed_hash', note: 'HMAC of the normalised ID number, for exact-match search' },
  { table: 'mediator', column: 'display_name', class: 'personal', protection: 'clear', note: "a mediator's name: published on the mediator roster (人民调解员名册) and printed on agreements" },
  { table: 'dispute_event', column: 'actor_name', class: 'personal', protection: 'clear', note: 'the staff member or system that acted: the dispute timeline names who did what' },
  // staff
  { table: 'app_user', column: 'username', class: 'personal', protection: 'clear', note: 'staff sign-in name; visible to system and security admins' },
  { table: 'app_user', column: 'display_name', class: 'personal', protection: 'clear', note: 'staff name: shown on timelines and assignments (accountability)' },
  { table: 'app_user', column: 'password_hash', class: 'sensitive', protection: 'credential', note: 'authentication data; argon2id, never returned' },
  { table: 'app_user', column: 'totp_secret', class: 'sensitive', protection: 'credential', note: 'second-factor secret; kept by the auth module, never returned' },
  { table: 'app_user', column: 'totp_pending_secret', class: 'sensitive', protection: 'credential', note: 'second-factor secret during enrolment; kept by the auth module' },
  { table: 'app_user', column: 'recovery_codes', class: 'sensitive', protection: 'credential', note: 'second-factor recovery codes, hashed by the auth module' },
  { table: 'case_event', column: 'actor_name', class: 'personal', protection: 'clear', note: 'the staff member or system that acted: the timeline names who did what' },
  { table: 'user_session', column: 'ip', class: 'personal', protection: 'clear', note: 'network address of a session: security monitoring' },
  { table: 'user_session', column: 'user_agent', class: 'personal', protection: 'clear', note: 'browser of a session: security monitoring' },
  { table: 'audit_event', column: 'ip', class: 'personal', protection: 'clear', note: 'network address in the audit log: read by the auditor only' },
];

/** Columns whose names look personal but hold none, each with why. */
export const NOT_PERSONAL: Readonly<Record<string, string>> = {
  'matter_type.name': 'name of a matter type in the catalogue',
  'jurisdiction.name': 'name of a place (district, street, community)',
  'department.name': 'name of a government department',
  'reference_revision.name': 'name of a cached kind of reference data (db/reference.ts)',
  'department.phone': "a department's office line, published for citizens",
  'grid.name': 'name of a grid',
  'grid_version.name': 'name of a grid in its filed history',
  'open311_client.name': 'name of a client system',
  'case_attachment.file_name': 'name of an uploaded file (the content is served only in case scope)',
  'calendar_day.name': 'name of a holiday',
  'zhili_migration.name': 'name of a database migration',
  'mediation_org.name': 'name of a mediation organisation (committee, studio, court workshop)',
};

/** Words that make a column look personal (substring of the column name). */
export const LOOKS_PERSONAL = /name|phone|mobile|tel(ephone)?$|id_?number|id_?card|address|birth|email|contact|reporter|party|parties|citizen|resident|gender|passport|license_plate|account|recipient|user_agent|(^|_)ip($|_)|secret$|^password(_hash)?$|recovery_codes/;

export const ENCRYPTED_COLUMNS = PERSONAL_DATA.filter((e) => e.protection === 'encrypted');
