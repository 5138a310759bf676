import { useEffect, useMemo, useRef } from 'react';
import { CircleMarker, MapContainer, Polygon, TileLayer, Tooltip, useMap, useMapEvents } from 'react-leaflet';
import { latLngBounds, type LatLngTuple } from 'leaflet';
import 'leaflet/dist/leaflet.css';
import type { Grid } from '../../api/client';
import { useSettings } from '../../settings';
import { fromDisplay, polygonPositions, toDisplay } from '../grids/coords';

export interface Point {
  lng: number;
  lat: number;
}

interface Props {
  /** grids drawn as a backdrop (the user's jurisdiction at intake, the case's grid on the case page) */
  grids?: Grid[];
  highlightGridId?: number | null;
  point?: Point | null;
  /** set: clicking the map picks a point (WGS84) */
  onPick?: (p: Point) => void;
  height?: number | string;
  testId?: string;
}

const CHINA_CENTER: LatLngTuple = [35, 105];

/**
 * The map's current view on its container as `data-bounds="west,south,east,north"` (display coordinates) and
 * `data-zoom`: lets browser tests turn a coordinate into the pixel to click.
 */
function ExposeView({ target }: { target: React.RefObject<HTMLDivElement> }) {
  const map = useMap();
  useEffect(() => {
    const write = () => {
      const b = map.getBounds();
      const el = target.current;
      if (!el) return;
      el.dataset.bounds = [b.getWest(), b.getSouth(), b.getEast(), b.getNorth()].map((n) => n.toFixed(7)).join(',');
      el.dataset.zoom = String(map.getZoom());
    };
    write();
    map.on('moveend zoomend resize', write);
    return () => {
      map.off('moveend zoomend resize', write);
    };
  }, [map, target]);
  return null;
}

function Fit({ shapes, point, fitKey }: { shapes: LatLngTuple[][][]; point: LatLngTuple | null; fitKey: string }) {
  const map = useMap();
  const fitted = useRef<string | null>(null);
  useEffect(() => {
    if (fitted.current === fitKey) return;
    const points = shapes.flatMap((rings) => rings[0] ?? []);
    if (points.length > 0) {
      map.fitBounds(latLngBounds(points), { padding: [12, 12], maxZoom: 16, animate: false });
    } else if (point) {
      map.setView(point, 16, { animate: false });
    } else return;
    fitted.current = fitKey;
  }, [map, shapes, point, fitKey]);
  return null;
}

function Picker({ onPick, coordSystem }: { onPick: (p: Point) => void; coordSystem: 'WGS84' | 'GCJ02' }) {
  useMapEvents({
    click(e) {
      const [lng, lat] = fromDisplay(coordSystem, e.latlng.lat, e.latlng.lng);
      onPick({ lng: round(lng), lat: round(lat) });
    },
  });
  return null;
}

function AutoResize({ target }: { target: React.RefObject<HTMLDivElement> }) {
  const map = useMap();
  useEffect(() => {
    const el = target.current;
    if (!el || typeof ResizeObserver === 'undefined') return;
    const observer = new ResizeObserver(() => map.invalidateSize());
    observer.observe(el);
    return () => observer.disconnect();
  }, [map, target]);
  return null;
}

export default function CaseMap({ grids = [], highlightGridId = null, point = null, onPick, height = 320, testId }: Props) {
  const settings = useSettings();
  const coordSystem = settings.mapCoordSystem;
  const container = useRef<HTMLDivElement>(null);
  const shapes = useMemo(() => grids.map((g) => polygonPositions(coordSystem, g.geometry.coordinates)), [grids, coordSystem]);
  const shown = point ? toDisplay(coordSystem, point.lng, point.lat) : null;
  // fit once to the grids when they arrive; with no grids, once to the point
  const fitKey = grids.length > 0 ? `g${grids.length}:${grids[0]!.id}` : shown ? 'p' : '';

  return (
    <div ref={container} data-testid={testId} style={{ height, width: '100%', cursor: onPick ? 'crosshair' : undefined }}>
      <MapContainer
        center={CHINA_CENTER}
        zoom={4}
        zoomSnap={0.25}
        zoomDelta={0.5}
        style={{ height: '100%', width: '100%', background: settings.mapTileUrl ? undefined : '#f4f6f9', cursor: 'inherit' }}
        attributionControl={Boolean(settings.mapTileUrl)}
        keyboard={false}
      >
        {settings.mapTileUrl && <TileLayer url={settings.mapTileUrl} attribution={settings.mapTileAttribution} maxZoom={18} />}
        {grids.map((g, i) => {
          const on = g.id === highlightGridId;
          return (
            <Polygon
              key={`${g.id}:${g.version}:${coordSystem}:${on ? 1 : 0}`}
              positions={shapes[i]!}
              className={`zhili-case-grid zhili-case-grid-${g.code}`}
              pathOptions={{ color: on ? '#fa541c' : '#1677ff', weight: on ? 2.5 : 1, opacity: 0.8, fillColor: on ? '#fa541c' : '#1677ff', fillOpacity: on ? 0.25 : 0.06 }}
            >
              <Tooltip sticky>
                {g.name}（{g.code}）
              </Tooltip>
            </Polygon>
          );
        })}
        {shown && <CircleMarker center={shown} radius={8} pathOptions={{ color: '#fff', weight: 2, fillColor: '#f5222d', fillOpacity: 1 }} interactive={false} />}
        <Fit shapes={shapes} point={shown} fitKey={fitKey} />
        <AutoResize target={container} />
        <ExposeView target={container} />
        {onPick && <Picker onPick={onPick} coordSystem={coordSystem} />}
      </MapContainer>
    </div>
  );
}

function round(n: number): number {
  return Math.round(n * 1e7) / 1e7;
}
