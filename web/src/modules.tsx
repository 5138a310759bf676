import { lazy, type ComponentType, type LazyExoticComponent } from 'react';
import type { MessageKey } from './i18n';

export interface ModuleDef {
  key: string;
  path: string;
  label: MessageKey;
  /** the policy action the server must grant for the module to appear; null = every signed-in user */
  ability: string | null;
  Page: LazyExoticComponent<ComponentType>;
}

const ComingSoon = lazy(() => import('./pages/ComingSoonPage'));

/** The console's modules, in menu order. The menu and the routes are both built from this list. */
export const MODULES: ModuleDef[] = [
  { key: 'dashboard', path: '/', label: 'menu.dashboard', ability: null, Page: lazy(() => import('./pages/DashboardPage')) },
  { key: 'cases', path: '/cases', label: 'menu.cases', ability: 'case:read', Page: ComingSoon },
  { key: 'disputes', path: '/disputes', label: 'menu.disputes', ability: 'dispute:read', Page: ComingSoon },
  { key: 'gridwork', path: '/grid-work', label: 'menu.gridwork', ability: 'gridwork:read', Page: ComingSoon },
  { key: 'risks', path: '/risks', label: 'menu.risks', ability: 'risk:read', Page: ComingSoon },
  { key: 'grids', path: '/grids', label: 'menu.grids', ability: 'grid:read', Page: lazy(() => import('./pages/grids/GridsPage')) },
  { key: 'departments', path: '/departments', label: 'menu.departments', ability: 'department:read', Page: lazy(() => import('./pages/departments/DepartmentsPage')) },
  { key: 'matters', path: '/matters', label: 'menu.matters', ability: 'matter:read', Page: lazy(() => import('./pages/matters/MatterTypesPage')) },
  { key: 'responsibility', path: '/responsibility', label: 'menu.responsibility', ability: 'matter:read', Page: lazy(() => import('./pages/responsibility/ResponsibilityPage')) },
];

export function modulesFor(abilities: readonly string[]): ModuleDef[] {
  return MODULES.filter((m) => m.ability === null || abilities.includes(m.ability));
}
