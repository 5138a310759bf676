// The walls between modules (docs/ARCHITECTURE.md): who owns which table, and the few permitted exceptions.
// Read by .dependency-cruiser.cjs (imports) and scripts/check-tables.mjs (tables, SQL in route files, index files).

/** Every table and the one module that owns it; only the owner names it in a query. */
const TABLE_OWNERS = {
  settings: ['setting'],
  jurisdictions: ['jurisdiction'],
  departments: ['department'],
  matters: ['matter_type', 'responsibility', 'responsibility_history'],
  auth: ['app_user', 'user_session'],
  grids: ['grid', 'grid_version'],
  audit: ['audit_event'],
  calendar: ['calendar_day'],
  notifications: ['notification', 'outbox_message'],
  cases: ['case_file', 'case_event', 'case_assignment', 'case_attachment', 'case_supporter', 'idempotency_key', 'supervision_item', 'deadline_warning_basis'],
  open311: ['open311_client', 'open311_request'],
  mediation: ['mediation_org', 'mediator', 'dispute', 'dispute_party', 'dispute_diversion', 'mediation_session', 'dispute_follow_up', 'dispute_joint_meeting', 'dispute_event', 'admin_mediation_list', 'admin_mediation_list_item'],
  gridwork: ['grid_worker', 'grid_worker_assignment', 'grid_worker_training', 'patrol', 'visit', 'daily_log_entry', 'grid_report'],
  people: ['person_served', 'person_responsible', 'care_visit_warning', 'psych_referral', 'crisis_intervention'],
  metrics: ['case_metrics_ledger', 'case_metrics_place', 'case_metrics_dim', 'case_metrics_state'],
  // outside the modules: db/reference.ts reads the revisions its triggers keep
  '(db)': ['reference_revision'],
};

/** Permanent exceptions, each with its reason. `from`/`to` are regular expressions over paths from the repository root. */
const EXCEPTIONS = {
  imports: [
    { from: '^server/src/db/schema\\.ts$', to: '^server/src/modules/[^/]+/tables\\.ts$', reason: "the Database type is the union of the modules' table types" },
    { from: '^server/src/modules/access/registry\\.ts$', to: '^server/src/modules/[^/]+/access\\.ts$', reason: "the access layer compiles each module's rule file (a rule file imports types only)" },
  ],
  tables: [
    { file: '^server/src/modules/[^/]+/access\\.ts$', reason: 'access rules are the one place that compiles visibility: their EXISTS sub-queries name the tables of the records they depend on' },
    { file: '^server/src/modules/access/', reason: 'the access layer compiles the rules over every table' },
  ],
};

/**
 * TEMPORARY — to be emptied by the lead after merging the branches that rewrite these files (kernel: cases and
 * mediation actions and lifecycles; time: calendar/ and the deadline scan; sec: auth/ and access). Each entry is
 * one wall a file still breaks, why it was left, and the check it silences: `imports` (from → to), `tables`
 * (file, table), `index` (an index.ts that holds code).
 */
const PENDING_MERGE = [];

module.exports = { TABLE_OWNERS, EXCEPTIONS, PENDING_MERGE };
