/**
 * Security labels (安全标记) of records and clearances of users, pure (docs/SECURITY.md, "Security labels").
 * One ordered scale for both: a user sees a record only when the user's clearance dominates the record's label.
 * The database keeps each label's rank beside it (`case_file.security_rank`), so a query compares integers.
 */
export const SECURITY_LABELS = ['public', 'internal', 'confidential', 'secret'] as const;
export type SecurityLabel = (typeof SECURITY_LABELS)[number];

export const LABEL_NAMES: Record<SecurityLabel, { zh: string; en: string }> = {
  public: { zh: '公开', en: 'Public' },
  internal: { zh: '内部', en: 'Internal' },
  confidential: { zh: '敏感', en: 'Confidential' },
  secret: { zh: '机密', en: 'Secret' },
};

/** What a new record and a new account get unless something says otherwise. */
export const DEFAULT_LABEL: SecurityLabel = 'internal';

/** Channels whose cases name people in trouble or under investigation: 信访 and 110 referrals start 敏感. */
const CONFIDENTIAL_CHANNELS: ReadonlySet<string> = new Set(['petition', 'police']);

export function isSecurityLabel(value: unknown): value is SecurityLabel {
  return typeof value === 'string' && (SECURITY_LABELS as readonly string[]).includes(value);
}

/** 0 (public) … 3 (secret): the value stored beside the label. */
export function rankOf(label: SecurityLabel): number {
  const rank = SECURITY_LABELS.indexOf(label);
  if (rank < 0) throw new Error(`unknown security label ${String(label)}`);
  return rank;
}

/** Negative when a is below b, 0 when equal, positive when above. */
export function compareLabels(a: SecurityLabel, b: SecurityLabel): number {
  return rankOf(a) - rankOf(b);
}

/** Whether a clearance (or label) is at or above another label: the subject may read the object. */
export function dominates(clearance: SecurityLabel, label: SecurityLabel): boolean {
  return compareLabels(clearance, label) >= 0;
}

/** The labels a clearance dominates, lowest first. */
export function labelsWithin(clearance: SecurityLabel): SecurityLabel[] {
  return SECURITY_LABELS.filter((l) => dominates(clearance, l));
}

/** The clearances that dominate a label, lowest first: who may be told about a record with it. */
export function clearancesFor(label: SecurityLabel): SecurityLabel[] {
  return SECURITY_LABELS.filter((c) => dominates(c, label));
}

/** The label a case gets at intake. */
export function intakeLabel(channel: string): SecurityLabel {
  return CONFIDENTIAL_CHANNELS.has(channel) ? 'confidential' : DEFAULT_LABEL;
}

export interface LabelChanger {
  roles: readonly string[];
  clearance: SecurityLabel;
  /** the case's handling jurisdiction is the user's or below it */
  atCentre: boolean;
}

export type LabelRefusal = 'unchanged' | 'lower_needs_security_admin' | 'not_at_centre' | 'above_clearance';

export type LabelDecision = { ok: true; direction: 'raise' | 'lower' } | { ok: false; refusal: LabelRefusal };

/**
 * Who may change a case's label. The security admin, who manages labels (安全管理员), may set any label: it reads
 * no case content to do so. A dispatcher or supervisor at the case's centre may raise it, up to their own
 * clearance (a higher label would hide the case from the centre that handles it); lowering needs the security admin.
 */
export function decideLabelChange(current: SecurityLabel, next: SecurityLabel, actor: LabelChanger): LabelDecision {
  const diff = compareLabels(next, current);
  if (diff === 0) return { ok: false, refusal: 'unchanged' };
  const direction = diff > 0 ? 'raise' : 'lower';
  if (actor.roles.includes('security_admin')) return { ok: true, direction };
  if (direction === 'lower') return { ok: false, refusal: 'lower_needs_security_admin' };
  if (!actor.atCentre || !actor.roles.some((r) => r === 'dispatcher' || r === 'supervisor')) return { ok: false, refusal: 'not_at_centre' };
  if (!dominates(actor.clearance, next)) return { ok: false, refusal: 'above_clearance' };
  return { ok: true, direction };
}
