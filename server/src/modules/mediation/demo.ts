import type { Kysely } from 'kysely';
import type { Database } from '../../db/schema.js';
import { findAccountByUsername } from '../auth/index.js';
import { childrenOf, findByCodes } from '../jurisdictions/index.js';
import type { DisputeType } from './lifecycle.js';
import { type ListItem, publishList } from './public-list.js';

/**
 * The administrative-mediation list of the demo city (行政调解事项清单, HH39: matter, handling level, body, remedy).
 * Modelled on the lists cities publish under 《关于加强行政调解工作的意见》; each remedy is what is left if mediation fails.
 */
export const DEMO_ADMIN_MEDIATION_LIST: readonly ListItem[] = [
  { matter: '因殴打、故意伤害、毁坏财物等违反治安管理行为引起的民事损害赔偿纠纷', level: 'district', body: '区公安分局（派出所）', remedy: '调解不成或达成协议后不履行的，依法作出治安管理处罚，当事人可就民事争议提起民事诉讼' },
  { matter: '道路交通事故损害赔偿纠纷', level: 'district', body: '区公安分局交通警察大队', remedy: '申请人民调解或提起民事诉讼' },
  { matter: '消费者权益争议（商品质量、服务质量、价格欺诈）', level: 'district', body: '区市场监督管理局', remedy: '向仲裁机构申请仲裁或提起民事诉讼' },
  { matter: '劳动争议（劳动报酬、工伤待遇、解除劳动合同经济补偿）', level: 'district', body: '区人力资源和社会保障局（劳动保障监察大队）', remedy: '向劳动人事争议仲裁委员会申请仲裁，对裁决不服的提起诉讼' },
  { matter: '医疗纠纷', level: 'district', body: '区卫生健康委员会', remedy: '申请医疗纠纷人民调解委员会调解或提起民事诉讼' },
  { matter: '土地承包经营纠纷', level: 'street', body: '乡镇人民政府（街道办事处）、区农业农村局', remedy: '向农村土地承包仲裁委员会申请仲裁或提起民事诉讼' },
  { matter: '土地、林地所有权和使用权争议', level: 'district', body: '区人民政府（区自然资源局承办）', remedy: '对处理决定不服的申请行政复议或提起行政诉讼' },
  { matter: '物业服务纠纷（物业费、公共区域使用、维修资金）', level: 'district', body: '区住房和城乡建设局', remedy: '申请物业纠纷人民调解委员会调解或提起民事诉讼' },
  { matter: '建设工程施工合同及农民工工资纠纷', level: 'district', body: '区住房和城乡建设局、区人力资源和社会保障局', remedy: '申请仲裁或提起民事诉讼' },
  { matter: '环境污染损害赔偿纠纷', level: 'district', body: '区生态环境分局', remedy: '提起民事诉讼' },
  { matter: '水事纠纷', level: 'district', body: '区水务局', remedy: '申请行政复议或提起诉讼' },
  { matter: '旅游合同纠纷', level: 'city', body: '市文化和旅游局', remedy: '向仲裁机构申请仲裁或提起民事诉讼' },
  { matter: '出租汽车、网约车客运服务纠纷', level: 'city', body: '市交通运输局', remedy: '提起民事诉讼' },
  { matter: '因专利侵权引起的赔偿数额纠纷', level: 'city', body: '市市场监督管理局（知识产权局）', remedy: '提起民事诉讼' },
  { matter: '婚姻家庭、邻里纠纷中涉及行政管理的事项', level: 'street', body: '街道办事处（司法所）', remedy: '申请人民调解或提起民事诉讼' },
];

const FIRST_STREET = '990102001000';
const FIRST_DISTRICT = '990102';

interface OrgSeed {
  code: string;
  name: string;
  kind: 'people_committee' | 'administrative' | 'professional' | 'personal_studio' | 'court_entrusted';
  jurisdictionCode: string;
  specialties: DisputeType[];
}

