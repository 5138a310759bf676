import type { ReactNode } from 'react';
import { Navigate, useLocation } from 'react-router-dom';
import { PageLoading } from '../components/PageLoading';
import { useSession } from './session';

export function RequireAuth({ children }: { children: ReactNode }) {
  const { state } = useSession();
  const location = useLocation();
  if (state.status === 'loading') return <PageLoading />;
  if (state.status === 'anonymous') {
    const next = location.pathname + location.search;
    const params = new URLSearchParams();
    if (next !== '/') params.set('next', next);
    if (state.expired) params.set('expired', '1');
    const qs = params.toString();
    return <Navigate to={'/login' + (qs ? '?' + qs : '')} replace />;
  }
  // a session that must change its password or enrol a second factor may do only that
  const restricted = state.user.mustChangePassword || state.user.needsTotpEnrolment;
  if (restricted && location.pathname !== '/account') return <Navigate to="/account" replace />;
  return <>{children}</>;
}
