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
  audit: ['audit_event', 'audit_seal'],
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

/**
 * Permanent exceptions, each with its reason. `from`/`to` are regular expressions over paths from the repository
 * root; entries with different `from`s (here and in PENDING_MERGE) must not match the same file.
 */
const EXCEPTIONS = {
  imports: [
    {
      from: '^server/src/http/app\\.ts$',
      to: '^server/src/modules/[^/]+/(routes|[^/]+-routes)\\.ts$',
      reason: "route files are the top layer: they may use any module's index.ts, so no index re-exports them (that would close cycles through routes); the app registers them",
    },
    { from: '^server/src/db/schema\\.ts$', to: '^server/src/modules/[^/]+/tables\\.ts$', reason: "the Database type is the union of the modules' table types" },
    { from: '^server/src/modules/access/registry\\.ts$', to: '^server/src/modules/[^/]+/access\\.ts$', reason: "the access layer compiles each module's rule file" },
    {
      from: '^server/src/modules/[^/]+/access\\.ts$',
      to: '^server/src/modules/[^/]+/access\\.ts$',
      reason: "a rule names its parent's rule (a dispute's case): through the parent's index.ts it would close a cycle through access/registry.ts, which builds its map of rules as it loads",
    },
  ],
  tables: [
    { file: '^server/src/modules/[^/]+/access\\.ts$', reason: 'access rules are the one place that compiles visibility: their EXISTS sub-queries name the tables of the records they depend on' },
    { file: '^server/src/modules/access/', reason: 'the access layer compiles the rules over every table' },
    {
      file: '^server/src/modules/metrics/(repository|rollup)\\.ts$',
      tables: ['case_file', 'case_event'],
      reason: 'metrics is the read model of cases (docs/METRICS.md): its live counts and rollups read cases and their timeline in set-wise SQL measured in docs/PERFORMANCE.md; it writes only its own tables',
    },
  ],
};

/**
 * TEMPORARY — to be emptied by the lead after merging the branches that rewrite these files (kernel: cases and
 * mediation actions and lifecycles; time: calendar/ and the deadline scan; sec: auth/ and access). Each entry is
 * one wall a file still breaks, why it was left, and the check it silences: `imports` (from → to), `tables`
 * (file, table), `index` (an index.ts that holds code).
 */
const PENDING_MERGE = [
  // calendar/ has no index.ts yet: the time branch adds one (local time, working time, the deadline rule)
  { check: 'imports', from: '^server/src/(cli|server)\\.ts$', to: '^server/src/modules/calendar/', reason: 'calendar/index.ts comes with the time branch' },
  { check: 'imports', from: '^server/src/modules/(cases/intake|metrics/periods|metrics/rollup)\\.ts$', to: '^server/src/modules/calendar/', reason: 'calendar/index.ts comes with the time branch' },
  // files being rewritten: their imports move to the index files once merged
  { check: 'imports', from: '^server/src/modules/calendar/', to: '^server/src/modules/(audit|auth|settings)/', reason: 'calendar/ is rewritten on the time branch' },
  { check: 'imports', from: '^server/src/modules/cases/(actions|lifecycle)\\.ts$', to: '^server/src/modules/(audit|auth|calendar|jurisdictions|notifications)/', reason: 'cases/actions.ts and lifecycle.ts move onto the workflow kernel (kernel branch)' },
  { check: 'imports', from: '^server/src/modules/cases/deadline-scan\\.ts$', to: '^server/src/modules/(calendar|notifications)/', reason: 'the deadline scan moves onto calendar/ (time branch)' },
  { check: 'imports', from: '^server/src/modules/mediation/(actions|lifecycle)\\.ts$', to: '^server/src/modules/(audit|auth|cases|notifications)/', reason: 'mediation/actions.ts and lifecycle.ts move onto the workflow kernel (kernel branch)' },
  { check: 'imports', from: '^server/src/modules/auth/', to: '^server/src/modules/(audit|jurisdictions|privacy)/', reason: 'auth/ is rewritten on the sec branch' },
  { check: 'imports', from: '^server/src/modules/(audit|notifications)/routes\\.ts$', to: '^server/src/modules/auth/', reason: 'audit/ and notifications/ are being edited elsewhere; import from auth/index.ts once merged' },
  { check: 'imports', from: '^server/src/modules/access/(?!registry\\.ts$)', to: '^server/src/modules/(auth|privacy)/', reason: 'access/ is being edited elsewhere; import from auth/index.ts and privacy/index.ts once merged' },
  { check: 'imports', from: '^server/src/modules/[^/]+/access\\.ts$', to: '^server/src/modules/(access/rule|auth/|privacy/)', reason: 'rule files are being edited elsewhere; import their types from access/index.ts, auth/index.ts and privacy/index.ts once merged' },
  { check: 'tables', file: '^server/src/modules/audit/repository\\.ts$', table: 'app_user', reason: "the audit list joins actors' names; audit/ is being edited elsewhere: use an auth name builder once merged" },
  { check: 'tables', file: '^server/src/modules/auth/(repository|users|user-routes)\\.ts$', table: 'jurisdiction', reason: 'auth/ is rewritten on the sec branch: read places through jurisdictions/index.ts once merged' },
  { check: 'routes', file: '^server/src/modules/auth/(routes|user-routes)\\.ts$', reason: 'auth/ is rewritten on the sec branch: move its queries into auth/repository.ts once merged' },
  { check: 'tables', file: '^server/src/modules/cases/actions\\.ts$', table: 'department', reason: 'cases/actions.ts moves onto the workflow kernel (kernel branch): check departments through departments/index.ts' },
  { check: 'tables', file: '^server/src/modules/cases/actions\\.ts$', table: 'matter_type', reason: 'cases/actions.ts moves onto the workflow kernel (kernel branch): read matter types through matters/index.ts' },
  { check: 'tables', file: '^server/src/modules/mediation/actions\\.ts$', table: 'department', reason: 'mediation/actions.ts moves onto the workflow kernel (kernel branch): check departments through departments/index.ts' },
  { check: 'index', file: '^server/src/modules/access/index\\.ts$', reason: 'access/index.ts holds the layer itself: move its code into a file beside it once access/ is merged' },
  { check: 'tables', file: '^server/src/modules/auth/users\\.ts$', table: 'department', reason: "an account's department is checked on create: to use departments/index.ts" },
];

module.exports = { TABLE_OWNERS, EXCEPTIONS, PENDING_MERGE };
