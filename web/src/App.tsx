import { lazy, Suspense } from 'react';
import { ConfigProvider } from 'antd';
import zhCN from 'antd/locale/zh_CN';
import enUS from 'antd/locale/en_US';
import { BrowserRouter, Route, Routes } from 'react-router-dom';
import { RequireAuth } from './auth/RequireAuth';
import { openingUser, SessionProvider } from './auth/session';
import { PageLoading } from './components/PageLoading';
import { RequireAbility } from './components/RequireAbility';
import { useI18n } from './i18n';
import { MODULES, preloadPages } from './modules';
import { SettingsProvider } from './settings';

const LoginPage = lazy(() => import('./pages/LoginPage'));
const loadLayout = () => import('./layout/AppLayout');
const AppLayout = lazy(loadLayout);
const NotFoundPage = lazy(() => import('./pages/NotFoundPage'));
const PublicListPage = lazy(() => import('./pages/mediation/PublicListPage'));

// a signed-in page needs the layout, its own code and its data: ask for them while /api/me answers, not after
const PUBLIC_PATHS = ['/login', '/public/'];
if (!PUBLIC_PATHS.some((p) => window.location.pathname.startsWith(p))) {
  void loadLayout().catch(() => undefined);
  preloadPages(window.location.pathname, window.location.search, openingUser);
}

export function App() {
  const { lang } = useI18n();
  return (
    <ConfigProvider locale={lang === 'en' ? enUS : zhCN} theme={{ token: { colorPrimary: '#1677ff', borderRadius: 6 } }}>
        <SettingsProvider>
          <SessionProvider>
            <BrowserRouter future={{ v7_startTransition: true, v7_relativeSplatPath: true }}>
              <Suspense fallback={<PageLoading />}>
                <Routes>
                  <Route path="/login" element={<LoginPage />} />
                  <Route path="/public/administrative-mediation" element={<PublicListPage />} />
                  <Route
                    element={
                      <RequireAuth>
                        <AppLayout />
                      </RequireAuth>
                    }
                  >
                    {MODULES.map(({ key, path, ability, Page }) => (
                      <Route
                        key={key}
                        path={path}
                        element={
                          <RequireAbility ability={ability}>
                            <Page />
                          </RequireAbility>
                        }
                      />
                    ))}
                    <Route path="*" element={<NotFoundPage />} />
                  </Route>
                </Routes>
              </Suspense>
            </BrowserRouter>
          </SessionProvider>
        </SettingsProvider>
    </ConfigProvider>
  );
}
