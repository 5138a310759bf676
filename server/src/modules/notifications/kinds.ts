/**
 * Every kind of inbox notice, with the kind of record it is about (access/registry.ts): `notify` tells only those who
 * may see that record. A new kind is added here; the access matrix test fails on a kind that is sent but not listed.
 */
export const NOTICE_KINDS = {
  'case.new': { about: 'case', zh: '新案件', en: 'New case' },
  'case.centre': { about: 'case', zh: '案件动态（中心）', en: 'Case news for the centre' },
  'case.department': { about: 'case', zh: '交办与督办（部门）', en: 'Case news for the department' },
  'case.warning': { about: 'case', zh: '临近时限', en: 'Deadline near' },
  'case.overdue': { about: 'case', zh: '已超期', en: 'Overdue' },
  'dispute.diverted': { about: 'dispute', zh: '纠纷分流', en: 'Dispute diverted' },
  'dispute.assigned': { about: 'dispute', zh: '调解任务', en: 'Mediation assigned' },
  'dispute.lead': { about: 'dispute', zh: '联合调处牵头', en: 'Lead of a joint handling' },
  'dispute.follow_up_missed': { about: 'dispute', zh: '回访逾期', en: 'Follow-up missed' },
  'people.visit_missed': { about: 'visit-warning', zh: '走访逾期', en: 'Visit missed' },
  'security.password_changed': { about: null, zh: '密码已修改', en: 'Password changed' },
  'security.totp_enabled': { about: null, zh: '已绑定动态验证码', en: 'Authenticator enrolled' },
  'security.totp_replaced': { about: null, zh: '动态验证码已更换', en: 'Authenticator replaced' },
  'security.totp_removed': { about: null, zh: '动态验证码已解除', en: 'Authenticator removed' },
  'security.recovery_codes_generated': { about: null, zh: '恢复码已重新生成', en: 'New recovery codes' },
  'security.logout_all': { about: null, zh: '已退出所有设备', en: 'Signed out everywhere' },
} as const satisfies Record<string, { about: string | null; zh: string; en: string }>;

export type NoticeKind = keyof typeof NOTICE_KINDS;
