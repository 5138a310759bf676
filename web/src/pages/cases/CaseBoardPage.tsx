import '../../messages/cases';
import { lazy, Suspense, useMemo, useState } from 'react';
import { Alert, Button, Card, Input, Select, Space, Table, Tooltip, TreeSelect, type TablePaginationConfig } from 'antd';
import { PlusOutlined, ReloadOutlined, SendOutlined } from '@ant-design/icons';
import { Link, useSearchParams } from 'react-router-dom';
import type { CaseSummary } from '../../api/client';
import { useAbility } from '../../auth/session';
import { useCaseVocabulary, useNames } from '../../hooks/useCaseData';
import { useFetch } from '../../hooks/useFetch';
import { toTreeSelect } from '../../hooks/useJurisdictionTree';
import { useI18n } from '../../i18n';
import { fetchCases, type FilterKey, PAGE_SIZE, queryOf, type Sort, takeAhead } from './boardData';
import { caseColumns } from './caseColumns';
import { channelKey, CHANNELS } from './parts';
import './cases.css';

// only when the dispatcher opens it: keeps the modal's form and list out of the board's first load
const BulkDispatchModal = lazy(() => import('./BulkDispatchModal'));

export default function CaseBoardPage() {
  const { lang, t } = useI18n();
  const vocab = useCaseVocabulary();
  const names = useNames();
  const canAct = useAbility('case:act');
  const canCreate = useAbility('case:create');
  const [params, setParams] = useSearchParams();
  const [page, setPage] = useState({ current: 1, pageSize: PAGE_SIZE });
  const [sort, setSort] = useState<Sort>('newest');
  const [selected, setSelected] = useState<CaseSummary[]>([]);
  const [bulk, setBulk] = useState(false);
  const [q, setQ] = useState(params.get('q') ?? '');
  // rows are drawn once their names are known: no codes turning into names, one costly draw instead of several
  const ready = vocab.ready && names.ready;
  const columns = useMemo(() => caseColumns(t, lang, vocab, names), [t, lang, vocab, names]);
  const treeData = useMemo(() => (names.tree ? [toTreeSelect(names.tree, 'community')] : []), [names.tree]);

  const query = queryOf(params, page.current, page.pageSize, sort);
  const cases = useFetch(async () => {
    const res = await (takeAhead(query) ?? fetchCases(query));
    setSelected((s) => (s.length ? [] : s));
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

  const onTableChange = (p: TablePaginationConfig, _filters: unknown, sorter: unknown, extra: { action: string }) => {
    const s = Array.isArray(sorter) ? sorter[0] : sorter;
    const field = s && typeof s === 'object' && 'order' in s && s.order ? (s as { field?: unknown }).field : undefined;
    setSort(field === 'deadline' ? 'deadline' : field === 'supporterCount' ? 'supporters' : 'newest');
    // another order starts again from its first page
    setPage({ current: extra.action === 'sort' ? 1 : (p.current ?? 1), pageSize: p.pageSize ?? PAGE_SIZE });
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
          loading={cases.loading || !ready}
          dataSource={ready ? (cases.data?.items ?? []) : []}
          columns={columns}
          onChange={onTableChange}
          pagination={{ ...page, total: cases.data?.total ?? 0, showSizeChanger: true, showTotal: (n) => (cases.data?.totalCapped ? t('board.totalCapped', { n: (n - 1).toLocaleString() }) : t('board.total', { n })) }}
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
