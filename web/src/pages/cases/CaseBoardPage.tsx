import '../../messages/cases';
import { useMemo, useRef, useState } from 'react';
import { ProTable, type ActionType, type ProColumns } from '@ant-design/pro-components';
import { App, Button } from 'antd';
import { PlusOutlined, SendOutlined } from '@ant-design/icons';
import { Link, useSearchParams } from 'react-router-dom';
import { api, unwrap, type CaseListQuery, type CaseSummary } from '../../api/client';
import { useAbility } from '../../auth/session';
import { useCaseVocabulary, useNames } from '../../hooks/useCaseData';
import { toTreeSelect } from '../../hooks/useJurisdictionTree';
import { useI18n } from '../../i18n';
import { BulkDispatchModal } from './BulkDispatchModal';
import { caseColumns } from './caseColumns';
import { channelKey, CHANNELS } from './parts';
import './cases.css';

interface Query {
  q?: string;
  status?: string;
  matterTypeCode?: string;
  departmentId?: number;
  jurisdictionCode?: string;
  channel?: string;
  overdue?: 'true' | 'false';
  warningLevel?: 'none' | 'yellow' | 'red';
  current?: number;
  pageSize?: number;
}

const FILTER_KEYS = ['q', 'status', 'matterTypeCode', 'jurisdictionCode', 'channel', 'overdue', 'warningLevel'] as const;

export default function CaseBoardPage() {
  const { lang, t } = useI18n();
  const vocab = useCaseVocabulary();
  const names = useNames();
  const canAct = useAbility('case:act');
  const canCreate = useAbility('case:create');
  const actionRef = useRef<ActionType>();
  const { message } = App.useApp();
  const [params] = useSearchParams();
  const [selected, setSelected] = useState<CaseSummary[]>([]);
  const [bulk, setBulk] = useState(false);
  const treeData = useMemo(() => (names.tree ? [toTreeSelect(names.tree, 'community')] : []), [names.tree]);
  // filters can come in the address (e.g. /cases?overdue=true from the dashboard or a notification)
  const initialValues = useMemo(() => Object.fromEntries(FILTER_KEYS.flatMap((k) => (params.get(k) ? [[k, params.get(k)]] : []))), [params]);

  const filters: ProColumns<CaseSummary>[] = [
    { title: t('common.search'), dataIndex: 'q', hideInTable: true, fieldProps: { placeholder: t('board.qPlaceholder') } },
    {
      title: t('common.status'),
      dataIndex: 'status',
      hideInTable: true,
      valueType: 'select',
      valueEnum: Object.fromEntries(vocab.statuses.map((s) => [s.value, { text: s.label }])),
    },
    {
      title: t('case.matter'),
      dataIndex: 'matterTypeCode',
      hideInTable: true,
      valueType: 'select',
      fieldProps: { showSearch: true, optionFilterProp: 'label', options: names.matterTypes.map((m) => ({ value: m.code, label: `${m.name} ${m.code}` })) },
    },
    {
      title: t('case.department'),
      dataIndex: 'departmentId',
      hideInTable: true,
      valueType: 'select',
      fieldProps: { showSearch: true, optionFilterProp: 'label', options: names.departments.map((d) => ({ value: d.id, label: `${d.name}（${d.jurisdictionName}）` })) },
    },
    {
      title: t('case.place'),
      dataIndex: 'jurisdictionCode',
      hideInTable: true,
      valueType: 'treeSelect',
      fieldProps: { treeData, showSearch: true, treeNodeFilterProp: 'title' },
    },
    {
      title: t('case.channel'),
      dataIndex: 'channel',
      hideInTable: true,
      valueType: 'select',
      valueEnum: Object.fromEntries(CHANNELS.map((c) => [c, { text: t(channelKey(c)) }])),
    },
    {
      title: t('board.overdue'),
      dataIndex: 'overdue',
      hideInTable: true,
      valueType: 'select',
      valueEnum: { true: { text: t('board.overdueYes') }, false: { text: t('board.overdueNo') } },
    },
    {
      title: t('board.warning'),
      dataIndex: 'warningLevel',
      hideInTable: true,
      valueType: 'select',
      valueEnum: { none: { text: t('case.warning.none') }, yellow: { text: t('case.warning.yellow') }, red: { text: t('case.warning.red') } },
    },
  ];

  const columns = [...filters, ...caseColumns(t, lang, vocab, names)];

  return (
    <div data-testid="case-board">
      <ProTable<CaseSummary, Query>
        headerTitle={t('board.title')}
        rowKey="id"
        actionRef={actionRef}
        columns={columns}
        // catalogues arrive after the first render; the key keeps the filter form in step with them
        key={`${lang}:${vocab.ready ? 1 : 0}:${names.matterTypes.length}:${names.departments.length}:${names.tree ? 1 : 0}`}
        form={{ initialValues }}
        search={{ labelWidth: 'auto', defaultCollapsed: true }}
        pagination={{ defaultPageSize: 20, showSizeChanger: true }}
        options={{ density: false, setting: false, reload: true }}
        rowClassName={(c) => (c.overdue ? 'zhili-row-overdue' : '')}
        scroll={{ x: 1120 }}
        rowSelection={
          canAct
            ? {
                selectedRowKeys: selected.map((c) => c.id),
                onChange: (_keys, rows) => setSelected(rows.filter(Boolean)),
                preserveSelectedRowKeys: false,
              }
            : false
        }
        tableAlertRender={false}
        onRequestError={(err) => message.error(err.message)}
        request={async (p, sort) => {
          const pageSize = p.pageSize ?? 20;
          const order: CaseListQuery['sort'] = sort?.deadline ? 'deadline' : sort?.supporterCount ? 'supporters' : 'newest';
          const query: CaseListQuery = {
            limit: pageSize,
            offset: ((p.current ?? 1) - 1) * pageSize,
            sort: order,
            ...(p.q ? { q: p.q } : {}),
            ...(p.status ? { status: p.status as CaseListQuery['status'] } : {}),
            ...(p.matterTypeCode ? { matterTypeCode: p.matterTypeCode } : {}),
            ...(p.departmentId ? { departmentId: Number(p.departmentId) } : {}),
            ...(p.jurisdictionCode ? { jurisdictionCode: p.jurisdictionCode } : {}),
            ...(p.channel ? { channel: p.channel as CaseListQuery['channel'] } : {}),
            ...(p.overdue ? { overdue: String(p.overdue) === 'true' } : {}),
            ...(p.warningLevel ? { warningLevel: p.warningLevel } : {}),
          };
          const res = await unwrap(api.GET('/api/cases', { params: { query } }));
          setSelected([]);
          return { data: res.items, total: res.total, success: true };
        }}
        toolBarRender={() => [
          ...(canAct
            ? [
                <Button key="bulk" icon={<SendOutlined />} disabled={selected.length === 0} onClick={() => setBulk(true)} data-testid="bulk-dispatch">
                  {selected.length > 0 ? t('board.bulkDispatchN', { n: selected.length }) : t('board.bulkDispatch')}
                </Button>,
              ]
            : []),
          ...(canCreate
            ? [
                <Link key="new" to="/intake">
                  <Button type="primary" icon={<PlusOutlined />}>
                    {t('menu.intake')}
                  </Button>
                </Link>,
              ]
            : []),
        ]}
      />
      {bulk && (
        <BulkDispatchModal
          cases={selected}
          departments={names.departments}
          vocab={vocab}
          onClose={(changed) => {
            setBulk(false);
            if (changed) actionRef.current?.reload();
          }}
        />
      )}
    </div>
  );
}
