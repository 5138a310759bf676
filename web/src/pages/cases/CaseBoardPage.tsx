import '../../messages/cases';
import { lazy, Suspense, useMemo, useState } from 'react';
import { Alert, Button, Card, Input, Select, Space, Table, Tooltip, TreeSelect, type TablePaginationConfig } from 'antd';
import { PlusOutlined, ReloadOutlined, SendOutlined } from '@ant-design/icons';
import { Link, useSearchParams } from 'react-router-dom';
import { api, unwrap, type CaseListQuery, type CaseSummary } from '../../api/client';
import { useAbility } from '../../auth/session';
import { useCaseVocabulary, useNames } from '../../hooks/useCaseData';
import { useFetch } from '../../hooks/useFetch';
import { toTreeSelect } from '../../hooks/useJurisdictionTree';
import { useI18n } from '../../i18n';
import { caseColumns } from './caseColumns';
import { channelKey, CHANNELS } from './parts';
import './cases.css';

// only when the dispatcher opens it: keeps the modal's form and list out of the board's first load
const BulkDispatchModal = lazy(() => import('./BulkDispatchModal'));

const FILTER_KEYS = ['q', 'status', 'matterTypeCode', 'departmentId', 'jurisdictionCode', 'channel', 'overdue', 'warningLevel'] as const;
type FilterKey = (typeof FILTER_KEYS)[number];
type Sort = NonNullable<CaseListQuery['sort']>;

/** The filters live in the address (e.g. /cases?overdue=true from the dashboard or a notification). */
function queryOf(params: URLSearchParams, page: number, pageSize: number, sort: Sort): CaseListQuery {
  const get = (k: FilterKey) => params.get(k) || undefined;
  const departmentId = Number(get('departmentId'));
  const overdue = get('overdue');
  return {
    limit: pageSize,
    offset: (page - 1) * pageSize,
    sort,
    ...(get('q') ? { q: get('q') } : {}),
    ...(get('status') ? { status: get('status') as CaseListQuery['status'] } : {}),
    ...(get('matterTypeCode') ? { matterTypeCode: get('matterTypeCode') } : {}),
    ...(departmentId > 0 ? { departmentId } : {}),
    ...(get('jurisdictionCode') ? { jurisdictionCode: get('jurisdictionCode') } : {}),
    ...(get('channel') ? { channel: get('channel') as CaseListQuery['channel'] } : {}),
    ...(overdue === 'true' || overdue === 'false' ? { overdue: overdue === 'true' } : {}),
    ...(get('warningLevel') ? { warningLevel: get('warningLevel') as CaseListQuery['warningLevel'] } : {}),
  };
}

