import { registerMessages } from '../i18n';

// Texts of the auditor's page: loaded with it.
export const AUDIT_ZH = {
  'audit.at': '时间',
  'audit.seq': '链序号',
  'audit.actor': '操作人',
  'audit.action': '操作',
  'audit.entity': '对象',
  'audit.purpose': '目的',
  'audit.result': '结果',
  'audit.ip': '来源地址',
  'audit.detail': '详情',
  'audit.verify': '校验哈希链',
  'audit.verifyOk': '哈希链完整：共 {count} 条，最后序号 {seq}',
  'audit.verifyBroken': '哈希链在序号 {seq}（记录 {id}）处断裂：{reason}',
  'audit.export': '导出 CSV',
} as const;

export const AUDIT_EN: Record<keyof typeof AUDIT_ZH, string> = {
  'audit.at': 'Time',
  'audit.seq': 'Seq',
  'audit.actor': 'Actor',
  'audit.action': 'Action',
  'audit.entity': 'Target',
  'audit.purpose': 'Purpose',
  'audit.result': 'Result',
  'audit.ip': 'Address',
  'audit.detail': 'Detail',
  'audit.verify': 'Verify the hash chain',
  'audit.verifyOk': 'The chain is whole: {count} entries, last seq {seq}',
  'audit.verifyBroken': 'The chain breaks at seq {seq} (entry {id}): {reason}',
  'audit.export': 'Export CSV',
};

registerMessages(AUDIT_ZH, AUDIT_EN);