/** Demo organisations and mediators of 青河区东关街道, and the list; `demo-mediator` serves the street committee. */
export async function seedMediationDemo(db: Kysely<Database>): Promise<void> {
  const communities = await childrenOf(db, FIRST_STREET, 'community');
  const orgs: OrgSeed[] = [
    ...communities.map((c) => ({ code: `PMC-${c.code}`, name: `${c.name}人民调解委员会`, kind: 'people_committee' as const, jurisdictionCode: c.code, specialties: ['neighbour', 'family', 'property_management'] as DisputeType[] })),
    { code: `PMC-${FIRST_STREET}`, name: '东关街道人民调解委员会', kind: 'people_committee', jurisdictionCode: FIRST_STREET, specialties: ['neighbour', 'family', 'labour', 'land'] },
    { code: `COURT-${FIRST_DISTRICT}`, name: '青河区人民法院诉调对接调解工作室', kind: 'court_entrusted', jurisdictionCode: FIRST_DISTRICT, specialties: ['traffic_accident', 'labour', 'construction', 'consumer'] },
    { code: `STUDIO-${FIRST_STREET}`, name: '老李调解工作室', kind: 'personal_studio', jurisdictionCode: FIRST_STREET, specialties: ['neighbour', 'family'] },
    { code: `PROP-${FIRST_DISTRICT}`, name: '青河区物业纠纷人民调解委员会', kind: 'professional', jurisdictionCode: FIRST_DISTRICT, specialties: ['property_management'] },
    { code: `ADM-${FIRST_DISTRICT}-SCJG`, name: '青河区市场监督管理局行政调解委员会', kind: 'administrative', jurisdictionCode: FIRST_DISTRICT, specialties: ['consumer'] },
  ];
  const paths = new Map((await findByCodes(db, orgs.map((o) => o.jurisdictionCode))).map((j) => [j.code, j]));
  const ids = new Map<string, { id: number; code: string; path: string }>();
  for (const o of orgs) {
    const j = paths.get(o.jurisdictionCode);
    if (!j) continue;
    const { id } = await db
      .insertInto('mediation_org')
      .values({ code: o.code, name: o.name, kind: o.kind, level: j.level, jurisdiction_code: j.code, jurisdiction_path: j.path, specialties: JSON.stringify(o.specialties) })
      .returning('id')
      .executeTakeFirstOrThrow();
    ids.set(o.code, { id, code: j.code, path: j.path });
  }
  const account = await findAccountByUsername(db, 'demo-mediator');
  const firstCommunity = communities[0] ? `PMC-${communities[0].code}` : undefined;
  const mediators: Array<{ org: string | undefined; name: string; userId: number | null; specialties: DisputeType[] }> = [
    { org: `PMC-${FIRST_STREET}`, name: '调解员李明', userId: account?.id ?? null, specialties: ['neighbour', 'family', 'property_management'] },
    { org: firstCommunity, name: '王桂兰', userId: null, specialties: ['neighbour', 'family'] },
    { org: `STUDIO-${FIRST_STREET}`, name: '李德厚', userId: null, specialties: ['neighbour', 'family', 'land'] },
    { org: `PROP-${FIRST_DISTRICT}`, name: '赵建国', userId: null, specialties: ['property_management', 'construction'] },
    { org: `COURT-${FIRST_DISTRICT}`, name: '陈静', userId: null, specialties: ['traffic_accident', 'labour', 'consumer'] },
  ];
  for (const m of mediators) {
    const org = m.org ? ids.get(m.org) : undefined;
    if (!org) continue;
    await db.insertInto('mediator').values({ user_id: m.userId, display_name: m.name, org_id: org.id, jurisdiction_code: org.code, jurisdiction_path: org.path, specialties: JSON.stringify(m.specialties) }).execute();
  }
  await publishList(db, { effectiveFrom: '2026-01-01', note: '青河市行政调解事项清单（2026年版，演示）', items: DEMO_ADMIN_MEDIATION_LIST, publishedBy: null });
}
