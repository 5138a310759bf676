import '../../messages/metrics';
import { useMemo, useState } from 'react';
import { Alert, Card, Col, DatePicker, Row, Segmented, Space, Statistic, Table, TreeSelect, Typography } from 'antd';
import dayjs, { type Dayjs } from 'dayjs';
import { api, unwrap, type CaseMetricsQuery, type CaseMetricsRow } from '../../api/client';
import { useUser } from '../../auth/session';
import { formatPercent } from '../../format';
import { useFetch } from '../../hooks/useFetch';
import { toTreeSelect, useJurisdictionTree } from '../../hooks/useJurisdictionTree';
import { useI18n, type MessageKey } from '../../i18n';
import { useLevelName } from '../../settings';
import { localDay } from '../../time';
import { EChart } from './EChart';

type GroupBy = Exclude<CaseMetricsQuery['groupBy'], 'period'>;
type Period = NonNullable<CaseMetricsQuery['period']>;
type RateField = 'responseRate' | 'resolutionRate' | 'satisfactionRate' | 'closureRate' | 'onTimeRate' | 'reworkRate' | 'extensionRate';
type CountField = Exclude<keyof CaseMetricsRow, RateField | 'key' | 'label'>;

const HOTLINE_RATES: RateField[] = ['responseRate', 'resolutionRate', 'satisfactionRate'];
const OTHER_RATES: RateField[] = ['closureRate', 'onTimeRate', 'reworkRate', 'extensionRate'];
const COUNTS: CountField[] = ['registered', 'dispatched', 'responded', 'closed', 'resolved', 'rated', 'satisfied', 'basicallySatisfied', 'unsatisfied', 'onTime', 'openOverdue', 'reworked', 'extended'];
const COLORS: Record<RateField, string> = {
  responseRate: '#1677ff',
  resolutionRate: '#52c41a',
  satisfactionRate: '#fa8c16',
  closureRate: '#13c2c2',
  onTimeRate: '#2f54eb',
  reworkRate: '#f5222d',
  extensionRate: '#722ed1',
};

const rateKey = (f: RateField) => `metrics.${f}` as MessageKey;
const countKey = (f: CountField) => `metrics.count.${f}` as MessageKey;
const DAY = 'YYYY-MM-DD';
/** Today's local date (time.ts), as a day of the picker. */
const today = () => dayjs(localDay());
const pct = (v: number | null) => (v === null ? null : Math.round(v * 1000) / 10);

function barOption(rows: CaseMetricsRow[], fields: RateField[], name: (f: RateField) => string) {
  return {
    color: fields.map((f) => COLORS[f]),
    tooltip: { trigger: 'axis', valueFormatter: (v: unknown) => (typeof v === 'number' ? `${v}%` : '—') },
    legend: { top: 0 },
    grid: { left: 48, right: 16, top: 36, bottom: rows.length > 8 ? 64 : 32 },
    xAxis: { type: 'category', data: rows.map((r) => r.label), axisLabel: { interval: 0, rotate: rows.length > 8 ? 30 : 0 } },
    yAxis: { type: 'value', min: 0, max: 100, axisLabel: { formatter: '{value}%' } },
    ...(rows.length > 15 ? { dataZoom: [{ type: 'slider', start: 0, end: Math.round((15 / rows.length) * 100), height: 16, bottom: 4 }] } : {}),
    series: fields.map((f) => ({ name: name(f), type: 'bar', barMaxWidth: 28, data: rows.map((r) => pct(r[f])) })),
  };
}

