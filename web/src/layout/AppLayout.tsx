import { Suspense, useMemo, useState } from 'react';
import { App as AntApp, Avatar, Button, Dropdown, Layout, Menu, Tooltip } from 'antd';
import { LogoutOutlined, MenuOutlined, SafetyOutlined, UserOutlined } from '@ant-design/icons';
import { Link, Outlet, useLocation, useNavigate } from 'react-router-dom';
import { useSession, useUser } from '../auth/session';
import { LangSwitch } from '../components/LangSwitch';
import { PageLoading } from '../components/PageLoading';
import { pick, ROLE_LABELS, useI18n } from '../i18n';
import { menuModulesFor } from '../modules';
import { MODULE_ICONS } from './moduleIcons';
import { NotificationBell } from './NotificationBell';
import './layout.css';

/** The menu entry a path belongs to: its own, or the entry whose path it extends (a case under the board). */
function selectedKey(pathname: string, paths: string[]): string[] {
  const hits = paths.filter((p) => pathname === p || (p !== '/' && pathname.startsWith(`${p}/`)));
  const best = hits.sort((a, b) => b.length - a.length)[0];
  return best ? [best] : [];
}

export default function AppLayout() {
  const user = useUser();
  const { logout } = useSession();
  const { lang, t } = useI18n();
  const location = useLocation();
  const navigate = useNavigate();
  const [collapsed, setCollapsed] = useState(false);
  // below the md breakpoint the menu is a panel over the page, closed until asked for
  const [narrow, setNarrow] = useState(() => window.matchMedia('(max-width: 767.98px)').matches);

  const modules = useMemo(() => menuModulesFor(user.abilities, user.roles), [user.abilities, user.roles]);
  const items = useMemo(
    () => modules.map((m) => ({ key: m.path, icon: MODULE_ICONS[m.key], label: <Link to={m.path}>{t(m.label)}</Link> })),
    [modules, t],
  );

  const onLogout = async () => {
    await logout();
    navigate('/login', { replace: true });
  };

  const roleText = user.roles.map((r) => pick(lang, ROLE_LABELS[r], r)).join('、');

  return (
    <AntApp style={{ height: '100%' }}>
      <Layout className="zhili-layout">
        <Layout.Header className="zhili-header">
          {narrow && <Button type="text" icon={<MenuOutlined />} aria-label={t('header.menu')} onClick={() => setCollapsed((c) => !c)} data-testid="menu-toggle" />}
          <Link to="/" className="zhili-brand">
            <span className="zhili-logo">治</span>
            <span className="zhili-title">{t('app.short')}</span>
          </Link>
          <div style={{ flex: 1 }} />
          <NotificationBell />
          <LangSwitch />
          <Dropdown
            menu={{
              items: [
                { key: 'roles', label: roleText, disabled: true },
                { type: 'divider' },
                { key: 'account', icon: <SafetyOutlined />, label: t('account.title'), onClick: () => navigate('/account') },
                { key: 'logout', icon: <LogoutOutlined />, label: t('header.logout'), onClick: onLogout },
              ],
            }}
          >
            <span className="zhili-user">
              <Avatar size="small" icon={<UserOutlined />} />
              <span className="zhili-user-name" data-testid="current-user">
                {user.displayName}
              </span>
            </span>
          </Dropdown>
          <Tooltip title={t('header.logout')}>
            <Button type="text" icon={<LogoutOutlined />} data-testid="logout" aria-label={t('header.logout')} onClick={onLogout} />
          </Tooltip>
        </Layout.Header>
        <Layout hasSider>
          <Layout.Sider
            className={narrow ? 'zhili-sider zhili-sider-narrow' : 'zhili-sider'}
            theme="light"
            width={lang === 'en' ? 240 : 208}
            breakpoint="md"
            collapsible
            trigger={narrow ? null : undefined}
            collapsed={collapsed}
            collapsedWidth={narrow ? 0 : 64}
            onCollapse={setCollapsed}
            onBreakpoint={(broken) => {
              setNarrow(broken);
              setCollapsed(broken);
            }}
          >
            <Menu
              mode="inline"
              items={items}
              selectedKeys={selectedKey(location.pathname, modules.map((m) => m.path))}
              onClick={() => narrow && setCollapsed(true)}
              style={{ borderInlineEnd: 0 }}
            />
          </Layout.Sider>
          {narrow && !collapsed && <div className="zhili-backdrop" onClick={() => setCollapsed(true)} />}
          <Layout.Content className="zhili-content">
            <Suspense fallback={<PageLoading />}>
              <Outlet />
            </Suspense>
          </Layout.Content>
        </Layout>
      </Layout>
    </AntApp>
  );
}
