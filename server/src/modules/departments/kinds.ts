// Zhili's default list of functional department kinds; each city edits it in its admin pages.

export interface DepartmentKind {
  kind: string;
  zh: string;
  en: string;
  levels: Array<'city' | 'district'>;
}

export const DEPARTMENT_KINDS: readonly DepartmentKind[] = [
  { kind: 'public_security', zh: '公安局', en: 'Public Security Bureau', levels: ['city', 'district'] },
  { kind: 'traffic_police', zh: '公安交通管理部门（交警支队/大队）', en: 'Traffic Police', levels: ['city', 'district'] },
  { kind: 'fire_rescue', zh: '消防救援支队/大队', en: 'Fire and Rescue', levels: ['city', 'district'] },
  { kind: 'civil_affairs', zh: '民政局', en: 'Civil Affairs Bureau', levels: ['city', 'district'] },
  { kind: 'justice', zh: '司法局', en: 'Justice Bureau', levels: ['city', 'district'] },
  { kind: 'petition', zh: '信访局', en: 'Letters and Visits Bureau', levels: ['city', 'district'] },
  { kind: 'housing', zh: '住房和城乡建设局', en: 'Housing and Urban-Rural Development Bureau', levels: ['city', 'district'] },
  { kind: 'urban_management', zh: '城市管理综合执法局', en: 'Urban Management and Law Enforcement Bureau', levels: ['city', 'district'] },
  { kind: 'landscaping', zh: '园林绿化局（林业）', en: 'Landscaping and Forestry Bureau', levels: ['city', 'district'] },
  { kind: 'utilities', zh: '公用事业（供水、供电、燃气、供热）', en: 'Public Utilities (water, power, gas, heating)', levels: ['city', 'district'] },
  { kind: 'water', zh: '水务局', en: 'Water Affairs Bureau', levels: ['city', 'district'] },
  { kind: 'emergency', zh: '应急管理局', en: 'Emergency Management Bureau', levels: ['city', 'district'] },
  { kind: 'market_supervision', zh: '市场监督管理局', en: 'Market Supervision Administration', levels: ['city', 'district'] },
  { kind: 'health', zh: '卫生健康委员会', en: 'Health Commission', levels: ['city', 'district'] },
  { kind: 'healthcare_security', zh: '医疗保障局', en: 'Healthcare Security Bureau', levels: ['city', 'district'] },
  { kind: 'ecology_environment', zh: '生态环境局（分局）', en: 'Ecology and Environment Bureau', levels: ['city', 'district'] },
  { kind: 'human_resources', zh: '人力资源和社会保障局', en: 'Human Resources and Social Security Bureau', levels: ['city', 'district'] },
  { kind: 'education', zh: '教育局', en: 'Education Bureau', levels: ['city', 'district'] },
  { kind: 'transport', zh: '交通运输局', en: 'Transport Bureau', levels: ['city', 'district'] },
  { kind: 'natural_resources', zh: '自然资源和规划局', en: 'Natural Resources and Planning Bureau', levels: ['city', 'district'] },
  { kind: 'agriculture', zh: '农业农村局', en: 'Agriculture and Rural Affairs Bureau', levels: ['city', 'district'] },
  { kind: 'culture_tourism', zh: '文化和旅游局', en: 'Culture and Tourism Bureau', levels: ['city', 'district'] },
  { kind: 'veterans_affairs', zh: '退役军人事务局', en: 'Veterans Affairs Bureau', levels: ['city', 'district'] },
];
