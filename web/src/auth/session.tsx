import { createContext, useCallback, useContext, useEffect, useMemo, useState, type ReactNode } from 'react';
import { api, ApiError, setCsrfToken, setUnauthorizedHandler, unwrap, type Me } from '../api/client';

type SessionState = { status: 'loading' } | { status: 'anonymous'; expired: boolean } | { status: 'signed-in'; user: Me };

interface SessionValue {
  state: SessionState;
  login: (username: string, password: string, totp?: string) => Promise<Me>;
  /** re-reads /api/me after the account changed (password, second factor) */
  refresh: () => Promise<void>;
  logout: () => Promise<void>;
}

const SessionContext = createContext<SessionValue | null>(null);

// asked as soon as the code runs rather than after the first render; the first provider takes it
let early: Promise<{ csrfToken: string; user: Me }> | null = unwrap(api.GET('/api/me'));

/** The user the page opened with (null if nobody is signed in): lets a page start its requests before it is drawn. */
export const openingUser: Promise<Me | null> = early.then(
  (me) => me.user,
  () => null,
);

export function SessionProvider({ children }: { children: ReactNode }) {
  const [state, setState] = useState<SessionState>({ status: 'loading' });

  useEffect(() => {
    let live = true;
    setUnauthorizedHandler(() => {
      setCsrfToken(null);
      setState({ status: 'anonymous', expired: true });
    });
    const asked = early ?? unwrap(api.GET('/api/me'));
    early = null;
    asked
      .then((me) => {
        if (!live) return;
        setCsrfToken(me.csrfToken);
        setState({ status: 'signed-in', user: me.user });
      })
      .catch((err) => live && setState({ status: 'anonymous', expired: err instanceof ApiError && err.code === 'session_expired' }));
    return () => {
      live = false;
      setUnauthorizedHandler(null);
    };
  }, []);

  const login = useCallback(async (username: string, password: string, totp?: string) => {
    const res = await unwrap(api.POST('/api/auth/login', { body: { username, password, ...(totp ? { totp } : {}) } }));
    setCsrfToken(res.csrfToken);
    setState({ status: 'signed-in', user: res.user });
    return res.user;
  }, []);

  const logout = useCallback(async () => {
    try {
      await api.POST('/api/auth/logout');
    } catch (err) {
      if (!(err instanceof ApiError)) throw err;
    }
    setCsrfToken(null);
    setState({ status: 'anonymous', expired: false });
  }, []);

  const refresh = useCallback(async () => {
    const me = await unwrap(api.GET('/api/me'));
    setCsrfToken(me.csrfToken);
    setState({ status: 'signed-in', user: me.user });
  }, []);

  const value = useMemo(() => ({ state, login, logout, refresh }), [state, login, logout, refresh]);
  return <SessionContext.Provider value={value}>{children}</SessionContext.Provider>;
}

export function useSession(): SessionValue {
  const value = useContext(SessionContext);
  if (!value) throw new Error('useSession outside SessionProvider');
  return value;
}

/** The signed-in user; only inside routes guarded by RequireAuth. */
export function useUser(): Me {
  const { state } = useSession();
  if (state.status !== 'signed-in') throw new Error('useUser without a signed-in user');
  return state.user;
}

/** Whether the server lets this user perform `action` (policy lives on the server; this only reads it). */
export function useAbility(action: string): boolean {
  return useUser().abilities.includes(action);
}
