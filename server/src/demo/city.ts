import type { GeoJsonPolygon, JurisdictionLevel } from '../db/schema.js';
import type { Role } from '../modules/auth/index.js';
import { mulberry32 } from './random.js';

/**
 * 青河市, a fictional city for trying Zhili: 3 districts, 12 streets, 60 communities, 300 base grids
 * that tile the communities exactly (one jittered lattice, so neighbours share their edges), 20 dedicated grids.
 * Codes follow the national pattern under the unused province prefix 99, so they never clash with a real city.
 */
export const DEMO_CITY_CODE = '990100';

const ORIGIN = { lng: 111.55, lat: 40.76 };
const CELL = { dx: 0.01, dy: 0.008 };
const COLS = 30; // 3 districts × 2 streets × 5 cells
const ROWS = 10; // 2 streets × 5 communities (one row of 5 cells each)

const DISTRICTS = ['青河区', '兴安区', '临川区'];
const STREETS = ['东关街道', '西关街道', '南湖街道', '北苑街道', '文昌街道', '新华街道', '滨河街道', '长青街道', '和平街道', '振兴街道', '金桥街道', '团结街道'];
const COMMUNITY_A = ['安', '福', '康', '宁', '和', '兴', '庆', '丰', '泰', '祥', '瑞', '嘉'];
const COMMUNITY_B = ['居', '园', '苑', '里', '馨', '欣', '华', '新', '兰', '桥'];

export interface DemoJurisdiction {
  code: string;
  name: string;
  level: JurisdictionLevel;
  parentCode: string | null;
}

export interface DemoGrid {
  code: string;
  name: string;
  kind: 'base' | 'dedicated';
  category: string | null;
  communityCode: string;
  geometry: GeoJsonPolygon;
}

export interface DemoAccount {
  username: string;
  displayName: string;
  roles: Role[];
  /** where the account sits: a path of indices into the demo tree, resolved by the seed */
  jurisdictionCode: string;
  departmentKind?: string;
  note: { zh: string; en: string };
}

const pad = (n: number, width: number) => String(n).padStart(width, '0');


const round = (v: number) => Math.round(v * 1e7) / 1e7;

/** Lattice points; interior points jittered so grids look like city blocks, the outline stays straight. */
function lattice(): number[][][] {
  const rand = mulberry32(20261121);
  const points: number[][][] = [];
  for (let i = 0; i <= COLS; i++) {
    points.push([]);
    for (let j = 0; j <= ROWS; j++) {
      const interiorX = i > 0 && i < COLS;
      const interiorY = j > 0 && j < ROWS;
      const jx = interiorX ? (rand() - 0.5) * 0.4 * CELL.dx : 0;
      const jy = interiorY ? (rand() - 0.5) * 0.4 * CELL.dy : 0;
      points[i]!.push([round(ORIGIN.lng + i * CELL.dx + jx), round(ORIGIN.lat + j * CELL.dy + jy)]);
    }
  }
  return points;
}

function cellPolygon(p: number[][][], i: number, j: number): GeoJsonPolygon {
  const ring = [p[i]![j]!, p[i + 1]![j]!, p[i + 1]![j + 1]!, p[i]![j + 1]!, p[i]![j]!];
  return { type: 'Polygon', coordinates: [ring.map((pt) => [...pt])] };
}

function smallSquare(center: number[], half: { dx: number; dy: number }): GeoJsonPolygon {
  const [x, y] = center as [number, number];
  const ring = [
    [x - half.dx, y - half.dy],
    [x + half.dx, y - half.dy],
    [x + half.dx, y + half.dy],
    [x - half.dx, y + half.dy],
    [x - half.dx, y - half.dy],
  ].map(([a, b]) => [round(a!), round(b!)]);
  return { type: 'Polygon', coordinates: [ring] };
}

