import { useCallback, useSyncExternalStore } from 'react';
import type { CASES_ZH } from './messages/cases';
import type { METRICS_ZH } from './messages/metrics';
import type { AUDIT_ZH } from './messages/audit';
import type { MEDIATION_ZH } from './messages/mediation';
import type { ACCOUNTS_ZH } from './messages/accounts';

export type Lang = 'zh' | 'en';
export interface Bilingual {
  zh: string;
  en: string;
}

const zh = {
  'app.title': '治理 · 市域社会治理平台',
  'app.short': '治理',
  'app.subtitle': '综治中心 · 网格化服务管理',
  'login.title': '治理 · 市域社会治理平台',
  'login.subtitle': '请使用您的账号登录',
  'login.username': '用户名',
  'login.password': '密码',
  'login.submit': '登录',
  'login.usernameRequired': '请输入用户名',
  'login.passwordRequired': '请输入密码',
  'login.expired': '登录已过期，请重新登录',
  'login.footer': '开源市域社会治理平台',
  'login.totp': '动态验证码',
  'login.totpHelp': '打开身份验证器应用查看 6 位验证码；也可输入恢复码',
  'login.totpRequired': '请输入动态验证码',
  'account.title': '账号安全',
  'account.password': '修改密码',
  'account.passwordMust': '请先修改初始或已过期的密码，然后才能使用其他功能。',
  'account.current': '当前密码',
  'account.new': '新密码',
  'account.confirm': '确认新密码',
  'account.mismatch': '两次输入的新密码不一致',
  'account.save': '保存新密码',
  'account.saved': '密码已修改，其他设备上的登录已退出',
  'account.totp': '双因素认证（动态验证码）',
  'account.totpMust': '您的角色须绑定身份验证器后才能使用其他功能。',
  'account.totpOn': '已启用双因素认证',
  'account.totpOff': '尚未启用双因素认证',
  'account.totpStart': '开始绑定',
  'account.totpScan': '用身份验证器应用（如 Google Authenticator、Microsoft Authenticator、FreeOTP）扫描二维码，或手动输入密钥：',
  'account.totpCode': '输入应用显示的 6 位验证码',
  'account.totpConfirm': '确认绑定',
  'account.recovery': '请妥善保存以下恢复码，每个只能使用一次，且只显示这一次：',
  'account.logoutAll': '退出所有设备',
  'account.logoutAllHelp': '结束此账号在所有浏览器和设备上的登录',
  'account.continue': '进入工作台',
  'menu.dashboard': '工作台',
  'menu.audit': '审计日志',
  'menu.users': '账号管理',
  'menu.roles': '角色与许可',
  'menu.grids': '辖区与网格',
  'menu.departments': '部门',
  'menu.matters': '事项目录',
  'menu.responsibility': '权责清单',
  'menu.cases': '事件',
  'menu.disputes': '矛盾纠纷',
  'menu.mediationWorkbench': '调解工作台',
  'menu.mediationStats': '纠纷统计',
  'menu.gridwork': '网格工作',
  'header.logout': '退出登录',
  'header.menu': '菜单',
  'header.switchTo': 'English',
  'common.loading': '加载中…',
  'common.save': '保存',
  'common.cancel': '取消',
  'common.create': '新建',
  'common.edit': '编辑',
  'common.actions': '操作',
  'common.status': '状态',
  'common.active': '启用',
  'common.inactive': '停用',
  'common.all': '全部',
  'common.none': '未设置',
  'common.saved': '已保存',
  'common.retry': '重试',
  'common.reason': '原因',
  'common.reasonRequired': '请填写原因（至少 2 个字）',
  'common.history': '变更记录',
  'common.forbidden': '您没有访问此页面的权限',
  'common.notFound': '页面不存在',
  'common.backHome': '返回工作台',
  'common.loadFailed': '加载失败',
  'common.search': '搜索',
  'dash.hello': '您好，{name}',
  'dash.roles': '角色',
  'dash.jurisdiction': '管辖辖区',
  'dash.level': '层级',
  'dash.path': '上级辖区',
  'dash.children': '下级辖区数',
  'dash.childrenOf': '下辖{level}',
  'dash.unit': '个',
  'dash.grids': '在用网格数',
  'dash.modules': '可用功能',
  'dash.mustChangePassword': '您的密码为初始密码，请尽快修改。',
  'dash.department': '所属部门编号',
  'grids.tree': '辖区',
  'grids.searchTree': '搜索辖区名称或代码',
  'grids.count': '{n} 个网格',
  'grids.legend': '图例',
  'grids.kind.base': '基础网格',
  'grids.kind.dedicated': '专属网格',
  'grids.truncated': '仅显示前 {n} 个，共 {total} 个',
  'grids.empty': '该辖区暂无网格',
  'grids.code': '网格编码',
  'grids.name': '网格名称',
  'grids.kind': '网格类型',
  'grids.category': '类别',
  'grids.community': '所属{community}',
  'grids.status': '状态',
  'grids.status.active': '在用',
  'grids.status.retired': '已撤销',
  'grids.version': '版本',
  'grids.versionN': '第 {n} 版',
  'grids.versions': '版本记录',
  'grids.filedBy': '报送人',
  'grids.filedAt': '报送时间',
  'grids.reason': '调整原因',
  'grids.filingNumber': '备案号',
  'grids.edit': '调整',
  'grids.editTitle': '调整网格 {code}',
  'grids.editHint': '网格调整将生成新版本并记录报送备案信息。',
  'grids.reasonPlaceholder': '例如：社区合并，按区划调整批复重新划分',
  'grids.locateHint': '点击地图空白处可查询该点所在网格',
  'grids.locating': '正在定位…',
  'grids.details': '网格详情',
  'dept.code': '部门编码',
  'dept.codePlaceholder': '如 990100-civil_affairs',
  'dept.name': '部门名称',
  'dept.kind': '部门类型',
  'dept.level': '层级',
  'dept.jurisdiction': '所属辖区',
  'dept.phone': '联系电话',
  'dept.active': '状态',
  'dept.create': '新建部门',
  'dept.editTitle': '编辑部门',
  'dept.title': '职能部门',
  'matter.title': '事项目录',
  'matter.code': '事项编码',
  'matter.codePlaceholder': '如 CG-001（2–4 个大写字母-3–4 位数字）',
  'matter.name': '事项名称',
  'matter.category': '分类',
  'matter.timeLimit': '办理时限',
  'matter.days': '{n} 个工作日',
  'matter.daysUnit': '工作日',
  'matter.priority': '紧急程度',
  'matter.priority.normal': '一般',
  'matter.priority.urgent': '紧急',
  'matter.priority.critical': '特急',
  'matter.handlingLevel': '处置层级',
  'matter.keywords': '关键词',
  'matter.keywordsHint': '输入后回车添加',
  'matter.description': '说明',
  'matter.create': '新建事项',
  'matter.editTitle': '编辑事项',
  'matter.q': '关键字',
  'matrix.title': '权责清单',
  'matrix.hint': '每类事项在各层级由哪类部门负责；社区、街道一级通常由本级综治中心处置。',
  'matrix.matter': '事项',
  'matrix.unassigned': '—',
  'matrix.editTitle': '设置责任部门',
  'matrix.cell': '{matter} · {level}',
  'matrix.departmentKind': '责任部门类型',
  'matrix.clear': '不指定（由本级综治中心处置）',
  'matrix.historyTitle': '{matter} · 变更记录',
  'matrix.from': '原',
  'matrix.to': '新',
  'matrix.changedBy': '修改人',
  'matrix.changedAt': '修改时间',
  'matrix.noHistory': '暂无变更记录',
  'matrix.reasonPlaceholder': '例如：依据《××市权责清单（2025 年版）》调整',  'menu.tasks': '我的待办',
  'menu.intake': '受理登记',
  'menu.case': '案件详情',
  'menu.supervision': '督办',
  'menu.metrics': '统计分析',
  'common.reload': '刷新',
  'inbox.title': '消息',
  'inbox.markAll': '全部已读',
  'inbox.empty': '暂无消息',
};