export default function CaseBoardPage() {
  const { lang, t } = useI18n();
  const vocab = useCaseVocabulary();
  const names = useNames();
  const canAct = useAbility('case:act');
  const canCreate = useAbility('case:create');
  const [params, setParams] = useSearchParams();
  const [page, setPage] = useState({ current: 1, pageSize: 20 });
  const [sort, setSort] = useState<Sort>('newest');
  const [selected, setSelected] = useState<CaseSummary[]>([]);
  const [bulk, setBulk] = useState(false);
  const [q, setQ] = useState(params.get('q') ?? '');
  const columns = useMemo(() => caseColumns(t, lang, vocab, names), [t, lang, vocab, names]);
  const treeData = useMemo(() => (names.tree ? [toTreeSelect(names.tree, 'community')] : []), [names.tree]);

  const query = queryOf(params, page.current, page.pageSize, sort);
  const cases = useFetch(async () => {
    const res = await unwrap(api.GET('/api/cases', { params: { query } }));
    setSelected([]);
    return res;
  }, [JSON.stringify(query)]);

  const setFilter = (key: FilterKey, value: string | number | undefined | null) => {
    const next = new URLSearchParams(params);
    if (value === undefined || value === null || value === '') next.delete(key);
    else next.set(key, String(value));
    setPage((p) => ({ ...p, current: 1 }));
    setParams(next, { replace: true });
  };
  const reset = () => {
    setQ('');
    setPage((p) => ({ ...p, current: 1 }));
    setParams(new URLSearchParams(), { replace: true });
  };
  const value = (key: FilterKey) => params.get(key) || undefined;
  const select = (key: FilterKey, placeholder: string, options: Array<{ value: string | number; label: string }>, width = 150, search = false) => (
    <Select
      allowClear
      placeholder={placeholder}
      aria-label={placeholder}
      style={{ width }}
      options={options}
      value={key === 'departmentId' ? (value(key) ? Number(value(key)) : undefined) : value(key)}
      onChange={(v: string | number | undefined) => setFilter(key, v)}
      data-testid={`board-filter-${key}`}
      {...(search ? { showSearch: true, optionFilterProp: 'label', popupMatchSelectWidth: false } : {})}
    />
  );

  const onTableChange = (p: TablePaginationConfig, _filters: unknown, sorter: unknown) => {
    const s = Array.isArray(sorter) ? sorter[0] : sorter;
    const field = s && typeof s === 'object' && 'order' in s && s.order ? (s as { field?: unknown }).field : undefined;
    setSort(field === 'deadline' ? 'deadline' : field === 'supporterCount' ? 'supporters' : 'newest');
    setPage({ current: p.current ?? 1, pageSize: p.pageSize ?? 20 });
  };

  const toolbar = (
    <Space data-testid="board-toolbar">
      {canAct && (
        <Button icon={<SendOutlined />} disabled={selected.length === 0} onClick={() => setBulk(true)} data-testid="bulk-dispatch">
          {selected.length > 0 ? t('board.bulkDispatchN', { n: selected.length }) : t('board.bulkDispatch')}
        </Button>
      )}
      {canCreate && (
        <Link to="/intake">
          <Button type="primary" icon={<PlusOutlined />}>
            {t('menu.intake')}
          </Button>
        </Link>
      )}
      <Tooltip title={t('common.reload')}>
        <Button type="text" icon={<ReloadOutlined />} aria-label={t('common.reload')} onClick={cases.reload} data-testid="board-reload" />
      </Tooltip>
    </Space>
  );

  return (
    <div data-testid="case-board">
      <Card size="small" style={{ marginBottom: 16 }}>
        <Space wrap size={[8, 8]}>
          <Input.Search
            allowClear
            placeholder={t('board.qPlaceholder')}
            aria-label={t('common.search')}
            style={{ width: 260 }}
            value={q}
            onChange={(e) => setQ(e.target.value)}
            onSearch={(v) => setFilter('q', v.trim())}
            data-testid="board-filter-q"
          />
          {select('status', t('common.status'), vocab.statuses.map((s) => ({ value: s.value, label: s.label })), 120)}
          {select('matterTypeCode', t('case.matter'), names.matterTypes.map((m) => ({ value: m.code, label: `${m.name} ${m.code}` })), 170, true)}
          {select('departmentId', t('case.department'), names.departments.map((d) => ({ value: d.id, label: `${d.name}（${d.jurisdictionName}）` })), 190, true)}
          <TreeSelect
            allowClear
            showSearch
            placeholder={t('case.place')}
            aria-label={t('case.place')}
            style={{ width: 170 }}
            popupMatchSelectWidth={false}
            treeData={treeData}
            treeNodeFilterProp="title"
            value={value('jurisdictionCode')}
            onChange={(v: string | undefined) => setFilter('jurisdictionCode', v)}
            data-testid="board-filter-jurisdictionCode"
          />
          {select('channel', t('case.channel'), CHANNELS.map((c) => ({ value: c, label: t(channelKey(c)) })), 130)}
          {select('overdue', t('board.overdue'), [{ value: 'true', label: t('board.overdueYes') }, { value: 'false', label: t('board.overdueNo') }], 110)}
          {select('warningLevel', t('board.warning'), (['none', 'yellow', 'red'] as const).map((w) => ({ value: w, label: t(`case.warning.${w}`) })), 110)}
          <Button onClick={reset}>{t('board.reset')}</Button>
        </Space>
      </Card>
      <Card title={t('board.title')} extra={toolbar} styles={{ body: { padding: 0 } }}>
        {cases.error && <Alert type="error" showIcon message={cases.error.message} banner />}
        <Table<CaseSummary>
          rowKey="id"
          size="middle"
          loading={cases.loading}
          dataSource={cases.data?.items ?? []}
          columns={columns}
          onChange={onTableChange}
          pagination={{ ...page, total: cases.data?.total ?? 0, showSizeChanger: true, showTotal: (n) => t('board.total', { n }) }}
          rowClassName={(c) => (c.overdue ? 'zhili-row-overdue' : '')}
          scroll={{ x: 1120 }}
          rowSelection={canAct ? { selectedRowKeys: selected.map((c) => c.id), onChange: (_keys, rows) => setSelected(rows.filter(Boolean)) } : undefined}
        />
      </Card>
      {bulk && (
        <Suspense fallback={null}>
          <BulkDispatchModal
            cases={selected}
            departments={names.departments}
            vocab={vocab}
            onClose={(changed) => {
              setBulk(false);
              if (changed) cases.reload();
            }}
          />
        </Suspense>
      )}
    </div>
  );
}
