import { describe, expect, it } from 'vitest';
import { optionalText, required, text } from './input.js';

const refusal = (f: () => unknown) => {
  try {
    f();
  } catch (e) {
    const { status, code, field, text: t } = e as { status: number; code: string; field: string; text: { zh: string; en: string } };
    return { status, code, field, ...t };
  }
  throw new Error('expected a refusal');
};

describe('the shared input checks', () => {
  it('refuses a missing value, blank text and an empty list with a 400 naming the field in both languages', () => {
    for (const v of [undefined, null, '', '  ', '\n\t', []]) {
      expect(refusal(() => required(v, 'reason', '请说明理由', 'Give a reason'))).toEqual({ status: 400, code: 'required', field: 'reason', zh: '请说明理由', en: 'Give a reason' });
    }
    expect(required(0, 'days', '天数', 'Days')).toBe(0);
    expect(required(false, 'pass', '结论', 'Verdict')).toBe(false);
    expect(required([3], 'departmentIds', '部门', 'Departments')).toEqual([3]);
  });

  it('trims a reason, refuses one of only spaces, and limits its length in characters', () => {
    expect(text('  已更换灯泡  ', 'result', '请填写办理结果', 'Describe the result')).toBe('已更换灯泡');
    expect(refusal(() => text('  ', 'reason', '退回须说明理由', 'A return needs a reason'))).toMatchObject({ status: 400, code: 'required', field: 'reason' });
    expect(text('路'.repeat(10), 'reason', '理由', 'Reason', 10)).toHaveLength(10);
    expect(refusal(() => text('路'.repeat(11), 'reason', '理由', 'Reason', 10))).toMatchObject({ status: 400, field: 'reason', zh: '字段 reason 最多 10 个字符' });
    // characters, not UTF-16 units: an emoji counts once
    expect(text('👍'.repeat(10), 'comment', '评价', 'Comment', 10)).toHaveLength(20);
  });

  it('treats a blank optional note as no note', () => {
    expect(optionalText(undefined, 'note')).toBeNull();
    expect(optionalText('   ', 'note')).toBeNull();
    expect(optionalText(' 现场核查已亮 ', 'note')).toBe('现场核查已亮');
    expect(refusal(() => optionalText('x'.repeat(2001), 'note'))).toMatchObject({ status: 400, field: 'note' });
  });
});
