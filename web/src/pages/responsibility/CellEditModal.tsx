import { useState } from 'react';
import { Alert, App, Form, Input, Modal, Select, Typography } from 'antd';
import { api, unwrap, type DepartmentKind } from '../../api/client';
import { applyApiError } from '../../components/formErrors';
import { useI18n } from '../../i18n';
import { useLevelName } from '../../settings';
import type { EditTarget } from './ResponsibilityPage';

interface Values {
  departmentKind?: string | null;
  reason: string;
}

export function CellEditModal({ target, kinds, onClose, onSaved }: { target: EditTarget; kinds: DepartmentKind[]; onClose: () => void; onSaved: () => void }) {
  const { lang, t } = useI18n();
  const levelName = useLevelName();
  const { message } = App.useApp();
  const [form] = Form.useForm<Values>();
  const [saving, setSaving] = useState(false);
  const [error, setError] = useState<string | null>(null);

  const submit = async () => {
    const v = await form.validateFields().catch(() => null);
    if (!v) return; // the form shows what is missing
    setSaving(true);
    setError(null);
    try {
      await unwrap(
        api.PUT('/api/responsibility-matrix/{matterTypeCode}/{level}', {
          params: { path: { matterTypeCode: target.matter.code, level: target.level } },
          body: { departmentKind: v.departmentKind ?? null, reason: v.reason.trim() },
        }),
      );
      message.success(t('common.saved'));
      onSaved();
    } catch (err) {
      setError(applyApiError(form, err, ['departmentKind', 'reason']));
    } finally {
      setSaving(false);
    }
  };

  return (
    <Modal
      open
      title={t('matrix.editTitle')}
      okText={t('common.save')}
      cancelText={t('common.cancel')}
      confirmLoading={saving}
      onOk={submit}
      onCancel={onClose}
      okButtonProps={{ 'data-testid': 'matrix-submit' }}
    >
      <Typography.Paragraph type="secondary">{t('matrix.cell', { matter: target.matter.name, level: levelName(target.level) })}</Typography.Paragraph>
      <Form form={form} layout="vertical" name="matrix-cell" initialValues={{ departmentKind: target.departmentKind ?? undefined, reason: '' }}>
        <Form.Item name="departmentKind" label={t('matrix.departmentKind')}>
          <Select allowClear showSearch optionFilterProp="label" placeholder={t('matrix.clear')} options={kinds.map((k) => ({ value: k.kind, label: k[lang] }))} />
        </Form.Item>
        <Form.Item name="reason" label={t('common.reason')} rules={[{ required: true, whitespace: true, min: 2, max: 500, message: t('common.reasonRequired') }]}>
          <Input.TextArea rows={3} placeholder={t('matrix.reasonPlaceholder')} data-testid="matrix-reason" />
        </Form.Item>
      </Form>
      {error && <Alert type="error" showIcon message={error} />}
    </Modal>
  );
}
