import '../../messages/mediation';
import { useMemo } from 'react';
import type { EChartsCoreOption } from 'echarts/core';
import { Card, Col, Row, Statistic } from 'antd';
import { api, unwrap } from '../../api/client';
import { formatPercent } from '../../format';
import { useFetch } from '../../hooks/useFetch';
import { useI18n, type MessageKey } from '../../i18n';
import { EChart } from '../metrics/EChart';
import { labels } from './api';
import { useVocabulary } from './useVocabulary';

/** Disputes by type, path, outcome and jurisdiction; success, time to agreement, confirmation. */
export default function StatsPage() {
  const { t, lang } = useI18n();
  const vocab = useVocabulary();
  const stats = useFetch(() => unwrap(api.GET('/api/disputes/stats')), []);
  const s = stats.data;
  const charts = useMemo(() => {
    if (!s) return [];
    const named = (part: 'types' | 'paths' | 'outcomes') => (k: string) => labels(vocab, part)[k]?.[lang] ?? k;
    const bar = (rows: Array<{ key: string; count: number; name?: string }>, label: (k: string, n?: string) => string) => ({
      tooltip: {},
      grid: { left: 140, right: 20, top: 10, bottom: 20 },
      xAxis: { type: 'value', minInterval: 1 },
      yAxis: { type: 'category', data: rows.map((r) => label(r.key, r.name)) },
      series: [{ type: 'bar', data: rows.map((r) => r.count) }],
    });
    return [
      { key: 'med.byType', option: bar(s.byType, named('types')) },
      { key: 'med.byPath', option: bar(s.byPath, named('paths')) },
      { key: 'med.byOutcome', option: bar(s.byOutcome, named('outcomes')) },
      { key: 'med.byJurisdiction', option: bar(s.byJurisdiction, (k, n) => n ?? k) },
    ] as Array<{ key: MessageKey; option: EChartsCoreOption }>;
  }, [s, vocab, lang]);
  const pct = (v: number | null | undefined) => (v === null || v === undefined ? '—' : formatPercent(v));
  return (
    <Card title={t('menu.mediationStats')} loading={stats.loading}>
      <Row gutter={16} style={{ marginBottom: 16 }}>
        <Col span={6}><Statistic title={t('med.total')} value={s?.total ?? 0} /></Col>
        <Col span={6}><Statistic title={t('med.successRate')} value={pct(s?.successRate)} /></Col>
        <Col span={6}><Statistic title={t('med.avgDays')} value={s?.avgDaysToAgreement ?? '—'} /></Col>
        <Col span={6}><Statistic title={t('med.confirmationRate')} value={pct(s?.confirmationRate)} /></Col>
      </Row>
      <Row gutter={16}>
        {charts.map((c) => (
          <Col xs={24} xl={12} key={c.key}>
            <Card size="small" title={t(c.key)} style={{ marginBottom: 16 }}>
              <EChart option={c.option} height={260} testId={`chart-${c.key}`} />
            </Card>
          </Col>
        ))}
      </Row>
    </Card>
  );
}
