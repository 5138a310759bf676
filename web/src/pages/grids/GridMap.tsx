import { useEffect, useMemo, useRef } from 'react';
import { MapContainer, Polygon, TileLayer, Tooltip, useMap } from 'react-leaflet';
import { latLngBounds, type LatLngTuple } from 'leaflet';
import 'leaflet/dist/leaflet.css';
import type { Grid } from '../../api/client';
import { polygonPositions, type CoordSystem } from './coords';
import { LocatePopup } from './LocatePopup';
import { gridStyle } from './style';

interface Props {
  grids: Grid[];
  /** changes when another jurisdiction is shown: the map then fits its grids */
  fitKey: string;
  coordSystem: CoordSystem;
  tileUrl: string;
  tileAttribution: string;
  selectedId: number | null;
  onSelect: (id: number) => void;
}

const CHINA_CENTER: LatLngTuple = [35, 105];

/** Fits the view to the grids of a newly chosen jurisdiction; a reload after an edit keeps the user's view. */
function FitBounds({ shapes, fitKey }: { shapes: LatLngTuple[][][]; fitKey: string }) {
  const map = useMap();
  const fitted = useRef<string | null>(null);
  useEffect(() => {
    const points = shapes.flatMap((rings) => rings[0] ?? []);
    if (!fitKey || points.length === 0 || fitted.current === fitKey) return;
    fitted.current = fitKey;
    map.fitBounds(latLngBounds(points), { padding: [24, 24], maxZoom: 17 });
  }, [map, shapes, fitKey]);
  return null;
}

/** Keeps Leaflet's idea of the container size right when the page layout changes. */
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

export default function GridMap({ grids, fitKey, coordSystem, tileUrl, tileAttribution, selectedId, onSelect }: Props) {
  const container = useRef<HTMLDivElement>(null);
  // dedicated grids are drawn last so that they sit above the base grid around them and take the click
  const ordered = useMemo(() => [...grids].sort((a, b) => (a.kind === b.kind ? 0 : a.kind === 'base' ? -1 : 1)), [grids]);
  const shapes = useMemo(() => ordered.map((g) => polygonPositions(coordSystem, g.geometry.coordinates)), [ordered, coordSystem]);

  return (
    <div ref={container} data-testid="grid-map" style={{ height: '100%', width: '100%' }}>
      <MapContainer
        center={CHINA_CENTER}
        zoom={4}
        zoomSnap={0.25}
        zoomDelta={0.5}
        wheelPxPerZoomLevel={120}
        style={{ height: '100%', width: '100%', background: tileUrl ? undefined : '#f4f6f9' }}
        attributionControl={Boolean(tileUrl)}
      >
        {tileUrl && <TileLayer url={tileUrl} attribution={tileAttribution} maxZoom={18} />}
        {ordered.map((g, i) => (
          <Polygon
            key={`${g.id}:${g.version}:${coordSystem}`}
            positions={shapes[i]!}
            className={`zhili-grid zhili-grid-${g.code}`}
            pathOptions={gridStyle(g.kind, g.id === selectedId)}
            bubblingMouseEvents={false}
            eventHandlers={{ click: () => onSelect(g.id) }}
          >
            <Tooltip sticky>
              {g.name}（{g.code}）
            </Tooltip>
          </Polygon>
        ))}
        <FitBounds shapes={shapes} fitKey={fitKey} />
        <AutoResize target={container} />
        <LocatePopup coordSystem={coordSystem} onSelect={onSelect} />
      </MapContainer>
    </div>
  );
}
