import { Spin } from 'antd';
import type { Grid } from '../../api/client';
import { useI18n } from '../../i18n';
import { KIND_COLORS } from './style';

function Swatch({ kind }: { kind: 'base' | 'dedicated' }) {
  const color = KIND_COLORS[kind];
  return (
    <span
      style={{
        display: 'inline-block',
        width: 16,
        height: 12,
        marginRight: 6,
        verticalAlign: -1,
        background: color + (kind === 'base' ? '1f' : '40'),
        border: `2px ${kind === 'base' ? 'solid' : 'dashed'} ${color}`,
      }}
    />
  );
}

export function MapLegend({ grids, total, loading }: { grids: Grid[]; total: number; loading: boolean }) {
  const { t } = useI18n();
  const base = grids.filter((g) => g.kind === 'base').length;
  const dedicated = grids.length - base;
  return (
    <div
      data-testid="grid-legend"
      style={{
        position: 'absolute',
        left: 12,
        bottom: 12,
        zIndex: 1000,
        background: 'rgba(255,255,255,0.95)',
        borderRadius: 6,
        boxShadow: '0 1px 4px rgba(0,0,0,0.15)',
        padding: '8px 12px',
        fontSize: 12,
        lineHeight: '22px',
      }}
    >
      <div style={{ fontWeight: 600 }}>
        {t('grids.legend')} {loading && <Spin size="small" style={{ marginLeft: 6 }} />}
      </div>
      <div>
        <Swatch kind="base" />
        {t('grids.kind.base')} · {base}
      </div>
      <div>
        <Swatch kind="dedicated" />
        {t('grids.kind.dedicated')} · {dedicated}
      </div>
      <div data-testid="grid-count" style={{ marginTop: 2, fontWeight: 600 }}>
        {t('grids.count', { n: total })}
      </div>
    </div>
  );
}
