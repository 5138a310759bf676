import type { PathOptions } from 'leaflet';

export const KIND_COLORS = { base: '#1677ff', dedicated: '#fa541c' } as const;

export function gridStyle(kind: 'base' | 'dedicated', selected: boolean): PathOptions {
  const color = KIND_COLORS[kind];
  return {
    color,
    weight: selected ? 3 : kind === 'dedicated' ? 2 : 1.5,
    opacity: 0.9,
    fillColor: color,
    fillOpacity: selected ? 0.4 : kind === 'dedicated' ? 0.25 : 0.12,
    dashArray: kind === 'dedicated' ? '6 4' : undefined,
  };
}
