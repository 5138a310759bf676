import { useEffect, useState } from 'react';
import { Alert, App, Form, Input, Modal, Select } from 'antd';
import { api, unwrap, type GridCategory, type GridDetail } from '../../api/client';
import { applyApiError } from '../../components/formErrors';
import { GRID_CATEGORY_LABELS, useI18n } from '../../i18n';

interface Values {
  name: string;
  category: GridCategory | null;
  status: 'active' | 'retired';
  reason: string;
  filingNumber?: string;
}

const FIELDS = ['name', 'category', 'status', 'reason', 'filingNumber'] as const;

export function GridEditModal({ grid, open, onClose, onSaved }: { grid: GridDetail; open: boolean; onClose: () => void; onSaved: () => void }) {
  const { lang, t } = useI18n();
  const { message } = App.useApp();
  const [form] = Form.useForm<Values>();
  const [saving, setSaving] = useState(false);
  const [error, setError] = useState<string | null>(null);

  useEffect(() => {
    if (open) {
      form.setFieldsValue({ name: grid.name, category: grid.category as GridCategory | null, status: grid.status, reason: '', filingNumber: '' });
      setError(null);
    }
  }, [open, grid, form]);

  const submit = async () => {
    const v = await form.validateFields().catch(() => null);
    if (!v) return; // the form shows what is missing
    setSaving(true);
    setError(null);
    try {
      await unwrap(
        api.PATCH('/api/grids/{id}', {
          params: { path: { id: grid.id } },
          body: {
            ...(v.name !== grid.name ? { name: v.name } : {}),
            ...(v.category !== grid.category ? { category: v.category ?? null } : {}),
            ...(v.status !== grid.status ? { status: v.status } : {}),
            reason: v.reason.trim(),
            ...(v.filingNumber?.trim() ? { filingNumber: v.filingNumber.trim() } : {}),
            expectedVersion: grid.version,
          },
        }),
      );
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
      open={open}
      title={t('grids.editTitle', { code: grid.code })}
      okText={t('common.save')}
      cancelText={t('common.cancel')}
      confirmLoading={saving}
      onOk={submit}
      onCancel={onClose}
      destroyOnHidden
      okButtonProps={{ 'data-testid': 'grid-edit-submit' }}
    >
      <Alert type="info" showIcon message={t('grids.editHint')} style={{ marginBottom: 16 }} />
      <Form form={form} layout="vertical" name="grid-edit">
        <Form.Item name="name" label={t('grids.name')} rules={[{ required: true, max: 100 }]}>
          <Input />
        </Form.Item>
        {grid.kind === 'dedicated' && (
          <Form.Item name="category" label={t('grids.category')}>
            <Select allowClear options={Object.entries(GRID_CATEGORY_LABELS).map(([value, l]) => ({ value: value as GridCategory, label: l[lang] }))} />
          </Form.Item>
        )}
        <Form.Item name="status" label={t('grids.status')} rules={[{ required: true }]}>
          <Select
            options={[
              { value: 'active', label: t('grids.status.active') },
              { value: 'retired', label: t('grids.status.retired') },
            ]}
          />
        </Form.Item>
        <Form.Item name="reason" label={t('grids.reason')} rules={[{ required: true, whitespace: true, min: 2, max: 500, message: t('common.reasonRequired') }]}>
          <Input.TextArea rows={3} placeholder={t('grids.reasonPlaceholder')} data-testid="grid-edit-reason" />
        </Form.Item>
        <Form.Item name="filingNumber" label={t('grids.filingNumber')} rules={[{ max: 64 }]}>
          <Input />
        </Form.Item>
      </Form>
      {error && <Alert type="error" showIcon message={error} />}
    </Modal>
  );
}
