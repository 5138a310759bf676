import { useState } from 'react';
import { Popup, useMapEvents } from 'react-leaflet';
import type { LatLngTuple } from 'leaflet';
import { Button, Space, Spin, Typography } from 'antd';
import { api, ApiError, unwrap, type GridLocation } from '../../api/client';
import { useI18n } from '../../i18n';
import { useLevelName } from '../../settings';
import { fromDisplay, type CoordSystem } from './coords';

type State = { at: LatLngTuple; result?: GridLocation; error?: string };

/** Click on the map (outside any polygon) → which grid, community, street and district the point belongs to. */
export function LocatePopup({ coordSystem, onSelect }: { coordSystem: CoordSystem; onSelect: (id: number) => void }) {
  const { t } = useI18n();
  const levelName = useLevelName();
  const [state, setState] = useState<State | null>(null);

  useMapEvents({
    click(e) {
      const at: LatLngTuple = [e.latlng.lat, e.latlng.lng];
      const [lng, lat] = fromDisplay(coordSystem, e.latlng.lat, e.latlng.lng);
      setState({ at });
      unwrap(api.GET('/api/grids/locate', { params: { query: { lng: round(lng), lat: round(lat) } } })).then(
        (result) => setState((s) => (s?.at === at ? { at, result } : s)),
        (err: unknown) => setState((s) => (s?.at === at ? { at, error: err instanceof ApiError ? err.message : String(err) } : s)),
      );
    },
  });

  if (!state) return null;
  const r = state.result;
  return (
    <Popup position={state.at} eventHandlers={{ remove: () => setState(null) }}>
      <div data-testid="locate-popup" style={{ minWidth: 180 }}>
        {!r && !state.error && (
          <Space>
            <Spin size="small" />
            {t('grids.locating')}
          </Space>
        )}
        {state.error && <Typography.Text type="secondary">{state.error}</Typography.Text>}
        {r && (
          <>
            <div>
              <b>{r.grid.name}</b>（{r.grid.code}）
            </div>
            <div>
              {levelName('district')}：{r.district.name}
            </div>
            <div>
              {levelName('street')}：{r.street.name}
            </div>
            <div>
              {levelName('community')}：{r.community.name}
            </div>
            <Button size="small" type="link" style={{ padding: 0 }} onClick={() => onSelect(r.grid.id)}>
              {t('grids.details')}
            </Button>
          </>
        )}
      </div>
    </Popup>
  );
}

function round(n: number): number {
  return Math.round(n * 1e7) / 1e7;
}
