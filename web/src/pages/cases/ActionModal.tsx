import '../../messages/cases';
import { useMemo, useState } from 'react';
import { Alert, App, Form, Input, InputNumber, Modal, Radio, Select, Spin, TreeSelect, Typography } from 'antd';
import { api, ApiError, unwrap, type CaseAction, type CaseActionBody, type CaseDetail, type Department, type JurisdictionNode } from '../../api/client';
import { applyApiError } from '../../components/formErrors';
import { useDebounced, type Names, type Vocabulary } from '../../hooks/useCaseData';
import { useFetch } from '../../hooks/useFetch';
import { toTreeSelect } from '../../hooks/useJurisdictionTree';
import { useI18n } from '../../i18n';
import { useLevelName } from '../../settings';
import { RATINGS, ratingKey } from './parts';

interface Values {
  note?: string;
  matterTypeCode?: string;
  target?: 'department' | 'jurisdiction';
  departmentId?: number;
  departmentIds?: number[];
  jurisdictionCode?: string;
  reason?: string;
  days?: number;
  result?: string;
  pass?: boolean;
  closeReason?: NonNullable<CaseActionBody['closeReason']>;
  responsibleBody?: string;
  duplicateOfCaseId?: number;
  intoCaseId?: number;
  rating?: NonNullable<CaseActionBody['rating']>;
  comment?: string;
}

const FIELDS = ['note', 'matterTypeCode', 'departmentId', 'departmentIds', 'jurisdictionCode', 'reason', 'days', 'result', 'pass', 'closeReason', 'responsibleBody', 'duplicateOfCaseId', 'intoCaseId', 'rating', 'comment'] as const;

interface Props {
  c: CaseDetail;
  action: CaseAction;
  vocab: Vocabulary;
  names: Names;
  onClose: () => void;
  /** the case after the action */
  onDone: (updated: CaseDetail) => void;
  /** someone changed the case meanwhile (409): the page reloads it */
  onConflict: () => void;
}

/** The city above a district code: 990102 → 990100. */
const cityOf = (districtCode: string) => `${districtCode.slice(0, 4)}00`;

/** Departments that may take the case: those of its district and of its city, district first. */
function departmentsFor(c: CaseDetail, all: Department[]): Department[] {
  const district = c.districtCode;
  const city = cityOf(district);
  return all
    .filter((d) => d.active && (d.jurisdictionCode === district || d.jurisdictionCode === city))
    .sort((a, b) => (a.jurisdictionCode === b.jurisdictionCode ? a.name.localeCompare(b.name, 'zh') : a.jurisdictionCode === district ? -1 : 1));
}

function CasePicker({ value, onChange, exclude, openOnly, testId }: { value?: number; onChange?: (v: number) => void; exclude: number; openOnly: boolean; testId: string }) {
  const { t } = useI18n();
  const [q, setQ] = useState('');
  const query = useDebounced(q.trim(), 300);
  const found = useFetch(
    () =>
      unwrap(api.GET('/api/cases', { params: { query: { limit: 20, ...(query ? { q: query } : {}), ...(openOnly ? { statusType: 'open' as const } : {}) } } })).then((r) =>
        r.items.filter((x) => x.id !== exclude),
      ),
    [query, openOnly, exclude],
  );
  return (
    <Select
      showSearch
      value={value}
      onChange={onChange}
      filterOption={false}
      onSearch={setQ}
      placeholder={t('action.casePlaceholder')}
      notFoundContent={found.loading ? <Spin size="small" /> : undefined}
      options={(found.data ?? []).map((x) => ({ value: x.id, label: `${x.number} ${x.title}` }))}
      data-testid={testId}
    />
  );
}

