import '../../messages/mediation';
import { useMemo, useState } from 'react';
import { Alert, Button, Card, Checkbox, Form, Input, InputNumber, Radio, Select, Space, TreeSelect } from 'antd';
import { MinusCircleOutlined, PlusOutlined } from '@ant-design/icons';
import { useNavigate, useSearchParams } from 'react-router-dom';
import { api, ApiError } from '../../api/client';
import { useAbility } from '../../auth/session';
import { toTreeSelect, useJurisdictionTree } from '../../hooks/useJurisdictionTree';
import { useI18n } from '../../i18n';
import { labels, type NewDispute } from './api';
import { useVocabulary } from './useVocabulary';

type Values = Omit<NewDispute, 'case' | 'parties'> & { title?: string; description?: string; communityCode?: string; parties: Array<NewDispute['parties'][number]> };

/** One window: a dispute from a case already taken in, or a new case taken in with it. */
export default function DisputeIntakePage() {
  const { t, lang } = useI18n();
  const navigate = useNavigate();
  const [params] = useSearchParams();
  const canCreateCase = useAbility('case:create');
  const [mode, setMode] = useState<'case' | 'new'>(params.get('caseId') || !canCreateCase ? 'case' : 'new');
  const [error, setError] = useState<string | null>(null);
  const [saving, setSaving] = useState(false);
  const [form] = Form.useForm<Values>();
  const vocab = useVocabulary();
  const tree = useJurisdictionTree();
  const treeData = useMemo(() => (tree.data ? [toTreeSelect(tree.data.root, 'community')] : []), [tree.data]);

  async function submit(v: Values) {
    setError(null);
    setSaving(true);
    const body: NewDispute = {
      disputeType: v.disputeType,
      facts: v.facts,
      amount: v.amount ?? undefined,
      peopleCount: v.peopleCount ?? undefined,
      riskLevel: v.riskLevel,
      groupDispute: v.groupDispute,
      extremeRisk: v.extremeRisk,
      parties: v.parties.map((p) => ({ ...p, phone: p.phone || undefined, idNumber: p.idNumber || undefined })),
      ...(mode === 'case' ? { caseId: v.caseId } : { case: { channel: 'grid', title: v.title!, description: v.description!, communityCode: v.communityCode } }),
    };
    try {
      const { data } = await api.POST('/api/disputes', { body });
      if (data) navigate(`/disputes/${data.id}`);
    } catch (err) {
      const field = err instanceof ApiError ? err.field : null;
      setError(`${field ? `${field}: ` : ''}${err instanceof Error ? err.message : String(err)}`);
    } finally {
      setSaving(false);
    }
  }

  const types = labels(vocab, 'types');
  return (
    <Card title={t('med.new')}>
      <Form<Values> form={form} layout="vertical" onFinish={submit} initialValues={{ caseId: Number(params.get('caseId')) || undefined, riskLevel: 'low', parties: [{ kind: 'person', role: 'applicant' }, { kind: 'person', role: 'respondent' }] }} style={{ maxWidth: 900 }}>
        {error && <Alert type="error" showIcon message={error} style={{ marginBottom: 16 }} data-testid="dispute-intake-error" />}
        <Radio.Group value={mode} onChange={(e) => setMode(e.target.value)} style={{ marginBottom: 16 }}>
          <Radio.Button value="case" data-testid="intake-mode-case">{t('med.fromCase')}</Radio.Button>
          {canCreateCase && <Radio.Button value="new" data-testid="intake-mode-new">{t('med.withCase')}</Radio.Button>}
        </Radio.Group>
        {mode === 'case' ? (
          <Form.Item name="caseId" label={t('med.caseId')} rules={[{ required: true }]}>
            <InputNumber min={1} data-testid="dispute-case-id" />
          </Form.Item>
        ) : (
          <>
            <Form.Item name="title" label={t('med.caseTitle')} rules={[{ required: true, min: 2 }]}><Input data-testid="dispute-case-title" /></Form.Item>
            <Form.Item name="description" label={t('med.caseDescription')} rules={[{ required: true }]}><Input.TextArea rows={2} data-testid="dispute-case-description" /></Form.Item>
            <Form.Item name="communityCode" label={t('med.community')} rules={[{ required: true }]}>
              <TreeSelect treeData={treeData} showSearch treeNodeFilterProp="title" treeDefaultExpandAll={false} data-testid="dispute-community" />
            </Form.Item>
          </>
        )}
        <Form.Item name="disputeType" label={t('med.type')} rules={[{ required: true }]}>
          <Radio.Group optionType="button" options={Object.entries(types).map(([k, v]) => ({ value: k, label: <span data-testid={`dispute-type-${k}`}>{v[lang]}</span> }))} />
        </Form.Item>
        <Form.Item name="facts" label={t('med.facts')} rules={[{ required: true, min: 2 }]}><Input.TextArea rows={3} data-testid="dispute-facts" /></Form.Item>
        <Space wrap size="large">
          <Form.Item name="amount" label={t('med.amount')}><InputNumber min={0} data-testid="dispute-amount" /></Form.Item>
          <Form.Item name="peopleCount" label={t('med.people')}><InputNumber min={1} /></Form.Item>
          <Form.Item name="riskLevel" label={t('med.risk')}>
            <Radio.Group optionType="button" options={(['low', 'medium', 'high'] as const).map((r) => ({ value: r, label: t(`med.risk.${r}`) }))} />
          </Form.Item>
          <Form.Item name="groupDispute" valuePropName="checked" label=" "><Checkbox>{t('med.group')}</Checkbox></Form.Item>
          <Form.Item name="extremeRisk" valuePropName="checked" label=" "><Checkbox>{t('med.extreme')}</Checkbox></Form.Item>
        </Space>
        <Form.List name="parties">
          {(fields, { add, remove }) => (
            <Card size="small" title={t('med.parties')} extra={<Button icon={<PlusOutlined />} onClick={() => add({ kind: 'person', role: 'third_party' })}>{t('med.addParty')}</Button>}>
              {fields.map((f, i) => (
                <Space key={f.key} align="baseline" wrap>
                  <Form.Item name={[f.name, 'kind']}><Select style={{ width: 100 }} options={(['person', 'organisation'] as const).map((k) => ({ value: k, label: t(`med.party.${k}`) }))} /></Form.Item>
                  <Form.Item name={[f.name, 'role']}><Select style={{ width: 110 }} options={(['applicant', 'respondent', 'third_party'] as const).map((k) => ({ value: k, label: t(`med.role.${k}`) }))} /></Form.Item>
                  <Form.Item name={[f.name, 'name']} rules={[{ required: true }]}><Input placeholder={t('med.name')} data-testid={`party-${i}-name`} /></Form.Item>
                  <Form.Item name={[f.name, 'phone']}><Input placeholder={t('med.phone')} data-testid={`party-${i}-phone`} /></Form.Item>
                  <Form.Item name={[f.name, 'idNumber']}><Input placeholder={t('med.idNumber')} data-testid={`party-${i}-id`} style={{ width: 200 }} /></Form.Item>
                  {fields.length > 1 && <MinusCircleOutlined onClick={() => remove(f.name)} />}
                </Space>
              ))}
            </Card>
          )}
        </Form.List>
        <Button type="primary" htmlType="submit" loading={saving} style={{ marginTop: 16 }} data-testid="dispute-submit">{t('med.submit')}</Button>
      </Form>
    </Card>
  );
}
