import '../messages/audit';
import { useState } from 'react';
import { ProTable, type ProColumns } from '@ant-design/pro-components';
import { Alert, Button, Space, Tag, Typography } from 'antd';
import { api, ApiError, unwrap } from '../api/client';
import { formatDateTime } from '../format';
import { useI18n } from '../i18n';

type Entry = Awaited<ReturnType<typeof loadPage>>['items'][number];
type Filters = { action?: string; entity?: string; entityId?: string; result?: 'ok' | 'denied' | 'failed' };

function loadPage(query: Filters & { limit: number; offset: number }) {
  return unwrap(api.GET('/api/audit', { params: { query } }));
}

/** The auditor's page: search the log, verify the chain, export what was found. */
export default function AuditPage() {
  const { t, lang } = useI18n();
  const [filters, setFilters] = useState<Filters>({});
  const [verdict, setVerdict] = useState<{ type: 'success' | 'error'; text: string } | null>(null);

  const verify = async () => {
    try {
      const r = await unwrap(api.GET('/api/audit/verify'));
      if (r.ok) {
        setVerdict({ type: 'success', text: t('audit.verifyOk', { count: r.count, seq: r.lastSeq, seals: r.seals }) });
        return;
      }
      const range = { from: r.missingFrom ?? '?', to: r.missingTo ?? '?', no: r.seal?.no ?? '?', seq: r.seal?.lastSeq ?? '?' };
      const text =
        r.reason === 'missing_tail'
          ? t('audit.verifyMissing', range)
          : r.reason === 'seal_mismatch'
            ? t('audit.verifyReplaced', range)
            : r.brokenAt
              ? t('audit.verifyBroken', { seq: r.brokenAt.seq, id: r.brokenAt.id, reason: r.message })
              : t('audit.verifySeals', { message: r.message });
      setVerdict({ type: 'error', text });
    } catch (err) {
      setVerdict({ type: 'error', text: err instanceof ApiError ? err.message : String(err) });
    }
  };

  const exportUrl = `/api/audit/export?${new URLSearchParams(Object.entries(filters).filter(([, v]) => v) as [string, string][]).toString()}`;

  const columns: ProColumns<Entry>[] = [
    { title: t('audit.seq'), dataIndex: 'seq', width: 80, search: false },
    { title: t('audit.at'), dataIndex: 'at', width: 170, search: false, render: (_, e) => formatDateTime(lang, e.at) },
    { title: t('audit.actor'), dataIndex: 'actorName', width: 160, search: false, render: (_, e) => e.actorName ?? (e.actorId ? `#${e.actorId}` : '—') },
    { title: t('audit.action'), dataIndex: 'action', width: 200 },
    { title: t('audit.entity'), dataIndex: 'entity', width: 160, render: (_, e) => `${e.entity}${e.entityId ? ` #${e.entityId}` : ''}` },
    { title: t('audit.purpose'), dataIndex: 'purpose', search: false, ellipsis: true },
    {
      title: t('audit.result'),
      dataIndex: 'result',
      width: 100,
      valueEnum: { ok: { text: 'ok' }, denied: { text: 'denied' }, failed: { text: 'failed' } },
      render: (_, e) => <Tag color={e.result === 'ok' ? 'green' : e.result === 'denied' ? 'orange' : 'red'}>{e.result}</Tag>,
    },
    { title: t('audit.ip'), dataIndex: 'ip', width: 130, search: false },
    { title: t('audit.detail'), dataIndex: 'detail', search: false, ellipsis: true, render: (_, e) => <Typography.Text code>{JSON.stringify(e.detail)}</Typography.Text> },
  ];

  return (
    <Space direction="vertical" style={{ width: '100%' }} size="middle">
      {verdict && <Alert type={verdict.type} showIcon message={verdict.text} data-testid="audit-verdict" closable onClose={() => setVerdict(null)} />}
      <ProTable<Entry, Filters>
        rowKey="id"
        headerTitle={t('menu.audit')}
        columns={columns}
        data-testid="audit-table"
        toolBarRender={() => [
          <Button key="verify" onClick={verify} data-testid="audit-verify">
            {t('audit.verify')}
          </Button>,
          <Button key="export" href={exportUrl}>
            {t('audit.export')}
          </Button>,
        ]}
        request={async (params) => {
          const f: Filters = { action: params.action || undefined, entity: params.entity || undefined, result: params.result || undefined };
          setFilters(f);
          const limit = params.pageSize ?? 20;
          const res = await loadPage({ ...f, limit, offset: ((params.current ?? 1) - 1) * limit });
          return { data: res.items, total: res.total, success: true };
        }}
        pagination={{ pageSize: 20 }}
        scroll={{ x: 1200 }}
      />
    </Space>
  );
}
