import '../../messages/accounts';
import { useRef, useState } from 'react';
import { ProTable, type ActionType, type ProColumns } from '@ant-design/pro-components';
import { Alert, App, Checkbox, Form, Input, Modal, Select, Space, Switch, Tag, Typography } from 'antd';
import { api, unwrap } from '../../api/client';
import { useAbility, useUser } from '../../auth/session';
import { applyApiError } from '../../components/formErrors';
import { pick, ROLE_LABELS, useI18n } from '../../i18n';
import { type Account, CLEARANCE_LABELS, RoleTags } from './accountViews';

const BUSINESS = ['intake_clerk', 'dispatcher', 'supervisor', 'leader', 'handler', 'grid_worker', 'mediator', 'hotline_operator'] as const;
const DUTIES = ['system_admin', 'security_admin', 'auditor'] as const;
type RoleName = (typeof BUSINESS)[number] | (typeof DUTIES)[number];
const CLEARANCES = ['public', 'internal', 'confidential', 'secret'] as const;

interface Editing {
  account: Account;
  what: 'roles' | 'clearance';
}

/**
 * The security administrator's page: roles and clearances of the accounts in scope. Others who may read accounts
 * (the system administrator) see it too; a grant they try is refused by the server, said here and audited.
 */
export default function RolesPage() {
  const { lang, t } = useI18n();
  const me = useUser();
  const canGrant = useAbility('user:roles');
  const { message } = App.useApp();
  const actionRef = useRef<ActionType>();
  const [pending, setPending] = useState(false);
  const [editing, setEditing] = useState<Editing | null>(null);
  const [error, setError] = useState<string | null>(null);
  const [form] = Form.useForm<{ roles: RoleName[]; clearance: (typeof CLEARANCES)[number]; reason: string }>();

  const open = (account: Account, what: Editing['what']) => {
    setError(null);
    setEditing({ account, what });
    form.setFieldsValue({ roles: account.roles as RoleName[], clearance: account.clearance, reason: '' });
  };

  const save = async () => {
    if (!editing) return;
    const v = await form.validateFields().catch(() => null);
    if (!v) return;
    setError(null);
    const path = { id: editing.account.id };
    try {
      if (editing.what === 'roles') {
        await unwrap(api.PUT('/api/users/{id}/roles', { params: { path }, body: { roles: v.roles, reason: v.reason.trim() } }));
        message.success(t('roles.saved'));
      } else {
        await unwrap(api.PUT('/api/users/{id}/clearance', { params: { path }, body: { clearance: v.clearance, reason: v.reason.trim() } }));
        message.success(t('roles.clearanceSaved'));
      }
      setEditing(null);
      actionRef.current?.reload();
    } catch (err) {
      setError(applyApiError(form, err, ['roles', 'clearance', 'reason']));
    }
  };

  const columns: ProColumns<Account>[] = [
    { title: t('users.search'), dataIndex: 'q', hideInTable: true },
    { title: t('users.username'), dataIndex: 'username', search: false, width: 160 },
    { title: t('users.displayName'), dataIndex: 'displayName', search: false, ellipsis: true },
    { title: t('users.jurisdiction'), dataIndex: 'jurisdictionName', search: false, ellipsis: true },
    { title: t('users.roles'), dataIndex: 'roles', search: false, render: (_, a) => <RoleTags roles={a.roles} /> },
    { title: t('users.clearance'), dataIndex: 'clearance', search: false, width: 100, render: (_, a) => <Tag>{pick(lang, CLEARANCE_LABELS[a.clearance], a.clearance)}</Tag> },
    {
      title: t('users.actions'),
      valueType: 'option',
      width: 180,
      render: (_, a) =>
        a.id === me.id
          ? []
          : [
              <a key="roles" onClick={() => open(a, 'roles')} data-testid={`grant-roles-${a.username}`}>
                {t('roles.grant')}
              </a>,
              <a key="clearance" onClick={() => open(a, 'clearance')} data-testid={`set-clearance-${a.username}`}>
                {t('roles.setClearance')}
              </a>,
            ],
    },
  ];

  return (
    <Space direction="vertical" style={{ width: '100%' }} size="middle">
      <Alert type={canGrant ? 'info' : 'warning'} showIcon message={t('roles.help')} data-testid="roles-help" />
      <ProTable<Account, { q?: string; pending?: boolean }>
        headerTitle={t('roles.title')}
        rowKey="id"
        actionRef={actionRef}
        columns={columns}
        params={{ pending }}
        search={{ labelWidth: 'auto', defaultCollapsed: false }}
        pagination={{ defaultPageSize: 20, showSizeChanger: true }}
        options={{ density: false, setting: false }}
        onRequestError={(err) => message.error(err.message)}
        toolBarRender={() => [
          <Space key="pending">
            <Switch checked={pending} onChange={setPending} data-testid="roles-pending" />
            {t('roles.pending')}
          </Space>,
        ]}
        request={async (params) => {
          const pageSize = params.pageSize ?? 20;
          const res = await unwrap(
            api.GET('/api/users', {
              params: { query: { ...(params.q ? { q: params.q } : {}), ...(pending ? { role: 'none' as const } : {}), limit: pageSize, offset: ((params.current ?? 1) - 1) * pageSize } },
            }),
          );
          return { data: res.items, total: res.total, success: true };
        }}
      />
      <Modal
        open={editing !== null}
        title={editing ? `${editing.what === 'roles' ? t('roles.grant') : t('roles.setClearance')}：${editing.account.displayName}（${editing.account.username}）` : ''}
        okText={t('common.save')}
        cancelText={t('common.cancel')}
        onOk={save}
        onCancel={() => setEditing(null)}
        okButtonProps={{ 'data-testid': 'roles-submit' }}
        forceRender
      >
        <Form form={form} layout="vertical" name="grant">
          {editing?.what === 'roles' ? (
            <Form.Item name="roles" label={t('users.roles')}>
              <Checkbox.Group data-testid="roles-choice">
                <Space direction="vertical">
                  <Typography.Text type="secondary">{t('roles.help')}</Typography.Text>
                  <Space wrap>
                    {[...BUSINESS, ...DUTIES].map((r) => (
                      <Checkbox key={r} value={r} data-testid={`role-${r}`}>
                        {pick(lang, ROLE_LABELS[r], r)}
                      </Checkbox>
                    ))}
                  </Space>
                </Space>
              </Checkbox.Group>
            </Form.Item>
          ) : (
            <Form.Item name="clearance" label={t('users.clearance')} rules={[{ required: true }]}>
              <Select data-testid="clearance-choice" options={CLEARANCES.map((c) => ({ value: c, label: pick(lang, CLEARANCE_LABELS[c], c) }))} />
            </Form.Item>
          )}
          <Form.Item name="reason" label={t('roles.reason')} rules={[{ required: true, whitespace: true, min: 2, message: t('roles.reasonRequired') }]}>
            <Input.TextArea id="grant-reason" rows={2} maxLength={500} />
          </Form.Item>
        </Form>
        {error && <Alert type="error" showIcon message={error} data-testid="roles-error" />}
      </Modal>
    </Space>
  );
}
