import '../../messages/accounts';
import { useMemo, useRef, useState } from 'react';
import { ProTable, type ActionType, type ProColumns } from '@ant-design/pro-components';
import { Alert, App, Button, Form, Input, Modal, Popconfirm, Select, Space, TreeSelect, Typography } from 'antd';
import { PlusOutlined } from '@ant-design/icons';
import { api, unwrap } from '../../api/client';
import { useUser } from '../../auth/session';
import { applyApiError } from '../../components/formErrors';
import { useFetch } from '../../hooks/useFetch';
import { toTreeSelect, useJurisdictionTree } from '../../hooks/useJurisdictionTree';
import { useI18n } from '../../i18n';
import { AccountState, type Account, RoleTags } from './accountViews';

/** Accounts the system administrator may not touch: the duties that watch it, and its own (docs/SECURITY.md). */
const GUARDED = ['security_admin', 'auditor'];

interface NewAccount {
  username: string;
  displayName: string;
  password: string;
  jurisdictionCode: string;
  departmentId?: number;
}

/** The system administrator's page: accounts and their state; new accounts get no role here (三员分立). */
export default function UsersPage() {
  const { t } = useI18n();
  const me = useUser();
  const { message, modal } = App.useApp();
  const actionRef = useRef<ActionType>();
  const [creating, setCreating] = useState(false);
  const [error, setError] = useState<string | null>(null);
  const [form] = Form.useForm<NewAccount>();
  const tree = useJurisdictionTree();
  const treeData = useMemo(() => (tree.data ? [toTreeSelect(tree.data.root, 'community')] : []), [tree.data]);
  const departments = useFetch(() => unwrap(api.GET('/api/departments', { params: { query: { limit: 200 } } })), []);

  const act = async (fn: () => Promise<unknown>, done: string) => {
    try {
      await fn();
      message.success(done);
      actionRef.current?.reload();
    } catch (err) {
      message.error(err instanceof Error ? err.message : String(err));
    }
  };

  const create = async () => {
    const v = await form.validateFields().catch(() => null);
    if (!v) return;
    setError(null);
    try {
      await unwrap(api.POST('/api/users', { body: { username: v.username.trim(), displayName: v.displayName.trim(), password: v.password, jurisdictionCode: v.jurisdictionCode, ...(v.departmentId ? { departmentId: v.departmentId } : {}) } }));
      message.success(t('users.created'));
      setCreating(false);
      form.resetFields();
      actionRef.current?.reload();
    } catch (err) {
      setError(applyApiError(form, err, ['username', 'displayName', 'password', 'jurisdictionCode', 'departmentId']));
    }
  };

  const reset = (a: Account) =>
    act(async () => {
      const { temporaryPassword } = await unwrap(api.POST('/api/users/{id}/reset-password', { params: { path: { id: a.id } } }));
      modal.info({
        title: `${t('users.reset')}：${a.username}`,
        content: (
          <Space direction="vertical">
            <Typography.Text>{t('users.temporary')}</Typography.Text>
            <Typography.Text code copyable data-testid="temporary-password">
              {temporaryPassword}
            </Typography.Text>
          </Space>
        ),
      });
    }, t('users.saved'));

  const columns: ProColumns<Account>[] = [
    { title: t('users.search'), dataIndex: 'q', hideInTable: true },
    { title: t('users.username'), dataIndex: 'username', search: false, width: 160 },
    { title: t('users.displayName'), dataIndex: 'displayName', search: false, ellipsis: true },
    { title: t('users.jurisdiction'), dataIndex: 'jurisdictionName', search: false, ellipsis: true },
    { title: t('users.roles'), dataIndex: 'roles', search: false, render: (_, a) => <RoleTags roles={a.roles} /> },
    { title: t('users.state'), dataIndex: 'active', search: false, width: 200, render: (_, a) => <AccountState account={a} /> },
    {
      title: t('users.actions'),
      valueType: 'option',
      width: 210,
      render: (_, a) =>
        a.id === me.id || a.roles.some((r) => GUARDED.includes(r))
          ? []
          : [
              a.active ? (
                <Popconfirm key="disable" title={t('users.confirmDisable')} onConfirm={() => act(() => unwrap(api.PATCH('/api/users/{id}', { params: { path: { id: a.id } }, body: { active: false } })), t('users.saved'))}>
                  <a data-testid={`user-disable-${a.username}`}>{t('users.disable')}</a>
                </Popconfirm>
              ) : (
                <a key="enable" onClick={() => act(() => unwrap(api.PATCH('/api/users/{id}', { params: { path: { id: a.id } }, body: { active: true } })), t('users.saved'))}>
                  {t('users.enable')}
                </a>
              ),
              ...(a.lockedUntil
                ? [
                    <a key="unlock" onClick={() => act(() => unwrap(api.PATCH('/api/users/{id}', { params: { path: { id: a.id } }, body: { unlock: true } })), t('users.saved'))}>
                      {t('users.unlock')}
                    </a>,
                  ]
                : []),
              <a key="reset" onClick={() => reset(a)} data-testid={`user-reset-${a.username}`}>
                {t('users.reset')}
              </a>,
            ],
    },
  ];

  return (
    <Space direction="vertical" style={{ width: '100%' }} size="middle">
      <Alert type="info" showIcon message={t('users.help')} />
      <ProTable<Account, { q?: string }>
        headerTitle={t('users.title')}
        rowKey="id"
        actionRef={actionRef}
        columns={columns}
        search={{ labelWidth: 'auto', defaultCollapsed: false }}
        pagination={{ defaultPageSize: 20, showSizeChanger: true }}
        options={{ density: false, setting: false }}
        onRequestError={(err) => message.error(err.message)}
        request={async (params) => {
          const pageSize = params.pageSize ?? 20;
          const res = await unwrap(api.GET('/api/users', { params: { query: { ...(params.q ? { q: params.q } : {}), limit: pageSize, offset: ((params.current ?? 1) - 1) * pageSize } } }));
          return { data: res.items, total: res.total, success: true };
        }}
        toolBarRender={() => [
          <Button key="new" type="primary" icon={<PlusOutlined />} onClick={() => setCreating(true)} data-testid="user-create">
            {t('users.new')}
          </Button>,
        ]}
      />
      <Modal open={creating} title={t('users.new')} okText={t('common.save')} cancelText={t('common.cancel')} onOk={create} onCancel={() => setCreating(false)} okButtonProps={{ 'data-testid': 'user-submit' }} destroyOnClose>
        <Form form={form} layout="vertical" name="new-account" preserve={false} initialValues={{ jurisdictionCode: me.jurisdictionCode }}>
          <Form.Item name="username" label={t('users.username')} rules={[{ required: true, pattern: /^[a-zA-Z0-9._-]{3,32}$/ }]}>
            <Input id="new-username" autoComplete="off" />
          </Form.Item>
          <Form.Item name="displayName" label={t('users.displayName')} rules={[{ required: true, whitespace: true, max: 50 }]}>
            <Input id="new-display-name" />
          </Form.Item>
          <Form.Item name="password" label={t('users.password')} rules={[{ required: true, min: 8 }]}>
            <Input.Password id="new-password" autoComplete="new-password" />
          </Form.Item>
          <Form.Item name="jurisdictionCode" label={t('users.jurisdiction')} rules={[{ required: true }]}>
            <TreeSelect id="new-jurisdiction" treeData={treeData} showSearch treeNodeFilterProp="title" treeDefaultExpandedKeys={treeData.map((n) => n.value)} data-testid="new-jurisdiction" />
          </Form.Item>
          <Form.Item name="departmentId" label={t('users.department')}>
            <Select allowClear showSearch optionFilterProp="label" options={(departments.data?.items ?? []).map((d) => ({ value: d.id, label: d.name }))} />
          </Form.Item>
          <Typography.Text type="secondary">{t('users.noRole')}</Typography.Text>
        </Form>
        {error && <Alert type="error" showIcon message={error} style={{ marginTop: 16 }} data-testid="user-error" />}
      </Modal>
    </Space>
  );
}
