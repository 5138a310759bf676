import { lazy, type ComponentType, type LazyExoticComponent } from 'react';
import { matchPath } from 'react-router-dom';
import type { Me } from './api/client';
import type { MessageKey } from './i18n';

export interface ModuleDef {
  key: string;
  path: string;
  label: MessageKey;
  /** the policy action the server must grant for the module to appear; null = every signed-in user */
  ability: string | null;
  Page: LazyExoticComponent<ComponentType>;
  /** fetches the page's code without rendering it */
  load: () => Promise<unknown>;
  /** starts the page's first requests when it is the page being opened (`search`: the address's query) */
  prefetch?: (user: Me, search: string) => Promise<unknown>;
  /** a route without a menu entry (e.g. a record's own page) */
  hideInMenu?: boolean;
  /** users with one of these roles see the module first in the menu */
  firstFor?: readonly string[];
}

function page(load: () => Promise<{ default: ComponentType }>) {
  return { Page: lazy(load), load };
}

/** The console's modules, in menu order. The menu and the routes are both built from this list. */
export const MODULES: ModuleDef[] = [
  { key: 'dashboard', path: '/', label: 'menu.dashboard', ability: null, ...page(() => import('./pages/DashboardPage')) },
  { key: 'tasks', path: '/tasks', label: 'menu.tasks', ability: 'case:read', ...page(() => import('./pages/cases/MyTasksPage')), firstFor: ['handler'] },
  { key: 'intake', path: '/intake', label: 'menu.intake', ability: 'case:create', ...page(() => import('./pages/cases/IntakePage')) },
  { key: 'cases', path: '/cases', label: 'menu.cases', ability: 'case:read', ...page(() => import('./pages/cases/CaseBoardPage')), prefetch: (user, search) => import('./pages/cases/boardData').then((m) => m.prefetchBoard(user, search)) },
  { key: 'case', path: '/cases/:id', label: 'menu.case', ability: 'case:read', ...page(() => import('./pages/cases/CaseDetailPage')), hideInMenu: true },
  { key: 'supervision', path: '/supervision', label: 'menu.supervision', ability: 'supervision:read', ...page(() => import('./pages/cases/SupervisionPage')) },
  { key: 'metrics', path: '/metrics', label: 'menu.metrics', ability: 'case:metrics', ...page(() => import('./pages/metrics/MetricsPage')) },
  { key: 'disputes', path: '/disputes', label: 'menu.disputes', ability: 'dispute:read', ...page(() => import('./pages/mediation/DisputeListPage')) },
  { key: 'dispute-intake', path: '/disputes/new', label: 'menu.disputes', ability: 'dispute:manage', ...page(() => import('./pages/mediation/DisputeIntakePage')), hideInMenu: true },
  { key: 'dispute', path: '/disputes/:id', label: 'menu.disputes', ability: 'dispute:read', ...page(() => import('./pages/mediation/DisputeDetailPage')), hideInMenu: true },
  { key: 'mediation-workbench', path: '/mediation/workbench', label: 'menu.mediationWorkbench', ability: 'dispute:manage', ...page(() => import('./pages/mediation/WorkbenchPage')), firstFor: ['mediator'] },
  { key: 'mediation-stats', path: '/mediation/stats', label: 'menu.mediationStats', ability: 'dispute:stats', ...page(() => import('./pages/mediation/StatsPage')) },
  { key: 'gridwork', path: '/grid-work', label: 'menu.gridwork', ability: 'gridwork:write', ...page(() => import('./pages/gridwork/PhonePage')), firstFor: ['grid_worker'] },
  { key: 'grids', path: '/grids', label: 'menu.grids', ability: 'grid:read', ...page(() => import('./pages/grids/GridsPage')) },
  { key: 'departments', path: '/departments', label: 'menu.departments', ability: 'department:read', ...page(() => import('./pages/departments/DepartmentsPage')) },
  { key: 'matters', path: '/matters', label: 'menu.matters', ability: 'matter:read', ...page(() => import('./pages/matters/MatterTypesPage')) },
  { key: 'users', path: '/users', label: 'menu.users', ability: 'user:write', ...page(() => import('./pages/accounts/UsersPage')), firstFor: ['system_admin'] },
  { key: 'roles', path: '/roles', label: 'menu.roles', ability: 'user:read', ...page(() => import('./pages/accounts/RolesPage')), firstFor: ['security_admin'] },
  { key: 'audit', path: '/audit', label: 'menu.audit', ability: 'audit:read', ...page(() => import('./pages/AuditPage')), firstFor: ['auditor'] },
  { key: 'account', path: '/account', label: 'account.title', ability: null, ...page(() => import('./pages/AccountPage')), hideInMenu: true },
  { key: 'responsibility', path: '/responsibility', label: 'menu.responsibility', ability: 'matter:read', ...page(() => import('./pages/responsibility/ResponsibilityPage')) },
];

/** The modules a user may open, in menu order: those marked first for one of the user's roles lead. */
export function modulesFor(abilities: readonly string[], roles: readonly string[] = []): ModuleDef[] {
  const allowed = MODULES.filter((m) => m.ability === null || abilities.includes(m.ability));
  const first = (m: ModuleDef) => (m.firstFor?.some((r) => roles.includes(r)) ? 0 : 1);
  return allowed.map((m, i) => ({ m, i })).sort((a, b) => first(a.m) - first(b.m) || a.i - b.i).map(({ m }) => m);
}

/** The modules shown in the menu and on the dashboard. */
export function menuModulesFor(abilities: readonly string[], roles: readonly string[] = []): ModuleDef[] {
  return modulesFor(abilities, roles).filter((m) => !m.hideInMenu);
}

/**
 * Starts fetching the code of the pages that answer `pathname` at once, and their first requests as soon as the
 * session is known: the page being opened need not wait for the layout to be drawn before it asks for its data.
 */
export function preloadPages(pathname: string, search: string, user: Promise<Me | null>): void {
  const pages = MODULES.filter((m) => matchPath(m.path, pathname));
  for (const m of pages) void m.load().catch(() => undefined);
  void user.then((u) => {
    for (const m of pages) if (u && m.prefetch && (m.ability === null || u.abilities.includes(m.ability))) void m.prefetch(u, search).catch(() => undefined);
  });
}
