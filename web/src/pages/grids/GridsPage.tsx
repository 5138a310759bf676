import { useCallback, useMemo, useState } from 'react';
import { Alert, Breadcrumb, Card, Skeleton, Space, Typography } from 'antd';
import { api, unwrap, type JurisdictionNode } from '../../api/client';
import { useAbility, useUser } from '../../auth/session';
import { useFetch } from '../../hooks/useFetch';
import { useJurisdictionTree } from '../../hooks/useJurisdictionTree';
import { useI18n } from '../../i18n';
import { useLevelName, useSettings } from '../../settings';
import { GridDrawer } from './GridDrawer';
import GridMap from './GridMap';
import { JurisdictionTree } from './JurisdictionTree';
import { MapLegend } from './MapLegend';

const MAX_GRIDS = 1000;

function indexTree(root: JurisdictionNode): Map<string, JurisdictionNode> {
  const index = new Map<string, JurisdictionNode>();
  const walk = (n: JurisdictionNode) => {
    index.set(n.code, n);
    n.children.forEach(walk);
  };
  walk(root);
  return index;
}

export default function GridsPage() {
  const user = useUser();
  const canWrite = useAbility('grid:write');
  const { t } = useI18n();
  const levelName = useLevelName();
  const settings = useSettings();
  const [selected, setSelected] = useState<string>(user.jurisdictionCode);
  const [gridId, setGridId] = useState<number | null>(null);

  const tree = useJurisdictionTree();
  const index = useMemo(() => (tree.data ? indexTree(tree.data.root) : new Map<string, JurisdictionNode>()), [tree.data]);
  const current = index.get(selected) ?? tree.data?.root;
  const code = current?.code;
  const grids = useFetch(
    code ? () => unwrap(api.GET('/api/grids', { params: { query: { jurisdictionCode: code, limit: MAX_GRIDS } } })) : null,
    [code],
  );
  const detail = useFetch(code ? () => unwrap(api.GET('/api/jurisdictions/{code}', { params: { path: { code } } })) : null, [code]);
  const ancestors = detail.data?.code === code ? detail.data?.ancestors : undefined;
  const items = useMemo(() => grids.data?.items ?? [], [grids.data]);
  const communityName = useCallback((c: string) => index.get(c)?.name, [index]);

  return (
    <div style={{ display: 'flex', gap: 16, height: 'calc(100vh - 56px - 32px)', minHeight: 480 }}>
      <Card size="small" title={t('grids.tree')} style={{ width: 300, flexShrink: 0, display: 'flex', flexDirection: 'column' }} styles={{ body: { flex: 1, minHeight: 0 } }}>
        {tree.error && <Alert type="error" showIcon message={tree.error.message} />}
        {!tree.data && !tree.error && <Skeleton active />}
        {tree.data && (
          <JurisdictionTree
            root={tree.data.root}
            selected={code ?? ''}
            onSelect={(c) => {
              setSelected(c);
              setGridId(null);
            }}
          />
        )}
      </Card>
      <Card
        size="small"
        style={{ flex: 1, minWidth: 0, display: 'flex', flexDirection: 'column' }}
        styles={{ body: { flex: 1, minHeight: 0, padding: 0, position: 'relative' } }}
        title={
          <Space size={8}>
            <Breadcrumb
              items={[...(ancestors ?? []), ...(current ? [current] : [])].map((a) => ({
                // ancestors above the user's scope are shown but cannot be opened
                title: index.has(a.code) ? (
                  <a onClick={() => setSelected(a.code)} data-testid={`crumb-${a.code}`}>
                    {a.name}
                  </a>
                ) : (
                  a.name
                ),
              }))}
            />
            {current && <Typography.Text type="secondary">{levelName(current.level)}</Typography.Text>}
          </Space>
        }
        extra={<Typography.Text type="secondary">{t('grids.locateHint')}</Typography.Text>}
      >
        {grids.error && <Alert type="error" showIcon message={grids.error.message} style={{ position: 'absolute', top: 8, left: 56, right: 8, zIndex: 1000 }} />}
        {grids.data && grids.data.total > items.length && (
          <Alert type="warning" showIcon message={t('grids.truncated', { n: items.length, total: grids.data.total })} style={{ position: 'absolute', top: 8, left: 56, zIndex: 1000 }} />
        )}
        <GridMap
          grids={items}
          fitKey={grids.data && !grids.loading ? (code ?? '') : ''}
          coordSystem={settings.mapCoordSystem}
          tileUrl={settings.mapTileUrl}
          tileAttribution={settings.mapTileAttribution}
          selectedId={gridId}
          onSelect={setGridId}
        />
        <MapLegend grids={items} total={grids.data?.total ?? 0} loading={grids.loading} />
      </Card>
      <GridDrawer gridId={gridId} canWrite={canWrite} communityName={communityName} onClose={() => setGridId(null)} onChanged={grids.reload} />
    </div>
  );
}
