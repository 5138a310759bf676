import '../../messages/mediation';
import { useState } from 'react';
import { Alert, Form, Input, Modal, Radio, Select, Space, Tag, Typography } from 'antd';
import { api, ApiError, unwrap } from '../../api/client';
import { useFetch } from '../../hooks/useFetch';
import { useI18n } from '../../i18n';
import { localDay } from '../../time';
import { type DisputeAction, type DisputeActionBody, type DisputeDetail, type DisputeVocabulary, labels } from './api';

interface Props {
  d: DisputeDetail;
  action: DisputeAction;
  vocab: DisputeVocabulary | undefined;
  onClose: () => void;
  onDone: (d: DisputeDetail) => void;
}

/** The form of one dispute action: only the fields that action reads. */
export function DisputeActionModal({ d, action, vocab, onClose, onDone }: Props) {
  const { t, lang } = useI18n();
  const [form] = Form.useForm<DisputeActionBody>();
  const [error, setError] = useState<string | null>(null);
  const [saving, setSaving] = useState(false);
  const path = Form.useWatch('path', form);
  const orgs = useFetch(action === 'divert' ? () => unwrap(api.GET('/api/mediation-orgs', { params: { query: { jurisdictionCode: d.jurisdictionCode } } })) : null, [action, d.jurisdictionCode]);
  const suggestions = useFetch(action === 'assign' ? () => unwrap(api.GET('/api/disputes/{id}/mediator-suggestions', { params: { path: { id: d.id } } })) : null, [action, d.id]);
  const departments = useFetch(action === 'joint-meeting' ? () => unwrap(api.GET('/api/departments', { params: { query: { limit: 500 } } })) : null, [action]);
  const paths = labels(vocab, 'paths');
  const outcomes = labels(vocab, 'outcomes');
  const mediationPath = path ? (paths[path] as unknown as { mediation?: boolean } | undefined)?.mediation : false;

  async function ok() {
    setError(null);
    const values = await form.validateFields();
    setSaving(true);
    try {
      const body = { ...values, expectedVersion: d.version } as DisputeActionBody;
      const updated = await unwrap(api.POST('/api/disputes/{id}/actions/{action}', { params: { path: { id: d.id, action } }, body }));
      onDone(updated);
    } catch (err) {
      setError(err instanceof ApiError ? `${err.field ? `${err.field}: ` : ''}${err.message}` : String(err));
    } finally {
      setSaving(false);
    }
  }

  const date = (name: keyof DisputeActionBody, label: string, testId: string) => (
    <Form.Item name={name} label={label} rules={[{ required: true }]} initialValue={localDay()}>
      <Input type="date" data-testid={testId} />
    </Form.Item>
  );
  const text = (name: keyof DisputeActionBody, label: string, testId: string, rows = 0, required = true) => (
    <Form.Item name={name} label={label} rules={[{ required }]}>
      {rows ? <Input.TextArea rows={rows} data-testid={testId} /> : <Input data-testid={testId} />}
    </Form.Item>
  );

  return (
    <Modal open title={(vocab?.actions as Record<string, { zh: string; en: string }> | undefined)?.[action]?.[lang] ?? action} onCancel={onClose} onOk={ok} confirmLoading={saving} okButtonProps={{ 'data-testid': 'dispute-modal-ok' } as never} width={720} data-testid="dispute-modal" destroyOnClose>
      <div data-testid="dispute-modal-body">
        {error && <Alert type="error" showIcon message={error} style={{ marginBottom: 12 }} data-testid="dispute-modal-error" />}
        <Form form={form} layout="vertical">
          {action === 'divert' && (
            <>
              <Form.Item name="path" label={t('med.path')} rules={[{ required: true }]}>
                <Radio.Group optionType="button" options={Object.entries(paths).map(([k, v]) => ({ value: k, label: <span data-testid={`path-${k}`}>{v[lang]}</span> }))} />
              </Form.Item>
              {mediationPath && (
                <Form.Item name="orgId" label={t('med.org')}>
                  <Radio.Group>
                    <Space direction="vertical">
                      {(orgs.data?.items ?? []).filter((o) => o.active).map((o) => (
                        <Radio key={o.id} value={o.id} data-testid={`org-${o.id}`}>
                          {o.name} <Typography.Text type="secondary">{o.specialties.map((s) => labels(vocab, 'types')[s]?.[lang] ?? s).join('、')}</Typography.Text>
                        </Radio>
                      ))}
                    </Space>
                  </Radio.Group>
                </Form.Item>
              )}
              {text('receivingBody', t('med.receivingBody'), 'divert-receiving-body', 0, false)}
              {text('reason', t('med.reason'), 'divert-reason', 2)}
            </>
          )}
          {action === 'assign' && (
            <Form.Item name="mediatorId" label={`${t('med.mediator')}（${t('med.suggested')}）`} rules={[{ required: true }]}>
              <Radio.Group>
                <Space direction="vertical">
                  {(suggestions.data?.items ?? []).map((m) => (
                    <Radio key={m.id} value={m.id} data-testid={`mediator-${m.id}`}>
                      {m.displayName} · {m.orgName} <Tag>{t('med.score')} {m.score}</Tag> <Tag>{t('med.activeCases')} {m.activeCases}</Tag>
                    </Radio>
                  ))}
                </Space>
              </Radio.Group>
            </Form.Item>
          )}
          {action === 'record-session' && (
            <>
              <Form.Item name="heldAt" label={t('med.heldAt')} rules={[{ required: true }]} initialValue={new Date().toISOString()}>
                <Input data-testid="session-held-at" />
              </Form.Item>
              {text('place', t('med.place'), 'session-place')}
              {text('participants', t('med.participants'), 'session-participants')}
              {text('minutes', t('med.minutes'), 'session-minutes', 4)}
            </>
          )}
          {action === 'conclude' && (
            <>
              <Form.Item name="outcome" label={t('med.outcome')} rules={[{ required: true }]}>
                <Radio.Group optionType="button" options={Object.entries(outcomes).map(([k, v]) => ({ value: k, label: <span data-testid={`outcome-${k}`}>{v[lang]}</span> }))} />
              </Form.Item>
              {text('terms', t('med.terms'), 'conclude-terms', 4, false)}
              {text('performanceMethod', t('med.performanceMethod'), 'conclude-method', 0, false)}
              <Form.Item name="performanceDeadline" label={t('med.performanceDeadline')}>
                <Input type="date" data-testid="conclude-deadline" />
              </Form.Item>
            </>
          )}
          {action === 'apply-confirmation' && (
            <>
              {text('court', t('med.court'), 'confirmation-court')}
              {date('appliedOn', t('med.appliedOn'), 'confirmation-applied-on')}
            </>
          )}
          {action === 'record-confirmation' && (
            <>
              <Form.Item name="decision" label={t('med.decision')} rules={[{ required: true }]}>
                <Radio.Group optionType="button" options={(['confirmed', 'rejected'] as const).map((k) => ({ value: k, label: <span data-testid={`decision-${k}`}>{t(`med.decision.${k}`)}</span> }))} />
              </Form.Item>
              {date('decidedOn', t('med.decidedOn'), 'confirmation-decided-on')}
            </>
          )}
          {action === 'schedule-follow-up' && date('dueOn', t('med.dueOn'), 'follow-up-due')}
          {action === 'record-follow-up' && text('result', t('med.result'), 'follow-up-result', 3)}
          {action === 'joint-meeting' && (
            <>
              <Form.Item name="departmentIds" label={t('med.departments')} rules={[{ required: true }]}>
                <Select mode="multiple" showSearch optionFilterProp="label" options={(departments.data?.items ?? []).map((x) => ({ value: x.id, label: x.name }))} />
              </Form.Item>
              <Form.Item name="leadDepartmentId" label={t('med.lead')} rules={[{ required: true }]}>
                <Select showSearch optionFilterProp="label" options={(departments.data?.items ?? []).map((x) => ({ value: x.id, label: x.name }))} />
              </Form.Item>
              {text('minutes', t('med.minutes'), 'meeting-minutes', 3)}
            </>
          )}
          {text('note', t('med.note'), 'action-note', 0, false)}
        </Form>
      </div>
    </Modal>
  );
}
