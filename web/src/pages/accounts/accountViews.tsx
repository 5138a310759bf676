import { Space, Tag } from 'antd';
import type { paths } from '../../api/schema';
import { pick, ROLE_LABELS, useI18n } from '../../i18n';

export type Account = paths['/api/users']['get']['responses'][200]['content']['application/json']['items'][number];

export const CLEARANCE_LABELS: Record<string, { zh: string; en: string }> = {
  public: { zh: '公开', en: 'Public' },
  internal: { zh: '内部', en: 'Internal' },
  confidential: { zh: '敏感', en: 'Confidential' },
  secret: { zh: '机密', en: 'Secret' },
};

export function RoleTags({ roles }: { roles: readonly string[] }) {
  const { lang, t } = useI18n();
  if (roles.length === 0) return <Tag color="warning">{t('users.noRole')}</Tag>;
  return (
    <Space size={[0, 4]} wrap>
      {roles.map((r) => (
        <Tag key={r} color={r === 'system_admin' || r === 'security_admin' || r === 'auditor' ? 'purple' : 'blue'}>
          {pick(lang, ROLE_LABELS[r], r)}
        </Tag>
      ))}
    </Space>
  );
}

export function AccountState({ account }: { account: Account }) {
  const { t } = useI18n();
  return (
    <Space size={[0, 4]} wrap>
      <Tag color={account.active ? 'green' : 'default'}>{t(account.active ? 'users.active' : 'users.disabled')}</Tag>
      {account.lockedUntil && <Tag color="red">{t('users.locked')}</Tag>}
      {account.mustChangePassword && <Tag color="orange">{t('users.mustChange')}</Tag>}
      {account.totpEnabled && <Tag>{t('users.totp')}</Tag>}
    </Space>
  );
}
