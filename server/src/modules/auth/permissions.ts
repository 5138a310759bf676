/** Roles of the platform (R9.2). Three separated duties: system admin, security admin and auditor. */
export const ROLES = [
  'intake_clerk',
  'dispatcher',
  'supervisor',
  'leader',
  'handler',
  'grid_worker',
  'mediator',
  'hotline_operator',
  'system_admin',
  'security_admin',
  'auditor',
] as const;
export type Role = (typeof ROLES)[number];

export const ROLE_LABELS: Record<Role, { zh: string; en: string }> = {
  intake_clerk: { zh: '受理员', en: 'Intake clerk' },
  dispatcher: { zh: '调度员', en: 'Dispatcher' },
  supervisor: { zh: '督办员', en: 'Supervisor' },
  leader: { zh: '领导', en: 'Leader' },
  handler: { zh: '部门承办人', en: 'Department handler' },
  grid_worker: { zh: '网格员', en: 'Grid worker' },
  mediator: { zh: '调解员', en: 'Mediator' },
  hotline_operator: { zh: '12345 坐席', en: 'Hotline operator' },
  system_admin: { zh: '系统管理员', en: 'System administrator' },
  security_admin: { zh: '安全管理员', en: 'Security administrator' },
  auditor: { zh: '安全审计员', en: 'Auditor' },
};

const BUSINESS: Role[] = ['intake_clerk', 'dispatcher', 'supervisor', 'leader', 'handler', 'grid_worker', 'mediator', 'hotline_operator'];

/**
 * Policies as data: action → roles allowed. Deny by default; scope is applied in the queries.
 * The system admin manages configuration (jurisdictions, grids, catalogues, accounts) but reads no business record.
 */
export const POLICIES = {
  'jurisdiction:read': [...BUSINESS, 'system_admin'],
  'jurisdiction:manage': ['system_admin'],
  'grid:read': [...BUSINESS, 'system_admin'],
  'grid:write': ['system_admin', 'supervisor'],
  'department:read': [...BUSINESS, 'system_admin'],
  'department:write': ['system_admin'],
  'matter:read': [...BUSINESS, 'system_admin'],
  'matter:write': ['system_admin'],
  'user:read': ['system_admin', 'security_admin'],
  'user:write': ['system_admin'],
  'user:roles': ['security_admin'],
  // clearances are permissions: the security admin sets them, as it grants roles
  'user:clearance': ['security_admin'],
  'audit:read': ['auditor'],
  'calendar:write': ['system_admin'],
  'case:read': BUSINESS,
  'case:create': ['intake_clerk', 'hotline_operator', 'dispatcher', 'supervisor', 'grid_worker'],
  'case:act': BUSINESS,
  // raising a label: centre staff (privacy/labels.ts decides); lowering: the security admin, who manages labels without reading cases
  'case:label': ['dispatcher', 'supervisor', 'security_admin'],
  // masked, watermarked CSV of the cases in scope
  'case:export': ['dispatcher', 'supervisor', 'leader'],
  'case:support': ['grid_worker', 'hotline_operator', 'intake_clerk', 'dispatcher'],
  'case:metrics': ['dispatcher', 'supervisor', 'leader'],
  'supervision:read': ['dispatcher', 'supervisor', 'leader'],
  'open311:manage': ['system_admin'],
  // grid work (R4.1): the worker on the phone; the centres that manage and assess grid workers
  'gridwork:read': ['grid_worker', 'dispatcher', 'supervisor', 'leader'],
  'gridwork:write': ['grid_worker'],
  'gridwork:manage': ['dispatcher', 'supervisor'],
  'gridwork:performance': ['dispatcher', 'supervisor', 'leader'],
  // people served (R4.2, R4.3): sensitive personal information, and only at community and street level
  'people:read': ['grid_worker', 'dispatcher', 'supervisor'],
  'people:manage': ['grid_worker', 'dispatcher', 'supervisor'],
  'people:reveal': ['grid_worker', 'supervisor'],
  'dispute:read': BUSINESS,
  'dispute:manage': ['dispatcher', 'supervisor', 'mediator'],
  'mediator:manage': ['system_admin', 'supervisor'],
  'dispute:stats': ['dispatcher', 'supervisor', 'leader'],
  // plain personal data of a case, with a stated purpose: the roles that call citizens back
  'personal:reveal': ['dispatcher', 'supervisor', 'hotline_operator', 'intake_clerk'],
} as const satisfies Record<string, readonly Role[]>;

export type Action = keyof typeof POLICIES;

export function may(roles: readonly string[], action: Action): boolean {
  const allowed: readonly string[] = POLICIES[action];
  return roles.some((r) => allowed.includes(r));
}

export function abilities(roles: readonly string[]): Action[] {
  return (Object.keys(POLICIES) as Action[]).filter((a) => may(roles, a));
}