export function ActionModal({ c, action, vocab, names, onClose, onDone, onConflict }: Props) {
  const { t } = useI18n();
  const levelName = useLevelName();
  const { message } = App.useApp();
  const [form] = Form.useForm<Values>();
  const [saving, setSaving] = useState(false);
  const [error, setError] = useState<string | null>(null);
  const target = Form.useWatch('target', form);
  const pass = Form.useWatch('pass', form);
  const closeReason = Form.useWatch('closeReason', form);

  const departments = useMemo(() => departmentsFor(c, names.departments), [c, names.departments]);
  const departmentOptions = departments.map((d) => ({
    value: d.id,
    label: `${d.name}（${d.jurisdictionName}）${d.id === c.departmentId ? ` · ${t('action.proposed')}` : ''}`,
  }));
  // lower levels on the case's own chain, below the centre that handles it now
  const order = ['city', 'district', 'street', 'community'];
  const lower = [
    { code: c.districtCode, level: 'district' },
    { code: c.streetCode, level: 'street' },
    { code: c.communityCode, level: 'community' },
  ].filter((j) => order.indexOf(j.level) > order.indexOf(c.handlingLevel));
  const treeData = useMemo(() => (names.tree ? [toTreeSelect(names.tree as JurisdictionNode, 'street')] : []), [names.tree]);

  const initialValues: Values = {
    target: 'department',
    ...(action === 'register' ? { matterTypeCode: c.matterTypeCode ?? c.suggestedMatterTypeCode ?? undefined } : {}),
    ...((action === 'dispatch' || action === 'designate-lead') && c.departmentId && departments.some((d) => d.id === c.departmentId) ? { departmentId: c.departmentId } : {}),
    ...(action === 'verify' ? { pass: true, closeReason: 'resolved' as const } : {}),
    ...(action === 'request-extension' ? { days: 3 } : {}),
  };

  const body = (v: Values): CaseActionBody => {
    const text = (s: string | undefined) => (s?.trim() ? s.trim() : undefined);
    const note = text(v.note);
    const b: CaseActionBody = { expectedVersion: c.version, ...(note ? { note } : {}) };
    switch (action) {
      case 'register':
        return { ...b, matterTypeCode: v.matterTypeCode };
      case 'dispatch':
        return v.target === 'jurisdiction' ? { ...b, jurisdictionCode: v.jurisdictionCode } : { ...b, departmentId: v.departmentId };
      case 'return':
      case 'reopen':
        return { ...b, reason: text(v.reason) };
      case 'designate-lead':
        return { ...b, departmentId: v.departmentId, ...(text(v.reason) ? { reason: text(v.reason) } : {}) };
      case 'co-handle':
        return { ...b, departmentIds: v.departmentIds };
      case 'request-extension':
        return { ...b, days: v.days, reason: text(v.reason) };
      case 'reject-extension':
        return { ...b, ...(text(v.reason) ? { reason: text(v.reason) } : {}) };
      case 'escalate':
        return { ...b, reason: text(v.reason), ...(v.jurisdictionCode ? { jurisdictionCode: v.jurisdictionCode } : {}) };
      case 'feed-back':
        return { ...b, result: text(v.result) };
      case 'verify':
        return { ...b, pass: v.pass ?? true, ...(v.pass !== false && v.closeReason ? { closeReason: v.closeReason } : {}) };
      case 'close':
        return {
          ...b,
          closeReason: v.closeReason,
          ...(v.closeReason === 'not_responsible' ? { responsibleBody: text(v.responsibleBody) } : {}),
          ...(v.closeReason === 'duplicate' ? { duplicateOfCaseId: v.duplicateOfCaseId } : {}),
        };
      case 'rate':
        return { ...b, rating: v.rating, ...(text(v.comment) ? { comment: text(v.comment) } : {}) };
      case 'merge':
        return { ...b, intoCaseId: v.intoCaseId };
      default:
        return b;
    }
  };

  const submit = async () => {
    const v = await form.validateFields().catch(() => null);
    if (!v) return;
    setSaving(true);
    setError(null);
    try {
      const updated = await unwrap(api.POST('/api/cases/{id}/actions/{action}', { params: { path: { id: c.id, action } }, body: body(v) }));
      message.success(t('action.done', { action: vocab.actionLabel(action) }));
      onDone(updated);
    } catch (err) {
      setSaving(false);
      if (err instanceof ApiError && err.status === 409) {
        // someone acted on the case meanwhile, or its state no longer allows this: show the case as it is now
        message.warning(err.message, 6);
        onConflict();
        return;
      }
      setError(applyApiError(form, err, FIELDS));
    }
  };

  const reasonRules = [{ required: true, min: 2, whitespace: true, message: t('common.reasonRequired') }];
  const noteField = (
    <Form.Item name="note" label={t('action.note')} rules={[{ max: 2000 }]}>
      <Input.TextArea autoSize={{ minRows: 2, maxRows: 5 }} maxLength={2000} data-testid="action-note" />
    </Form.Item>
  );

  const fields = (() => {
    switch (action) {
      case 'register':
        return (
          <>
            <Form.Item name="matterTypeCode" label={t('case.matter')} rules={[{ required: true, message: t('action.matterRequired') }]}>
              <Select
                showSearch
                optionFilterProp="label"
                options={names.matterTypes.filter((m) => m.active).map((m) => ({ value: m.code, label: `${m.name} ${m.code}` }))}
                data-testid="action-matter"
              />
            </Form.Item>
            {noteField}
          </>
        );
      case 'dispatch':
        return (
          <>
            {lower.length > 0 && (
              <Form.Item name="target" label={t('action.dispatchTo')}>
                <Radio.Group
                  optionType="button"
                  options={[
                    { value: 'department', label: t('action.toDepartment') },
                    { value: 'jurisdiction', label: t('action.toLowerLevel') },
                  ]}
                />
              </Form.Item>
            )}
            {target === 'jurisdiction' ? (
              <Form.Item name="jurisdictionCode" label={t('action.lowerCentre')} rules={[{ required: true, message: t('action.jurisdictionRequired') }]}>
                <Select options={lower.map((j) => ({ value: j.code, label: `${names.jurisdiction(j.code)}（${levelName(j.level)}）` }))} data-testid="action-jurisdiction" />
              </Form.Item>
            ) : (
              <Form.Item name="departmentId" label={t('action.department')} rules={[{ required: true, message: t('action.departmentRequired') }]}>
                <Select showSearch optionFilterProp="label" options={departmentOptions} data-testid="action-department" />
              </Form.Item>
            )}
            {noteField}
          </>
        );
      case 'designate-lead':
        return (
          <>
            <Form.Item name="departmentId" label={t('action.leadDepartment')} rules={[{ required: true, message: t('action.departmentRequired') }]}>
              <Select showSearch optionFilterProp="label" options={departmentOptions} data-testid="action-department" />
            </Form.Item>
            <Form.Item name="reason" label={t('common.reason')} rules={[{ min: 2, max: 1000 }]}>
              <Input.TextArea autoSize={{ minRows: 2 }} maxLength={1000} data-testid="action-reason" />
            </Form.Item>
          </>
        );
      case 'co-handle':
        return (
          <>
            <Form.Item name="departmentIds" label={t('action.coDepartments')} rules={[{ required: true, message: t('action.departmentRequired') }]}>
              <Select
                mode="multiple"
                maxCount={10}
                showSearch
                optionFilterProp="label"
                options={departmentOptions.filter((o) => o.value !== c.departmentId)}
                data-testid="action-departments"
              />
            </Form.Item>
            {noteField}
          </>
        );
      case 'return':
      case 'reopen':
        return (
          <Form.Item name="reason" label={t('common.reason')} rules={reasonRules}>
            <Input.TextArea autoSize={{ minRows: 3 }} maxLength={1000} placeholder={action === 'return' ? t('action.returnPlaceholder') : undefined} data-testid="action-reason" />
          </Form.Item>
        );
      case 'request-extension':
        return (
          <>
            <Form.Item name="days" label={t('action.days')} rules={[{ required: true, message: t('action.daysRequired') }]} extra={t('action.daysHint')}>
              <InputNumber min={1} max={60} precision={0} addonAfter={t('matter.daysUnit')} data-testid="action-days" />
            </Form.Item>
            <Form.Item name="reason" label={t('common.reason')} rules={reasonRules}>
              <Input.TextArea autoSize={{ minRows: 3 }} maxLength={1000} data-testid="action-reason" />
            </Form.Item>
          </>
        );
      case 'approve-extension':
        return (
          <>
            {c.pendingExtension && (
              <Alert
                type="info"
                showIcon
                style={{ marginBottom: 16 }}
                message={t('case.pendingExtension', { n: c.pendingExtension.days })}
                description={c.pendingExtension.reason}
              />
            )}
            {noteField}
          </>
        );
      case 'reject-extension':
        return (
          <Form.Item name="reason" label={t('common.reason')} rules={[{ min: 2, max: 1000 }]}>
            <Input.TextArea autoSize={{ minRows: 3 }} maxLength={1000} data-testid="action-reason" />
          </Form.Item>
        );
      case 'escalate':
        return (
          <>
            <Form.Item name="reason" label={t('common.reason')} rules={reasonRules}>
              <Input.TextArea autoSize={{ minRows: 3 }} maxLength={1000} data-testid="action-reason" />
            </Form.Item>
            <Form.Item name="jurisdictionCode" label={t('action.crossRegion')} extra={t('action.crossRegionHint')}>
              <TreeSelect allowClear showSearch treeNodeFilterProp="title" treeData={treeData} data-testid="action-jurisdiction" />
            </Form.Item>
          </>
        );
      case 'feed-back':
        return (
          <>
            <Form.Item name="result" label={t('action.result')} rules={[{ required: true, min: 2, whitespace: true, message: t('action.resultRequired') }]}>
              <Input.TextArea autoSize={{ minRows: 4 }} maxLength={4000} showCount placeholder={t('action.resultPlaceholder')} data-testid="action-result" />
            </Form.Item>
            {noteField}
          </>
        );
      case 'verify':
        return (
          <>
            <Form.Item name="pass" label={t('action.verifyResult')} rules={[{ required: true }]}>
              <Radio.Group
                options={[
                  { value: true, label: <span data-testid="verify-pass">{t('action.verifyPass')}</span> },
                  { value: false, label: <span data-testid="verify-fail">{t('action.verifyFail')}</span> },
                ]}
              />
            </Form.Item>
            {pass !== false && (
              <Form.Item name="closeReason" label={t('case.closeReason')} rules={[{ required: true }]}>
                <Radio.Group
                  options={vocab.closeReasons.filter((r) => r.value === 'resolved' || r.value === 'unresolvable')}
                />
              </Form.Item>
            )}
            {noteField}
          </>
        );
      case 'close':
        return (
          <>
            <Form.Item name="closeReason" label={t('case.closeReason')} rules={[{ required: true, message: t('action.closeReasonRequired') }]}>
              <Select options={vocab.closeReasons} data-testid="action-close-reason" />
            </Form.Item>
            {closeReason === 'not_responsible' && (
              <Form.Item name="responsibleBody" label={t('action.responsibleBody')} rules={[{ required: true, min: 2, whitespace: true, message: t('action.responsibleBodyRequired') }]}>
                <Input maxLength={200} data-testid="action-responsible-body" />
              </Form.Item>
            )}
            {closeReason === 'duplicate' && (
              <Form.Item name="duplicateOfCaseId" label={t('action.duplicateOf')} rules={[{ required: true, message: t('action.caseRequired') }]}>
                <CasePicker exclude={c.id} openOnly={false} testId="action-duplicate-of" />
              </Form.Item>
            )}
            <Form.Item
              name="note"
              label={t('action.note')}
              rules={[{ required: closeReason === 'unresolvable', whitespace: true, message: t('action.unresolvableNote') }, { max: 2000 }]}
            >
              <Input.TextArea autoSize={{ minRows: 2, maxRows: 5 }} maxLength={2000} data-testid="action-note" />
            </Form.Item>
          </>
        );
      case 'rate':
        return (
          <>
            <Form.Item name="rating" label={t('case.rating')} rules={[{ required: true, message: t('action.ratingRequired') }]}>
              <Radio.Group options={RATINGS.map((r) => ({ value: r, label: <span data-testid={`rating-${r}`}>{t(ratingKey(r))}</span> }))} />
            </Form.Item>
            <Form.Item name="comment" label={t('action.comment')} rules={[{ max: 1000 }]}>
              <Input.TextArea autoSize={{ minRows: 2 }} maxLength={1000} data-testid="action-comment" />
            </Form.Item>
          </>
        );
      case 'merge':
        return (
          <>
            <Form.Item name="intoCaseId" label={t('action.mergeInto')} rules={[{ required: true, message: t('action.caseRequired') }]}>
              <CasePicker exclude={c.id} openOnly testId="action-merge-into" />
            </Form.Item>
            {noteField}
          </>
        );
      default:
        return noteField;
    }
  })();

  return (
    <Modal
      open
      title={
        <span>
          {vocab.actionLabel(action)} · <Typography.Text type="secondary">{c.number}</Typography.Text>
        </span>
      }
      okText={vocab.actionLabel(action)}
      cancelText={t('common.cancel')}
      confirmLoading={saving}
      onOk={submit}
      onCancel={onClose}
      okButtonProps={{ 'data-testid': 'action-modal-ok', danger: action === 'return' || action === 'reject-extension' }}
    >
      <div data-testid="action-modal">
      {error && <Alert type="error" showIcon message={error} style={{ marginBottom: 16 }} data-testid="action-error" />}
      <Form form={form} layout="vertical" name={`action-${action}`} initialValues={initialValues} onFinish={submit}>
        {fields}
      </Form>
      </div>
    </Modal>
  );
}