export default function MetricsPage() {
  const { t } = useI18n();
  const user = useUser();
  const levelName = useLevelName();
  const tree = useJurisdictionTree();
  const [groupBy, setGroupBy] = useState<GroupBy>(user.jurisdictionLevel === 'city' ? 'district' : user.jurisdictionLevel === 'district' ? 'street' : 'department');
  const [period, setPeriod] = useState<Period>('week');
  const [range, setRange] = useState<[Dayjs, Dayjs]>(() => [today().subtract(89, 'day'), today()]);
  const [jurisdictionCode, setJurisdictionCode] = useState(user.jurisdictionCode);
  const treeData = useMemo(() => (tree.data ? [toTreeSelect(tree.data.root, 'street')] : []), [tree.data]);
  const from = range[0].format(DAY);
  const to = range[1].format(DAY);

  const grouped = useFetch(() => unwrap(api.GET('/api/metrics/cases', { params: { query: { groupBy, from, to, jurisdictionCode } } })), [groupBy, from, to, jurisdictionCode]);
  const trend = useFetch(() => unwrap(api.GET('/api/metrics/cases', { params: { query: { groupBy: 'period', period, from, to, jurisdictionCode } } })), [period, from, to, jurisdictionCode]);

  const rows = useMemo(() => (grouped.data?.items ?? []).filter((r) => r.registered > 0), [grouped.data]);
  const total = grouped.data?.total;
  const name = (f: RateField) => t(rateKey(f));

  const hotline = useMemo(() => barOption(rows, HOTLINE_RATES, name), [rows, t]); // eslint-disable-line react-hooks/exhaustive-deps
  const others = useMemo(() => barOption(rows, OTHER_RATES, name), [rows, t]); // eslint-disable-line react-hooks/exhaustive-deps
  const trendOption = useMemo(() => {
    const items = trend.data?.items ?? [];
    return {
      tooltip: { trigger: 'axis' },
      legend: { top: 0 },
      grid: { left: 48, right: 48, top: 36, bottom: 28 },
      xAxis: { type: 'category', data: items.map((r) => r.label) },
      yAxis: [
        { type: 'value', min: 0, max: 100, axisLabel: { formatter: '{value}%' } },
        { type: 'value', minInterval: 1, splitLine: { show: false }, name: t('metrics.count.registered') },
      ],
      series: [
        { name: t('metrics.count.registered'), type: 'bar', yAxisIndex: 1, barMaxWidth: 18, data: items.map((r) => r.registered), itemStyle: { color: '#bae0ff' }, z: 1 },
        ...HOTLINE_RATES.map((f) => ({ name: name(f), type: 'line', smooth: true, itemStyle: { color: COLORS[f] }, lineStyle: { color: COLORS[f] }, connectNulls: true, data: items.map((r) => pct(r[f])), tooltip: { valueFormatter: (v: unknown) => (typeof v === 'number' ? `${v}%` : '—') } })),
      ],
    };
  }, [trend.data, t]); // eslint-disable-line react-hooks/exhaustive-deps

  const groupOptions: Array<{ value: GroupBy; label: string }> = [
    { value: 'district', label: levelName('district') },
    { value: 'street', label: levelName('street') },
    { value: 'community', label: levelName('community') },
    { value: 'department', label: t('metrics.by.department') },
    { value: 'matter', label: t('metrics.by.matter') },
    { value: 'channel', label: t('metrics.by.channel') },
  ];

  const columns = [
    { title: groupOptions.find((o) => o.value === groupBy)?.label ?? '', dataIndex: 'label', fixed: 'left' as const, width: 160 },
    ...COUNTS.map((f) => ({ title: t(countKey(f)), dataIndex: f, width: 80, align: 'right' as const })),
    ...[...HOTLINE_RATES, ...OTHER_RATES].map((f) => ({
      title: t(rateKey(f)),
      dataIndex: f,
      width: 96,
      align: 'right' as const,
      render: (v: number | null) => formatPercent(v),
    })),
  ];

  const error = grouped.error ?? trend.error;

  return (
    <Space direction="vertical" size={16} style={{ width: '100%' }} data-testid="metrics">
      <Card size="small">
        <Space wrap size={[16, 8]}>
          <Space>
            <Typography.Text type="secondary">{t('metrics.jurisdiction')}</Typography.Text>
            <TreeSelect
              style={{ width: 220 }}
              value={jurisdictionCode}
              onChange={(v: string) => setJurisdictionCode(v ?? user.jurisdictionCode)}
              treeData={treeData}
              showSearch
              treeNodeFilterProp="title"
              treeDefaultExpandedKeys={[user.jurisdictionCode]}
              data-testid="metrics-jurisdiction"
            />
          </Space>
          <Space>
            <Typography.Text type="secondary">{t('metrics.window')}</Typography.Text>
            <DatePicker.RangePicker
              value={range}
              allowClear={false}
              disabledDate={(d) => d.isAfter(today(), 'day')}
              onChange={(v) => v && v[0] && v[1] && setRange([v[0], v[1]])}
              presets={[
                { label: t('metrics.last7'), value: [today().subtract(6, 'day'), today()] },
                { label: t('metrics.last30'), value: [today().subtract(29, 'day'), today()] },
                { label: t('metrics.thisMonth'), value: [today().startOf('month'), today()] },
                { label: t('metrics.last90'), value: [today().subtract(89, 'day'), today()] },
                { label: t('metrics.thisYear'), value: [today().startOf('year'), today()] },
              ]}
              data-testid="metrics-window"
            />
          </Space>
          <Space>
            <Typography.Text type="secondary">{t('metrics.groupBy')}</Typography.Text>
            <Segmented<GroupBy> value={groupBy} onChange={setGroupBy} options={groupOptions} data-testid="metrics-group-by" />
          </Space>
        </Space>
      </Card>
      {error && <Alert type="error" showIcon message={error.message} />}
      <Row gutter={[16, 16]}>
        {[...HOTLINE_RATES, 'closureRate' as const, 'onTimeRate' as const].map((f) => (
          <Col key={f} xs={12} md={8} xl={4}>
            <Card size="small" loading={grouped.loading && !total}>
              <Statistic title={t(rateKey(f))} value={total ? formatPercent(total[f]) : '—'} valueStyle={{ color: COLORS[f] }} />
            </Card>
          </Col>
        ))}
        <Col xs={12} md={8} xl={4}>
          <Card size="small" loading={grouped.loading && !total}>
            <Statistic title={t('metrics.count.registered')} value={total?.registered ?? 0} data-testid="metrics-registered" />
          </Card>
        </Col>
      </Row>
      <Row gutter={[16, 16]}>
        <Col xs={24} xl={12}>
          <Card size="small" title={t('metrics.hotlineRates')} loading={grouped.loading && !grouped.data}>
            {rows.length === 0 ? <Typography.Text type="secondary">{t('metrics.noData')}</Typography.Text> : <EChart option={hotline} testId="metrics-chart-hotline" />}
          </Card>
        </Col>
        <Col xs={24} xl={12}>
          <Card size="small" title={t('metrics.otherRates')} loading={grouped.loading && !grouped.data}>
            {rows.length === 0 ? <Typography.Text type="secondary">{t('metrics.noData')}</Typography.Text> : <EChart option={others} testId="metrics-chart-other" />}
          </Card>
        </Col>
      </Row>
      <Card
        size="small"
        title={t('metrics.trend')}
        extra={
          <Segmented<Period>
            size="small"
            value={period}
            onChange={setPeriod}
            options={[
              { value: 'day', label: t('metrics.period.day') },
              { value: 'week', label: t('metrics.period.week') },
              { value: 'month', label: t('metrics.period.month') },
            ]}
          />
        }
      >
        <EChart option={trendOption} height={280} testId="metrics-chart-trend" />
      </Card>
      <Card size="small" title={t('metrics.table')} extra={<Typography.Text type="secondary">{t('metrics.definitionHint')}</Typography.Text>}>
        <Table<CaseMetricsRow>
          size="small"
          rowKey={(r) => r.key ?? '∅'}
          loading={grouped.loading}
          dataSource={grouped.data?.items ?? []}
          columns={columns}
          scroll={{ x: 'max-content' }}
          pagination={false}
          data-testid="metrics-table"
          summary={() =>
            total ? (
              <Table.Summary fixed>
                <Table.Summary.Row style={{ fontWeight: 600 }}>
                  <Table.Summary.Cell index={0}>{t('metrics.total')}</Table.Summary.Cell>
                  {COUNTS.map((f, i) => (
                    <Table.Summary.Cell key={f} index={i + 1} align="right">
                      {total[f]}
                    </Table.Summary.Cell>
                  ))}
                  {[...HOTLINE_RATES, ...OTHER_RATES].map((f, i) => (
                    <Table.Summary.Cell key={f} index={COUNTS.length + i + 1} align="right">
                      {formatPercent(total[f])}
                    </Table.Summary.Cell>
                  ))}
                </Table.Summary.Row>
              </Table.Summary>
            ) : null
          }
        />
      </Card>
    </Space>
  );
}
