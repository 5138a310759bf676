import { Suspense, useMemo } from 'react';
import { ProLayout } from '@ant-design/pro-components';
import { App as AntApp, Button, Dropdown, Tooltip } from 'antd';
import { LogoutOutlined, SafetyOutlined, UserOutlined } from '@ant-design/icons';
import { Link, Outlet, useLocation, useNavigate } from 'react-router-dom';
import { useSession, useUser } from '../auth/session';
import { LangSwitch } from '../components/LangSwitch';
import { PageLoading } from '../components/PageLoading';
import { pick, ROLE_LABELS, useI18n } from '../i18n';
import { menuModulesFor } from '../modules';
import { MODULE_ICONS } from './moduleIcons';
import { NotificationBell } from './NotificationBell';

const Logo = (
  <div style={{ width: 28, height: 28, borderRadius: 6, background: '#1677ff', color: '#fff', textAlign: 'center', lineHeight: '28px', fontSize: 16 }}>治</div>
);

export default function AppLayout() {
  const user = useUser();
  const { logout } = useSession();
  const { lang, t } = useI18n();
  const location = useLocation();
  const navigate = useNavigate();

  const route = useMemo(
    () => ({
      path: '/',
      routes: menuModulesFor(user.abilities, user.roles).map((m) => ({ path: m.path, name: t(m.label), icon: MODULE_ICONS[m.key], key: m.key })),
    }),
    [user.abilities, user.roles, t],
  );

  const onLogout = async () => {
    await logout();
    navigate('/login', { replace: true });
  };

  const roleText = user.roles.map((r) => pick(lang, ROLE_LABELS[r], r)).join('、');

  return (
    <AntApp style={{ height: '100%' }}>
    <ProLayout
      title={t('app.short')}
      logo={Logo}
      layout="mix"
      fixSiderbar
      fixedHeader
      route={route}
      location={{ pathname: location.pathname }}
      menu={{ locale: false }}
      siderWidth={lang === 'en' ? 240 : 208}
      token={{ header: { colorBgHeader: '#fff' } }}
      onMenuHeaderClick={() => navigate('/')}
      menuItemRender={(item, dom) => (item.path ? <Link to={item.path}>{dom}</Link> : dom)}
      avatarProps={{
        icon: <UserOutlined />,
        size: 'small',
        title: <span data-testid="current-user">{user.displayName}</span>,
        render: (_props, dom) => (
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
            {dom}
          </Dropdown>
        ),
      }}
      actionsRender={() => [
        <NotificationBell key="inbox" />,
        <LangSwitch key="lang" />,
        <Tooltip key="logout" title={t('header.logout')}>
          <Button type="text" icon={<LogoutOutlined />} data-testid="logout" aria-label={t('header.logout')} onClick={onLogout} />
        </Tooltip>,
      ]}
      contentStyle={{ padding: 16 }}
    >
      <Suspense fallback={<PageLoading />}>
        <Outlet />
      </Suspense>
    </ProLayout>
    </AntApp>
  );
}