const DEDICATED: Array<{ name: string; category: string }> = [
  { name: '青河市第一中学', category: 'school' },
  { name: '青河市人民医院', category: 'hospital' },
  { name: '滨河公园', category: 'park' },
  { name: '青河经济技术开发区产业园', category: 'industrial_park' },
  { name: '青河区行政中心', category: 'government' },
  { name: '锦绣家园小区', category: 'compound' },
  { name: '兴安区实验小学', category: 'school' },
  { name: '兴安区中医院', category: 'hospital' },
  { name: '人民广场', category: 'park' },
  { name: '兴安物流园', category: 'industrial_park' },
  { name: '兴安区行政中心', category: 'government' },
  { name: '阳光花园小区', category: 'compound' },
  { name: '临川第三中学', category: 'school' },
  { name: '临川区妇幼保健院', category: 'hospital' },
  { name: '湿地公园', category: 'park' },
  { name: '临川科技园', category: 'industrial_park' },
  { name: '临川区行政中心', category: 'government' },
  { name: '长青农贸市场', category: 'market' },
  { name: '青河火车站', category: 'transport_hub' },
  { name: '青河古城景区', category: 'scenic_area' },
];

export function demoCity(): { jurisdictions: DemoJurisdiction[]; grids: DemoGrid[] } {
  const p = lattice();
  const jurisdictions: DemoJurisdiction[] = [{ code: DEMO_CITY_CODE, name: '青河市', level: 'city', parentCode: null }];
  const grids: DemoGrid[] = [];
  const communityOfCell = new Map<string, string>();
  let communityNo = 0;
  DISTRICTS.forEach((districtName, d) => {
    const districtCode = `9901${pad(d + 2, 2)}`;
    jurisdictions.push({ code: districtCode, name: districtName, level: 'district', parentCode: DEMO_CITY_CODE });
    for (let s = 0; s < 4; s++) {
      const streetCode = `${districtCode}${pad(s + 1, 3)}000`;
      jurisdictions.push({ code: streetCode, name: STREETS[d * 4 + s]!, level: 'street', parentCode: districtCode });
      // a district is 2 × 2 streets; a street is 5 × 5 cells; a community is one row of 5 cells
      const col0 = d * 10 + (s % 2) * 5;
      const row0 = Math.floor(s / 2) * 5;
      for (let c = 0; c < 5; c++) {
        const communityCode = `${streetCode.slice(0, 9)}${pad(c + 1, 3)}`;
        const name = `${COMMUNITY_A[communityNo % 12]}${COMMUNITY_B[Math.floor(communityNo / 12) % 10]}社区`;
        communityNo++;
        jurisdictions.push({ code: communityCode, name, level: 'community', parentCode: streetCode });
        for (let g = 0; g < 5; g++) {
          const i = col0 + g;
          const j = row0 + c;
          communityOfCell.set(`${i},${j}`, communityCode);
          grids.push({
            code: `${communityCode}${pad(g + 1, 3)}`,
            name: `${name}第${g + 1}网格`,
            kind: 'base',
            category: null,
            communityCode,
            geometry: cellPolygon(p, i, j),
          });
        }
      }
    }
  });
  DEDICATED.forEach((dg, k) => {
    // spread over the city: one dedicated grid in every 15th cell, inside the cell's jittered centre
    const cell = (k * 15 + 7) % (COLS * ROWS);
    const i = Math.floor(cell / ROWS);
    const j = cell % ROWS;
    const corners = [p[i]![j]!, p[i + 1]![j]!, p[i + 1]![j + 1]!, p[i]![j + 1]!];
    const center = [corners.reduce((a, c) => a + c[0]!, 0) / 4, corners.reduce((a, c) => a + c[1]!, 0) / 4];
    const communityCode = communityOfCell.get(`${i},${j}`)!;
    grids.push({
      code: `${communityCode}9${pad(k + 1, 2)}`,
      name: dg.name,
      kind: 'dedicated',
      category: dg.category,
      communityCode,
      geometry: smallSquare(center, { dx: CELL.dx * 0.18, dy: CELL.dy * 0.18 }),
    });
  });
  return { jurisdictions, grids };
}

const FIRST_DISTRICT = '990102';
const FIRST_STREET = '990102001000';
const FIRST_COMMUNITY = '990102001001';