type CoreKey = keyof typeof zh;
/** Every text key: the core ones here, and those of the pages that bring their own texts (src/messages/). */
export type MessageKey = CoreKey | keyof typeof CASES_ZH | keyof typeof METRICS_ZH | keyof typeof MEDIATION_ZH | keyof typeof AUDIT_ZH | keyof typeof ACCOUNTS_ZH;

const en: Record<CoreKey, string> = {
  'app.title': 'Zhili · Municipal Social Governance',
  'app.short': 'Zhili',
  'app.subtitle': 'Governance centres · grid-based services',
  'login.title': 'Zhili · Municipal Social Governance',
  'login.subtitle': 'Sign in with your account',
  'login.username': 'Username',
  'login.password': 'Password',
  'login.submit': 'Sign in',
  'login.usernameRequired': 'Enter your username',
  'login.passwordRequired': 'Enter your password',
  'login.expired': 'Your session ended; please sign in again',
  'login.footer': 'Open-source municipal social governance platform',
  'login.totp': 'Authenticator code',
  'login.totpHelp': 'The 6-digit code from your authenticator app, or a recovery code',
  'login.totpRequired': 'Enter the authenticator code',
  'account.title': 'Account security',
  'account.password': 'Change password',
  'account.passwordMust': 'Change your initial or expired password before using anything else.',
  'account.current': 'Current password',
  'account.new': 'New password',
  'account.confirm': 'Confirm the new password',
  'account.mismatch': 'The two new passwords differ',
  'account.save': 'Save the new password',
  'account.saved': 'Password changed; your other sessions were signed out',
  'account.totp': 'Two-factor authentication',
  'account.totpMust': 'Your role must enrol an authenticator before using anything else.',
  'account.totpOn': 'Two-factor authentication is on',
  'account.totpOff': 'Two-factor authentication is off',
  'account.totpStart': 'Start enrolment',
  'account.totpScan': 'Scan the QR code with an authenticator app (Google Authenticator, Microsoft Authenticator, FreeOTP…) or type the key:',
  'account.totpCode': 'The 6-digit code the app shows',
  'account.totpConfirm': 'Confirm',
  'account.recovery': 'Keep these recovery codes safe; each works once, and they are shown only now:',
  'account.logoutAll': 'Sign out everywhere',
  'account.logoutAllHelp': 'Ends this account\'s sessions in every browser and device',
  'account.continue': 'Go to the dashboard',
  'menu.dashboard': 'Dashboard',
  'menu.audit': 'Audit log',
  'menu.users': 'Accounts',
  'menu.roles': 'Roles and clearances',
  'menu.grids': 'Jurisdictions & grids',
  'menu.departments': 'Departments',
  'menu.matters': 'Matter catalogue',
  'menu.responsibility': 'Responsibility matrix',
  'menu.cases': 'Cases',
  'menu.disputes': 'Disputes',
  'menu.mediationWorkbench': 'Mediator workbench',
  'menu.mediationStats': 'Dispute statistics',
  'menu.gridwork': 'Grid work',
  'header.logout': 'Sign out',
  'header.menu': 'Menu',
  'header.switchTo': '中文',
  'common.loading': 'Loading…',
  'common.save': 'Save',
  'common.cancel': 'Cancel',
  'common.create': 'New',
  'common.edit': 'Edit',
  'common.actions': 'Actions',
  'common.status': 'Status',
  'common.active': 'Active',
  'common.inactive': 'Inactive',
  'common.all': 'All',
  'common.none': 'Not set',
  'common.saved': 'Saved',
  'common.retry': 'Retry',
  'common.reason': 'Reason',
  'common.reasonRequired': 'Give a reason (at least 2 characters)',
  'common.history': 'History',
  'common.forbidden': 'You are not allowed to open this page',
  'common.notFound': 'Page not found',
  'common.backHome': 'Back to dashboard',
  'common.loadFailed': 'Failed to load',
  'common.search': 'Search',
  'dash.hello': 'Hello, {name}',
  'dash.roles': 'Roles',
  'dash.jurisdiction': 'Jurisdiction',
  'dash.level': 'Level',
  'dash.path': 'Within',
  'dash.children': 'Sub-jurisdictions',
  'dash.childrenOf': '{level} units',
  'dash.unit': '',
  'dash.grids': 'Active grids',
  'dash.modules': 'Available modules',
  'dash.mustChangePassword': 'You are using an initial password; please change it soon.',
  'dash.department': 'Department id',
  'grids.tree': 'Jurisdictions',
  'grids.searchTree': 'Search by name or code',
  'grids.count': '{n} grids',
  'grids.legend': 'Legend',
  'grids.kind.base': 'Base grid',
  'grids.kind.dedicated': 'Dedicated grid',
  'grids.truncated': 'Showing the first {n} of {total}',
  'grids.empty': 'No grids in this jurisdiction',
  'grids.code': 'Code',
  'grids.name': 'Name',
  'grids.kind': 'Kind',
  'grids.category': 'Category',
  'grids.community': '{community}',
  'grids.status': 'Status',
  'grids.status.active': 'Active',
  'grids.status.retired': 'Retired',
  'grids.version': 'Version',
  'grids.versionN': 'Version {n}',
  'grids.versions': 'Versions',
  'grids.filedBy': 'Filed by',
  'grids.filedAt': 'Filed at',
  'grids.reason': 'Reason',
  'grids.filingNumber': 'Filing number',
  'grids.edit': 'Edit',
  'grids.editTitle': 'Edit grid {code}',
  'grids.editHint': 'A change creates a new filed version of the grid.',
  'grids.reasonPlaceholder': 'e.g. communities merged after the approved redivision',
  'grids.locateHint': 'Click an empty spot on the map to find its grid',
  'grids.locating': 'Locating…',
  'grids.details': 'Grid details',
  'dept.code': 'Code',
  'dept.codePlaceholder': 'e.g. 990100-civil_affairs',
  'dept.name': 'Name',
  'dept.kind': 'Kind',
  'dept.level': 'Level',
  'dept.jurisdiction': 'Jurisdiction',
  'dept.phone': 'Phone',
  'dept.active': 'Status',
  'dept.create': 'New department',
  'dept.editTitle': 'Edit department',
  'dept.title': 'Departments',
  'matter.title': 'Matter catalogue',
  'matter.code': 'Code',
  'matter.codePlaceholder': 'e.g. CG-001 (2–4 capitals, dash, 3–4 digits)',
  'matter.name': 'Name',
  'matter.category': 'Category',
  'matter.timeLimit': 'Time limit',
  'matter.days': '{n} working days',
  'matter.daysUnit': 'working days',
  'matter.priority': 'Priority',
  'matter.priority.normal': 'Normal',
  'matter.priority.urgent': 'Urgent',
  'matter.priority.critical': 'Critical',
  'matter.handlingLevel': 'Handling level',
  'matter.keywords': 'Keywords',
  'matter.keywordsHint': 'Press Enter to add',
  'matter.description': 'Description',
  'matter.create': 'New matter type',
  'matter.editTitle': 'Edit matter type',
  'matter.q': 'Text',
  'matrix.title': 'Responsibility matrix',
  'matrix.hint': 'Which kind of department handles each matter type at each level; at community and street level the local governance centre usually handles it.',
  'matrix.matter': 'Matter type',
  'matrix.unassigned': '—',
  'matrix.editTitle': 'Set the responsible department',
  'matrix.cell': '{matter} · {level}',
  'matrix.departmentKind': 'Department kind',
  'matrix.clear': 'None (the local governance centre handles it)',
  'matrix.historyTitle': '{matter} · history',
  'matrix.from': 'From',
  'matrix.to': 'To',
  'matrix.changedBy': 'Changed by',
  'matrix.changedAt': 'Changed at',
  'matrix.noHistory': 'No changes yet',
  'matrix.reasonPlaceholder': 'e.g. per the city responsibility list, 2025 edition',  'menu.tasks': 'My tasks',
  'menu.intake': 'Intake',
  'menu.case': 'Case',
  'menu.supervision': 'Supervision',
  'menu.metrics': 'Metrics',
  'common.reload': 'Reload',
  'inbox.title': 'Notifications',
  'inbox.markAll': 'Mark all read',
  'inbox.empty': 'No notifications',
};

