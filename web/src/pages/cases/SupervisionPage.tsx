import '../../messages/cases';
import { ProTable, type ProColumns } from '@ant-design/pro-components';
import { App, Tag, Typography } from 'antd';
import { Link } from 'react-router-dom';
import { api, unwrap, type SupervisionItem } from '../../api/client';
import { formatDateTime, formatDuration } from '../../format';
import { useNames, useNow } from '../../hooks/useCaseData';
import { useI18n, type MessageKey } from '../../i18n';

const KIND_LABELS: Record<string, MessageKey> = { overdue: 'supervision.kind.overdue' };

export default function SupervisionPage() {
  const { lang, t } = useI18n();
  const names = useNames();
  const now = useNow(60_000);
  const { message } = App.useApp();

  const columns: ProColumns<SupervisionItem>[] = [
    {
      title: t('case.number'),
      dataIndex: 'caseNumber',
      width: 160,
      render: (_, s) => (
        <Link to={`/cases/${s.caseId}`} data-testid={`supervision-case-${s.caseId}`}>
          {s.caseNumber}
        </Link>
      ),
    },
    { title: t('case.title'), dataIndex: 'caseTitle', ellipsis: true },
    {
      title: t('supervision.kind'),
      dataIndex: 'kind',
      width: 110,
      render: (_, s) => <Tag color="red">{KIND_LABELS[s.kind] ? t(KIND_LABELS[s.kind]!) : s.kind}</Tag>,
    },
    { title: t('supervision.note'), dataIndex: 'note', ellipsis: true },
    { title: t('case.place'), dataIndex: 'jurisdictionCode', width: 140, ellipsis: true, render: (_, s) => names.jurisdiction(s.jurisdictionCode) },
    { title: t('case.department'), dataIndex: 'departmentId', width: 160, ellipsis: true, render: (_, s) => (s.departmentId ? names.department(s.departmentId) : '—') },
    {
      title: t('case.deadline'),
      dataIndex: 'deadline',
      width: 200,
      render: (_, s) =>
        s.deadline ? (
          <span>
            {formatDateTime(lang, s.deadline)}
            {new Date(s.deadline).getTime() < now && (
              <Typography.Text type="danger" style={{ display: 'block', fontSize: 12 }}>
                {t('case.deadline.overdue', { d: formatDuration(lang, now - new Date(s.deadline).getTime()) })}
              </Typography.Text>
            )}
          </span>
        ) : (
          '—'
        ),
    },
    { title: t('supervision.openedAt'), dataIndex: 'openedAt', width: 150, render: (_, s) => formatDateTime(lang, s.openedAt) },
  ];

  return (
    <div data-testid="supervision">
      <ProTable<SupervisionItem>
        headerTitle={t('supervision.title')}
        tooltip={t('supervision.hint')}
        rowKey="id"
        search={false}
        columns={columns}
        key={`${lang}:${names.departments.length}:${names.tree ? 1 : 0}`}
        pagination={{ defaultPageSize: 20, showSizeChanger: true }}
        options={{ density: false, setting: false, reload: true }}
        onRequestError={(err) => message.error(err.message)}
        request={async (p) => {
          const pageSize = p.pageSize ?? 20;
          const res = await unwrap(api.GET('/api/supervision', { params: { query: { limit: pageSize, offset: ((p.current ?? 1) - 1) * pageSize } } }));
          return { data: res.items, total: res.total, success: true };
        }}
        locale={{ emptyText: t('supervision.empty') }}
      />
    </div>
  );
}
