import { lazy, type ReactNode } from 'react';
import { useUser } from '../auth/session';

const ForbiddenPage = lazy(() => import('../pages/ForbiddenPage'));

export function RequireAbility({ ability, children }: { ability: string | null; children: ReactNode }) {
  const user = useUser();
  if (ability && !user.abilities.includes(ability)) return <ForbiddenPage />;
  return <>{children}</>;
}
