import '../../messages/cases';
import { useMemo, useState } from 'react';
import { Alert, Badge, Button, Card, Space, Table, Tabs, Typography } from 'antd';
import { ReloadOutlined } from '@ant-design/icons';
import { Link } from 'react-router-dom';
import { api, unwrap, type CaseSummary } from '../../api/client';
import { useUser } from '../../auth/session';
import { useCaseVocabulary, useNames } from '../../hooks/useCaseData';
import { useFetch } from '../../hooks/useFetch';
import { useI18n, type MessageKey } from '../../i18n';
import { caseColumns } from './caseColumns';
import './cases.css';

/** Kinds of task, in the order of the tabs; a case is in each kind whose test it passes. */
type Kind = { key: string; label: MessageKey; test: (c: CaseSummary, own: boolean) => boolean };
// `own`: the case is handled by the caller's own centre (a city dispatcher may act on district cases too, but
// they are the district's tasks, not the city's)
const KINDS: Kind[] = [
  { key: 'register', label: 'tasks.register', test: (c, own) => own && (c.actions.includes('accept') || (c.status === 'accepted' && c.actions.includes('register'))) },
  { key: 'dispatch', label: 'tasks.dispatch', test: (c, own) => own && c.status === 'registered' && c.actions.includes('dispatch') },
  { key: 'returned', label: 'tasks.returned', test: (c, own) => own && c.status === 'returned' && c.actions.length > 0 },
  { key: 'sign', label: 'tasks.sign', test: (c) => c.actions.includes('sign') },
  { key: 'handle', label: 'tasks.handle', test: (c) => c.status === 'signed' && c.actions.includes('feed-back') },
  { key: 'extension', label: 'tasks.extension', test: (c, own) => own && c.actions.includes('approve-extension') },
  { key: 'verify', label: 'tasks.verify', test: (c, own) => own && c.actions.includes('verify') },
  { key: 'rate', label: 'tasks.rate', test: (c) => c.actions.includes('rate') },
];

const OPEN_LIMIT = 500;
const CLOSED_LIMIT = 200;

/**
 * The caller's tasks: open cases on which they have an action to take now, and closed cases waiting for the
 * callback rating. The server has no "actionable" filter yet, so this looks at the most urgent open cases
 * (by deadline) and the newest closed ones.
 */
export default function MyTasksPage() {
  const { lang, t } = useI18n();
  const user = useUser();
  const vocab = useCaseVocabulary();
  const names = useNames();
  const [tab, setTab] = useState('all');
  const mayRate = user.roles.some((r) => r === 'hotline_operator' || r === 'dispatcher' || r === 'supervisor');
  const cases = useFetch(async () => {
    const [open, closed] = await Promise.all([
      unwrap(api.GET('/api/cases', { params: { query: { statusType: 'open', sort: 'deadline', limit: OPEN_LIMIT } } })),
      mayRate ? unwrap(api.GET('/api/cases', { params: { query: { status: 'closed', sort: 'newest', limit: CLOSED_LIMIT } } })) : Promise.resolve({ items: [], total: 0 }),
    ]);
    return { items: [...open.items, ...closed.items], truncated: open.total > open.items.length };
  }, [mayRate]);

  const grouped = useMemo(() => {
    const own = (c: CaseSummary) => c.handlingJurisdictionCode === user.jurisdictionCode;
    const all = (cases.data?.items ?? []).filter((c) => KINDS.some((k) => k.test(c, own(c))));
    return { all, byKind: Object.fromEntries(KINDS.map((k) => [k.key, all.filter((c) => k.test(c, own(c)))])) as Record<string, CaseSummary[]> };
  }, [cases.data, user.jurisdictionCode]);

  const rows = tab === 'all' ? grouped.all : (grouped.byKind[tab] ?? []);
  const tabs = [
    { key: 'all', label: <span data-testid="tasks-tab-all">{t('tasks.all')} <Badge count={grouped.all.length} showZero color="#1677ff" /></span> },
    ...KINDS.filter((k) => (grouped.byKind[k.key]?.length ?? 0) > 0 || k.key === tab).map((k) => ({
      key: k.key,
      label: (
        <span data-testid={`tasks-tab-${k.key}`}>
          {t(k.label)} <Badge count={grouped.byKind[k.key]?.length ?? 0} showZero color={k.key === 'returned' ? '#fa8c16' : '#1677ff'} />
        </span>
      ),
    })),
  ];

  const columns = [
    ...caseColumns(t, lang, vocab, names)
      .filter((col) => col.dataIndex !== 'supporterCount')
      .map((col) => ({ ...col, sorter: false })),
    {
      title: t('common.actions'),
      dataIndex: 'actions',
      fixed: 'right' as const,
      width: 150,
      render: (_: unknown, c: CaseSummary) => (
        <Space size={4} wrap>
          <Link to={`/cases/${c.id}`}>
            <Button size="small" type="primary" data-testid={`task-open-${c.id}`}>
              {t('tasks.open')}
            </Button>
          </Link>
          <Typography.Text type="secondary" style={{ fontSize: 12 }}>
            {c.actions.slice(0, 2).map(vocab.actionLabel).join(' / ')}
          </Typography.Text>
        </Space>
      ),
    },
  ];

  return (
    <div data-testid="my-tasks">
      {cases.error && <Alert type="error" showIcon message={cases.error.message} style={{ marginBottom: 16 }} />}
      {cases.data?.truncated && <Alert type="info" showIcon message={t('tasks.truncated', { n: OPEN_LIMIT })} style={{ marginBottom: 16 }} />}
      <Card
        title={t('tasks.title')}
        extra={
          <Button icon={<ReloadOutlined />} onClick={cases.reload} loading={cases.loading}>
            {t('common.reload')}
          </Button>
        }
        styles={{ body: { paddingTop: 0 } }}
      >
        <Tabs activeKey={tab} items={tabs} onChange={setTab} />
        <Table<CaseSummary>
          rowKey="id"
          size="middle"
          loading={cases.loading}
          dataSource={rows}
          columns={columns}
          rowClassName={(c) => (c.overdue ? 'zhili-row-overdue' : '')}
          scroll={{ x: 1200 }}
          pagination={{ defaultPageSize: 20, showSizeChanger: true }}
          locale={{ emptyText: t('tasks.empty') }}
        />
      </Card>
    </div>
  );
}