const dictionaries: Record<Lang, Record<string, string>> = { zh: { ...zh }, en: { ...en } };

/**
 * Adds a page's texts to the dictionary when its chunk loads (src/messages/*.ts), so the entry chunk carries
 * only the core texts. Each part is typed complete in both languages like the core.
 */
export function registerMessages<K extends string>(zhPart: Record<K, string>, enPart: Record<K, string>) {
  Object.assign(dictionaries.zh, zhPart);
  Object.assign(dictionaries.en, enPart);
}

export const ROLE_LABELS: Record<string, Bilingual> = {
  intake_clerk: { zh: '受理员', en: 'Intake clerk' },
  dispatcher: { zh: '调度员', en: 'Dispatcher' },
  supervisor: { zh: '督办员', en: 'Supervisor' },
  leader: { zh: '领导', en: 'Leader' },
  handler: { zh: '部门承办人', en: 'Department handler' },
  grid_worker: { zh: '网格员', en: 'Grid worker' },
  mediator: { zh: '调解员', en: 'Mediator' },
  hotline_operator: { zh: '12345 坐席', en: 'Hotline operator' },
  system_admin: { zh: '系统管理员', en: 'System administrator' },
  security_admin: { zh: '安全管理员', en: 'Security administrator' },
  auditor: { zh: '安全审计员', en: 'Auditor' },
};