/** One account per role at a sensible level; README lists them. */
export const DEMO_ACCOUNTS: DemoAccount[] = [
  { username: 'demo-admin', displayName: '系统管理员（演示）', roles: ['system_admin'], jurisdictionCode: DEMO_CITY_CODE, note: { zh: '系统管理员：账号与配置', en: 'system admin: accounts and configuration' } },
  { username: 'demo-security', displayName: '安全管理员（演示）', roles: ['security_admin'], jurisdictionCode: DEMO_CITY_CODE, note: { zh: '安全管理员：角色与策略', en: 'security admin: roles and policies' } },
  { username: 'demo-auditor', displayName: '安全审计员（演示）', roles: ['auditor'], jurisdictionCode: DEMO_CITY_CODE, note: { zh: '审计员：只读审计日志', en: 'auditor: reads the audit log only' } },
  { username: 'demo-city', displayName: '市综治中心调度员', roles: ['dispatcher'], jurisdictionCode: DEMO_CITY_CODE, note: { zh: '市级调度员', en: 'city dispatcher' } },
  { username: 'demo-district', displayName: '青河区综治中心调度员', roles: ['dispatcher'], jurisdictionCode: FIRST_DISTRICT, note: { zh: '区级调度员（青河区）', en: 'district dispatcher (青河区)' } },
  { username: 'demo-street', displayName: '东关街道综治中心调度员', roles: ['dispatcher'], jurisdictionCode: FIRST_STREET, note: { zh: '街道调度员（东关街道）', en: 'street dispatcher (东关街道)' } },
  { username: 'demo-community', displayName: '安居社区综治中心调度员', roles: ['dispatcher'], jurisdictionCode: FIRST_COMMUNITY, note: { zh: '社区调度员（安居社区）', en: 'community dispatcher (安居社区)' } },
  { username: 'demo-grid', displayName: '网格员王芳', roles: ['grid_worker'], jurisdictionCode: FIRST_COMMUNITY, note: { zh: '网格员（安居社区第1网格）', en: 'grid worker (安居社区 grid 1)' } },
  { username: 'demo-dept', displayName: '青河区城管局承办人', roles: ['handler'], jurisdictionCode: FIRST_DISTRICT, departmentKind: 'urban_management', note: { zh: '区城管局承办人', en: 'district urban-management handler' } },
  { username: 'demo-mediator', displayName: '调解员李明', roles: ['mediator'], jurisdictionCode: FIRST_STREET, note: { zh: '东关街道人民调解员', en: "people's mediator (东关街道)" } },
  { username: 'demo-hotline', displayName: '12345 坐席员', roles: ['hotline_operator'], jurisdictionCode: DEMO_CITY_CODE, note: { zh: '12345 热线坐席', en: '12345 hotline operator' } },
  { username: 'demo-intake', displayName: '青河区受理员', roles: ['intake_clerk'], jurisdictionCode: FIRST_DISTRICT, note: { zh: '区级受理员', en: 'district intake clerk' } },
  { username: 'demo-supervisor', displayName: '市督办员', roles: ['supervisor'], jurisdictionCode: DEMO_CITY_CODE, note: { zh: '市级督办员', en: 'city supervisor' } },
  { username: 'demo-leader', displayName: '市综治中心主任', roles: ['leader'], jurisdictionCode: DEMO_CITY_CODE, note: { zh: '市级领导', en: 'city leader' } },
];

export const DEMO_GRID_WORKER_GRID = `${FIRST_COMMUNITY}001`;

/** More grid workers beside demo-grid (not in DEMO_ACCOUNTS: they share its role), each with a home grid. */
export const DEMO_GRID_WORKERS: Array<{ username: string; displayName: string; gridCode: string; employment: 'full_time' | 'part_time' }> = [
  { username: 'demo-grid', displayName: '网格员王芳', gridCode: DEMO_GRID_WORKER_GRID, employment: 'full_time' },
  { username: 'demo-grid2', displayName: '网格员赵磊', gridCode: `${FIRST_COMMUNITY}002`, employment: 'full_time' },
  { username: 'demo-grid3', displayName: '网格员孙丽', gridCode: '990102001002001', employment: 'part_time' },
  { username: 'demo-grid4', displayName: '网格员周强', gridCode: '990102001003001', employment: 'full_time' },
  { username: 'demo-grid5', displayName: '网格员吴静', gridCode: '990102002001001', employment: 'part_time' },
];

