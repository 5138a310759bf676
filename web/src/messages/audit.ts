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
  'audit.verifyOk': '哈希链完整：共 {count} 条，最后序号 {seq}，与 {seals} 个封存点一致',
  'audit.verifyMissing': '审计日志缺失：序号 {from}–{to} 已被删除或截断（封存点 #{no} 记录到序号 {seq}）',
  'audit.verifyReplaced': '审计日志被替换：序号 {from}–{to} 与封存点 #{no} 不符（哈希链被重建）',
  'audit.verifySeals': '封存记录异常：{message}',
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
  'audit.verifyOk': 'The chain is whole: {count} entries, last seq {seq}, agreeing with {seals} seals',
  'audit.verifyMissing': 'Entries missing: seq {from}–{to} were deleted or truncated (seal #{no} recorded the log up to seq {seq})',
  'audit.verifyReplaced': 'Log replaced: seq {from}–{to} differ from seal #{no} (the chain was rebuilt)',
  'audit.verifySeals': 'Seals tampered with: {message}',
  'audit.verifyBroken': 'The chain breaks at seq {seq} (entry {id}): {reason}',
  'audit.export': 'Export CSV',
};

registerMessages(AUDIT_ZH, AUDIT_EN);