export const GRID_CATEGORY_LABELS: Record<string, Bilingual> = {
  school: { zh: '学校', en: 'School' },
  hospital: { zh: '医院', en: 'Hospital' },
  park: { zh: '公园', en: 'Park' },
  industrial_park: { zh: '产业园区', en: 'Industrial park' },
  government: { zh: '党政机关', en: 'Government offices' },
  compound: { zh: '单位大院', en: 'Compound' },
  market: { zh: '商圈市场', en: 'Market' },
  transport_hub: { zh: '交通枢纽', en: 'Transport hub' },
  scenic_area: { zh: '景区', en: 'Scenic area' },
};

export const LEVEL_NAMES_EN = { city: 'City', district: 'District', street: 'Street', community: 'Community' } as const;

const STORAGE_KEY = 'zhili.lang';

function initialLang(): Lang {
  try {
    return localStorage.getItem(STORAGE_KEY) === 'en' ? 'en' : 'zh';
  } catch {
    return 'zh';
  }
}

let current: Lang = initialLang();
const listeners = new Set<() => void>();

export function getLang(): Lang {
  return current;
}

export function setLang(lang: Lang) {
  if (lang === current) return;
  current = lang;
  try {
    localStorage.setItem(STORAGE_KEY, lang);
  } catch {
    // private mode: the choice lasts for this page only
  }
  document.documentElement.lang = lang === 'zh' ? 'zh-CN' : 'en';
  document.title = translate(lang, 'app.title');
  listeners.forEach((l) => l());
}

function subscribe(listener: () => void) {
  listeners.add(listener);
  return () => listeners.delete(listener);
}

export function translate(lang: Lang, key: MessageKey, vars?: Record<string, string | number>): string {
  const text = dictionaries[lang][key] ?? key;
  return vars ? text.replace(/\{(\w+)\}/g, (m, name: string) => (name in vars ? String(vars[name]) : m)) : text;
}

/** Text of a `{ zh, en }` label; `fallback` when there is none (e.g. an unknown code). */
export function pick(lang: Lang, label: Bilingual | undefined, fallback = ''): string {
  return label ? label[lang] : fallback;
}

export type Translate = (key: MessageKey, vars?: Record<string, string | number>) => string;

export function useI18n(): { lang: Lang; t: Translate; setLang: (lang: Lang) => void } {
  const lang = useSyncExternalStore(subscribe, getLang);
  const t = useCallback<Translate>((key, vars) => translate(lang, key, vars), [lang]);
  return { lang, t, setLang };
}
