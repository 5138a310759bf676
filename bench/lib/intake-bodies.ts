// Realistic intake bodies for the demo city: points inside its base grids, its matter types, Chinese text
// of a typical hotline record, a reporter with a phone. Deterministic for a seed.
import { GridIndex } from '../../server/src/modules/grids/spatial-index.js';
import type { GeoJsonPolygon } from '../../server/src/db/schema.js';
import { mulberry32 } from '../../server/src/demo/random.js';

interface ApiGrid {
  id: number;
  code: string;
  kind: 'base' | 'dedicated';
  communityCode: string;
  geometry: GeoJsonPolygon;
}

export interface IntakeBody {
  channel: string;
  title: string;
  description: string;
  matterTypeCode?: string;
  location: { lng: number; lat: number };
  address: string;
  reporter: { name: string; phone: string };
}

const TOPICS = [
  ['小区门口占道经营', '每天傍晚有摊贩在小区北门占道经营，堵塞消防通道，油烟扰民，已持续两周，请相关部门处理。'],
  ['路灯损坏', '小区东侧道路有三盏路灯不亮，夜间行人经过很不安全，希望尽快维修。'],
  ['噪音扰民', '附近工地夜间十点后仍在施工，噪音很大，影响老人和孩子休息，请查处。'],
  ['垃圾清运不及时', '楼下垃圾桶已经满溢三天没人清运，气味很大，夏天容易滋生蚊虫。'],
  ['井盖缺失', '人行道上一处井盖缺失，已有路人险些跌倒，请尽快补装并设置警示。'],
  ['邻里纠纷', '楼上住户长期在楼道堆放杂物，协商无果，双方多次发生口角，请社区调解。'],
  ['违规停车', '消防通道长期被私家车占用，物业劝阻无效，存在严重安全隐患。'],
  ['供暖不热', '家中暖气温度只有十五度左右，多次联系热力公司未解决，请督促处理。'],
] as const;
const SURNAMES = '王李张刘陈杨赵黄周吴徐孙胡朱高林何郭马罗';
const GIVEN = '伟芳娜敏静丽强磊军洋勇艳杰娟涛明超秀霞平刚桂';


/** Loads the demo city's grids and matter types through the API and returns a generator of bodies. */
export async function intakeBodies(url: string, cookie: string, seed = 1): Promise<() => IntakeBody> {
  const get = async <T>(path: string): Promise<T> => {
    const res = await fetch(`${url}${path}`, { headers: { cookie } });
    if (!res.ok) throw new Error(`GET ${path}: ${res.status} ${await res.text()}`);
    return (await res.json()) as T;
  };
  const grids = (await get<{ items: ApiGrid[] }>('/api/grids?limit=1000&kind=base')).items;
  const matters = (await get<{ items: Array<{ code: string; active: boolean }> }>('/api/matter-types?limit=1000')).items.filter((m) => m.active);
  if (!grids.length || !matters.length) throw new Error('the demo city has no grids or matter types');
  const index = new GridIndex(grids.map((g) => ({ id: g.id, code: g.code, kind: g.kind, communityCode: g.communityCode, geometry: g.geometry })));
  const random = mulberry32(seed);
  const pick = <T>(xs: readonly T[]): T => xs[Math.floor(random() * xs.length)]!;
  const pointIn = (g: ApiGrid) => {
    const ring = g.geometry.coordinates[0]!;
    const xs = ring.map((p) => p[0]!);
    const ys = ring.map((p) => p[1]!);
    const [minX, maxX, minY, maxY] = [Math.min(...xs), Math.max(...xs), Math.min(...ys), Math.max(...ys)];
    for (;;) {
      const lng = minX + random() * (maxX - minX);
      const lat = minY + random() * (maxY - minY);
      if (index.locate(lng, lat)) return { lng: Math.round(lng * 1e6) / 1e6, lat: Math.round(lat * 1e6) / 1e6 };
    }
  };
  let n = 0;
  return () => {
    n++;
    const [title, description] = pick(TOPICS);
    const grid = pick(grids);
    return {
      channel: pick(['hotline', 'hotline', 'hotline', 'grid', 'portal']),
      title: `${title}（第${n}件）`,
      description,
      // one in ten arrives unclassified: the centre classifies it and the matter is suggested from the text
      ...(random() < 0.9 ? { matterTypeCode: pick(matters).code } : {}),
      location: pointIn(grid),
      address: `青河市${grid.code.slice(-3)}号院${1 + Math.floor(random() * 30)}栋`,
      reporter: { name: `${pick([...SURNAMES])}${pick([...GIVEN])}`, phone: `1${pick(['38', '39', '58', '86', '77'])}${String(Math.floor(random() * 1e8)).padStart(8, '0')}` },
    };
  };
}
