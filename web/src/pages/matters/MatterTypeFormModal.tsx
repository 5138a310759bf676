import { useState } from 'react';
import { Alert, App, Form, Input, InputNumber, Modal, Select, Switch } from 'antd';
import { api, unwrap, type Level, type MatterCategory, type MatterCategoryCode, type MatterType } from '../../api/client';
import { applyApiError } from '../../components/formErrors';
import { useI18n } from '../../i18n';
import { useLevelName } from '../../settings';
import { PRIORITIES, PRIORITY_TAGS, type Priority } from './labels';

interface Values {
  code: string;
  name: string;
  category: MatterCategoryCode;
  description?: string;
  keywords?: string[];
  timeLimitDays: number;
  priority: Priority;
  handlingLevel: Level;
  active: boolean;
}

const FIELDS = ['code', 'name', 'category', 'description', 'keywords', 'timeLimitDays', 'priority', 'handlingLevel', 'active'] as const;

interface Props {
  matter: MatterType | null;
  categories: MatterCategory[];
  levels: readonly Level[];
  onClose: () => void;
  onSaved: () => void;
}

export function MatterTypeFormModal({ matter, categories, levels, onClose, onSaved }: Props) {
  const { lang, t } = useI18n();
  const levelName = useLevelName();
  const { message } = App.useApp();
  const [form] = Form.useForm<Values>();
  const [saving, setSaving] = useState(false);
  const [error, setError] = useState<string | null>(null);
  const creating = matter === null;

  const submit = async () => {
    const v = await form.validateFields().catch(() => null);
    if (!v) return; // the form shows what is missing
    setSaving(true);
    setError(null);
    const fields = {
      name: v.name.trim(),
      category: v.category,
      description: v.description?.trim() ?? '',
      keywords: (v.keywords ?? []).map((k) => k.trim()).filter(Boolean),
      timeLimitDays: v.timeLimitDays,
      priority: v.priority,
      handlingLevel: v.handlingLevel,
    };
    try {
      if (creating) {
        await unwrap(api.POST('/api/matter-types', { body: { code: v.code.trim(), ...fields } }));
      } else {
        await unwrap(api.PATCH('/api/matter-types/{code}', { params: { path: { code: matter.code } }, body: { ...fields, active: v.active } }));
      }
      message.success(t('common.saved'));
      onSaved();
    } catch (err) {
      setError(applyApiError(form, err, FIELDS));
    } finally {
      setSaving(false);
    }
  };

  return (
    <Modal
      open
      width={560}
      title={creating ? t('matter.create') : t('matter.editTitle')}
      okText={t('common.save')}
      cancelText={t('common.cancel')}
      confirmLoading={saving}
      onOk={submit}
      onCancel={onClose}
      okButtonProps={{ 'data-testid': 'matter-submit' }}
    >
      <Form form={form} layout="vertical" name="matter" initialValues={matter ?? { priority: 'normal', handlingLevel: 'street', timeLimitDays: 5, active: true, keywords: [] }}>
        <Form.Item name="code" label={t('matter.code')} rules={[{ required: true, whitespace: true, max: 32 }]}>
          <Input disabled={!creating} placeholder={t('matter.codePlaceholder')} />
        </Form.Item>
        <Form.Item name="name" label={t('matter.name')} rules={[{ required: true, whitespace: true, min: 2, max: 60 }]}>
          <Input />
        </Form.Item>
        <Form.Item name="category" label={t('matter.category')} rules={[{ required: true }]}>
          <Select options={categories.map((c) => ({ value: c.category as MatterCategoryCode, label: c[lang] }))} />
        </Form.Item>
        <Form.Item name="description" label={t('matter.description')} rules={[{ max: 500 }]}>
          <Input.TextArea rows={2} />
        </Form.Item>
        <Form.Item name="keywords" label={t('matter.keywords')} extra={t('matter.keywordsHint')}>
          <Select mode="tags" open={false} tokenSeparators={[',', '，', '、', ' ']} />
        </Form.Item>
        <div style={{ display: 'flex', gap: 16 }}>
          <Form.Item name="timeLimitDays" label={t('matter.timeLimit')} rules={[{ required: true }]} style={{ flex: 1 }}>
            <InputNumber min={1} max={365} precision={0} addonAfter={t('matter.daysUnit')} style={{ width: '100%' }} />
          </Form.Item>
          <Form.Item name="priority" label={t('matter.priority')} rules={[{ required: true }]} style={{ flex: 1 }}>
            <Select options={PRIORITIES.map((p) => ({ value: p, label: t(PRIORITY_TAGS[p].label) }))} />
          </Form.Item>
          <Form.Item name="handlingLevel" label={t('matter.handlingLevel')} rules={[{ required: true }]} style={{ flex: 1 }}>
            <Select options={levels.map((l) => ({ value: l, label: levelName(l) }))} />
          </Form.Item>
        </div>
        {!creating && (
          <Form.Item name="active" label={t('common.status')} valuePropName="checked">
            <Switch checkedChildren={t('common.active')} unCheckedChildren={t('common.inactive')} />
          </Form.Item>
        )}
      </Form>
      {error && <Alert type="error" showIcon message={error} />}
    </Modal>
  );
}
