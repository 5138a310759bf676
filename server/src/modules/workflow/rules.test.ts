import { describe, expect, it } from 'vitest';
import { refusalError, staleVersion } from './kernel.js';
import { lifecycle, stay } from './rules.js';

// A small rectification loop as the kinds to come will have: raised, fixed by the owner, checked by the inspector.
type Status = 'raised' | 'fixed' | 'closed';
type Action = 'fix' | 'check' | 'remark';
interface Types {
  status: Status;
  action: Action;
  state: { status: Status; photos: number };
  actor: { owner: boolean; inspector: boolean };
  facts: { pass?: boolean | undefined };
}

const loop = lifecycle<Types>({
  kind: 'hazard',
  noun: { zh: '隐患', en: 'hazard' },
  statuses: { raised: { type: 'open', zh: '待整改', en: 'Raised' }, fixed: { type: 'open', zh: '待验收', en: 'Fixed' }, closed: { type: 'closed', zh: '已销号', en: 'Closed' } },
  actions: ['fix', 'check', 'remark'],
  labels: { fix: { zh: '整改', en: 'Fix' }, check: { zh: '验收', en: 'Check' }, remark: { zh: '备注', en: 'Remark' } },
  rules: {
    fix: { from: ['raised'], who: (a) => a.owner, when: (s) => (s.photos > 0 ? null : { zh: '请上传整改照片', en: 'Upload a photo of the fix' }), to: () => 'fixed' },
    check: {
      from: ['fixed'],
      who: (a) => a.inspector,
      needs: (f) => (f.pass === undefined ? { field: 'pass', zh: '请给出验收结论', en: 'Say whether it passed' } : null),
      to: (_s, _a, f) => (f.pass ? 'closed' : 'raised'),
    },
    remark: { from: ['raised', 'fixed', 'closed'], who: (a) => a.owner || a.inspector, to: stay<Types> },
  },
  probe: { pass: true },
});

const owner = { owner: true, inspector: false };
const inspector = { owner: false, inspector: true };
const raised: Types['state'] = { status: 'raised', photos: 1 };

describe('a lifecycle built from its table', () => {
  it('leads where the rule says, or stays', () => {
    expect(loop.decide(raised, 'fix', owner, {})).toEqual({ effects: { to: 'fixed' } });
    expect(loop.decide({ status: 'fixed', photos: 1 }, 'check', inspector, { pass: false })).toEqual({ effects: { to: 'raised' } });
    expect(loop.decide({ status: 'fixed', photos: 1 }, 'check', inspector, { pass: true })).toEqual({ effects: { to: 'closed' } });
    expect(loop.decide({ status: 'closed', photos: 1 }, 'remark', owner, {})).toEqual({ effects: { to: 'closed' } });
  });

  it('refuses a missing input first, then someone else, then the wrong state, then an unmet condition', () => {
    expect(loop.decide(raised, 'check', owner, {})).toEqual({ refusal: { code: 'required', field: 'pass', zh: '请给出验收结论', en: 'Say whether it passed' } });
    expect(loop.decide(raised, 'check', owner, { pass: true })).toEqual({ refusal: { code: 'forbidden', zh: '您无权对该隐患执行此操作', en: 'You may not take this action on this hazard' } });
    expect(loop.decide(raised, 'check', inspector, { pass: true })).toEqual({
      refusal: { code: 'invalid_state', zh: '隐患当前状态为“待整改”，不能验收', en: 'The hazard is raised; "Check" is not possible now' },
    });
    expect(loop.decide({ status: 'raised', photos: 0 }, 'fix', owner, {})).toEqual({ refusal: { code: 'invalid_state', zh: '请上传整改照片', en: 'Upload a photo of the fix' } });
  });

  it('lists the allowed actions by the same table, with the inputs a form asks for assumed given', () => {
    expect(loop.allowed(raised, owner)).toEqual(['fix', 'remark']);
    expect(loop.allowed({ status: 'raised', photos: 0 }, owner)).toEqual(['remark']);
    expect(loop.allowed({ status: 'fixed', photos: 1 }, inspector)).toEqual(['check', 'remark']);
    expect(loop.allowed(raised, { owner: false, inspector: false })).toEqual([]);
  });

  it('turns a refusal into the HTTP answer: 400 naming the field, 403, 409', () => {
    const answer = (action: Action, actor = inspector, state = raised) => {
      const d = loop.decide(state, action, actor, {});
      if (!('refusal' in d)) throw new Error('expected a refusal');
      const e = refusalError(d.refusal);
      return { status: e.status, code: e.code, field: e.field };
    };
    expect(answer('check')).toEqual({ status: 400, code: 'required', field: 'pass' });
    expect(answer('fix')).toEqual({ status: 403, code: 'forbidden', field: undefined });
    expect(answer('fix', owner, { status: 'fixed', photos: 1 })).toEqual({ status: 409, code: 'invalid_state', field: undefined });
    expect(staleVersion({ zh: '隐患', en: 'hazard' }, 7)).toMatchObject({ status: 409, field: 'expectedVersion', text: { zh: '隐患已被他人处理（当前版本 7），请刷新后重试' } });
  });
});