/** A valid-format, fictional national ID number in a demo district (GB 11643 check character computed). */
export function demoIdNumber(district: string, birth: string, seq: number, check: (first17: string) => string): string {
  const first17 = `${district}${birth}${String(seq).padStart(3, '0')}`;
  return first17 + check(first17);
}

export interface DemoPerson {
  careGroup: string;
  riskLevel: 'low' | 'medium' | 'high';
  riskGrade?: number;
  name: string;
  birth: string;
  gridCode: string;
  address: string;
  /** days since the last visit: past the interval makes a missed visit */
  lastVisitDaysAgo: number | null;
  plan: { government: string; social: string; family: string };
}

const SURNAMES = ['陈', '林', '黄', '张', '李', '王', '刘', '杨', '赵', '周', '吴', '徐', '孙', '马', '朱'];
const GIVEN = ['建国', '秀英', '志强', '桂兰', '海燕', '文博', '子涵', '雨轩', '玉珍', '春生', '晓东', '淑芬', '德明', '思远', '梓萱'];
const PLANS: Record<string, DemoPerson['plan']> = {
  community_correction: { government: '司法所每周报到、月度思想汇报', social: '社工每月个别教育一次', family: '家属签订监护帮教责任书' },
  released_person: { government: '协助办理社保与就业登记', social: '职业技能培训推荐', family: '家属定期沟通，关注情绪' },
  drug_rehab: { government: '按期尿检，社区康复协议', social: '禁毒社工每月走访', family: '家属监督，远离原有交往圈' },
  severe_mental: { government: '基层医疗机构随访服药，监护补贴', social: '心理服务站定期疏导', family: '监护人看护，按时服药' },
  at_risk_minor: { government: '学校与社区联合关护', social: '青少年社工结对帮扶', family: '家长学校课程' },
  elderly_alone: { government: '高龄津贴，紧急呼叫设备', social: '志愿者每周上门', family: '子女每周电话问候' },
  left_behind_child: { government: '落实监护责任，困境儿童补助', social: '儿童之家课后托管', family: '父母每周视频通话' },
  hardship_family: { government: '低保与临时救助', social: '慈善超市物资帮扶', family: '家庭成员就业帮扶' },
};
const GROUP_ORDER = ['community_correction', 'released_person', 'drug_rehab', 'severe_mental', 'at_risk_minor', 'elderly_alone', 'left_behind_child', 'hardship_family'];

/** About thirty people served across all groups in the first street's communities; some visits are overdue. */
export function demoPeople(): DemoPerson[] {
  const out: DemoPerson[] = [];
  const grids = ['990102001001001', '990102001001002', '990102001001003', '990102001002001', '990102001002002', '990102001003001', '990102001004001', '990102002001001'];
  for (let i = 0; i < 32; i++) {
    // 8 groups over 8 grids, shifted each round so every community gets several groups
    const group = GROUP_ORDER[(i + Math.floor(i / 8) + 5) % GROUP_ORDER.length]!;
    const age = group === 'at_risk_minor' ? 15 : group === 'left_behind_child' ? 9 : group === 'elderly_alone' ? 78 : 30 + ((i * 7) % 30);
    const month = String((i % 12) + 1).padStart(2, '0');
    const day = String((i % 27) + 1).padStart(2, '0');
    const risk = (['low', 'medium', 'high'] as const)[i % 3]!;
    out.push({
      careGroup: group,
      riskLevel: risk,
      ...(group === 'severe_mental' ? { riskGrade: i % 6 } : {}),
      name: `${SURNAMES[i % SURNAMES.length]}${GIVEN[(i * 4) % GIVEN.length]}`,
      birth: `${2026 - age}${month}${day}`,
      gridCode: grids[i % grids.length]!,
      address: `青河区东关街道幸福路${10 + i}号${(i % 6) + 1}栋${(i % 5) + 1}0${(i % 3) + 1}`,
      // the first person of demo-grid's grid is overdue: a missed visit to show
      lastVisitDaysAgo: i === 0 ? 40 : i % 5 === 0 ? null : (i * 3) % 10,
      plan: PLANS[group]!,
    });
  }
  return out;
}
