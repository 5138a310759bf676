import '../../messages/mediation';
import { Button, Card, Select, Space, Table, Tag } from 'antd';
import { useState } from 'react';
import { Link, useNavigate } from 'react-router-dom';
import { api, unwrap } from '../../api/client';
import { useUser } from '../../auth/session';
import { useFetch } from '../../hooks/useFetch';
import { useI18n } from '../../i18n';
import { type DisputeSummary, labels } from './api';
import { useVocabulary } from './useVocabulary';

export const RISK_COLOR: Record<string, string> = { low: 'green', medium: 'orange', high: 'red' };

/** Disputes in scope, filtered by status; `mine` lists a mediator's own. */
export function DisputeTable({ mine = false }: { mine?: boolean }) {
  const { t, lang } = useI18n();
  const vocab = useVocabulary();
  const [status, setStatus] = useState<string>();
  const list = useFetch(() => unwrap(api.GET('/api/disputes', { params: { query: { limit: 200, mine: mine || undefined, status: status as never } } })), [status, mine]);
  const statuses = labels(vocab, 'statuses');
  const types = labels(vocab, 'types');
  const paths = labels(vocab, 'paths');
  return (
    <Space direction="vertical" style={{ width: '100%' }}>
      <Select allowClear placeholder={t('med.status')} style={{ width: 220 }} value={status} onChange={setStatus} options={Object.entries(statuses).map(([k, v]) => ({ value: k, label: v[lang] }))} />
      <Table<DisputeSummary>
        rowKey="id"
        size="middle"
        loading={list.loading}
        dataSource={list.data?.items ?? []}
        data-testid="dispute-table"
        columns={[
          { title: '#', dataIndex: 'id', render: (id: number) => <Link to={`/disputes/${id}`} data-testid={`dispute-link-${id}`}>{id}</Link> },
          { title: t('med.caseTitle'), dataIndex: 'caseTitle' },
          { title: t('med.type'), dataIndex: 'disputeType', render: (v: string) => types[v]?.[lang] ?? v },
          { title: t('med.risk'), dataIndex: 'riskLevel', render: (v: string, d) => <Space size={4}><Tag color={RISK_COLOR[v]}>{t(`med.risk.${v}` as 'med.risk.low')}</Tag>{d.groupDispute && <Tag color="volcano">{t('med.group')}</Tag>}{d.extremeRisk && <Tag color="red">{t('med.extreme')}</Tag>}</Space> },
          { title: t('med.path'), dataIndex: 'path', render: (v: string | null) => (v ? paths[v]?.[lang] ?? v : '—') },
          { title: t('med.status'), dataIndex: 'status', render: (v: string) => <Tag>{statuses[v]?.[lang] ?? v}</Tag> },
          { title: '', dataIndex: 'createdAt', render: (v: string) => new Date(v).toLocaleString() },
        ]}
      />
    </Space>
  );
}

export default function DisputeListPage() {
  const { t } = useI18n();
  const navigate = useNavigate();
  const user = useUser();
  return (
    <Card title={t('menu.disputes')} extra={user.abilities.includes('dispute:manage') && <Button type="primary" data-testid="dispute-new" onClick={() => navigate('/disputes/new')}>{t('med.new')}</Button>}>
      <DisputeTable />
    </Card>
  );
}
