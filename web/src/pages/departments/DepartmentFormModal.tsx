import { useState } from 'react';
import { Alert, App, Form, Input, Modal, Select, Switch, TreeSelect } from 'antd';
import { api, unwrap, type Department, type DepartmentKind } from '../../api/client';
import { applyApiError } from '../../components/formErrors';
import type { TreeSelectNode } from '../../hooks/useJurisdictionTree';
import { useI18n } from '../../i18n';

interface Values {
  code: string;
  name: string;
  kind: string;
  jurisdictionCode: string;
  phone?: string;
  active: boolean;
}

const FIELDS = ['code', 'name', 'kind', 'jurisdictionCode', 'phone', 'active'] as const;

interface Props {
  department: Department | null;
  kinds: DepartmentKind[];
  treeData: TreeSelectNode[];
  onClose: () => void;
  onSaved: () => void;
}

export function DepartmentFormModal({ department, kinds, treeData, onClose, onSaved }: Props) {
  const { lang, t } = useI18n();
  const { message } = App.useApp();
  const [form] = Form.useForm<Values>();
  const [saving, setSaving] = useState(false);
  const [error, setError] = useState<string | null>(null);
  const creating = department === null;

  const submit = async () => {
    const v = await form.validateFields().catch(() => null);
    if (!v) return; // the form shows what is missing
    setSaving(true);
    setError(null);
    try {
      const phone = v.phone?.trim() ?? '';
      if (creating) {
        await unwrap(
          api.POST('/api/departments', {
            body: { code: v.code.trim(), name: v.name.trim(), kind: v.kind, jurisdictionCode: v.jurisdictionCode, ...(phone ? { phone } : {}) },
          }),
        );
      } else {
        await unwrap(
          api.PATCH('/api/departments/{id}', {
            params: { path: { id: department.id } },
            body: { name: v.name.trim(), phone: phone || null, active: v.active },
          }),
        );
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
      title={creating ? t('dept.create') : t('dept.editTitle')}
      okText={t('common.save')}
      cancelText={t('common.cancel')}
      confirmLoading={saving}
      onOk={submit}
      onCancel={onClose}
      okButtonProps={{ 'data-testid': 'dept-submit' }}
    >
      <Form
        form={form}
        layout="vertical"
        name="department"
        initialValues={department ? { ...department, phone: department.phone ?? '' } : { active: true }}
      >
        <Form.Item name="code" label={t('dept.code')} rules={[{ required: true, whitespace: true, max: 40 }]}>
          <Input disabled={!creating} placeholder={t('dept.codePlaceholder')} />
        </Form.Item>
        <Form.Item name="name" label={t('dept.name')} rules={[{ required: true, whitespace: true, min: 2, max: 100 }]}>
          <Input />
        </Form.Item>
        <Form.Item name="kind" label={t('dept.kind')} rules={[{ required: true }]}>
          <Select disabled={!creating} showSearch optionFilterProp="label" options={kinds.map((k) => ({ value: k.kind, label: k[lang] }))} />
        </Form.Item>
        <Form.Item name="jurisdictionCode" label={t('dept.jurisdiction')} rules={[{ required: true }]}>
          <TreeSelect disabled={!creating} treeData={treeData} showSearch treeNodeFilterProp="title" treeDefaultExpandAll />
        </Form.Item>
        <Form.Item name="phone" label={t('dept.phone')} rules={[{ max: 32 }]}>
          <Input />
        </Form.Item>
        {!creating && (
          <Form.Item name="active" label={t('dept.active')} valuePropName="checked">
            <Switch checkedChildren={t('common.active')} unCheckedChildren={t('common.inactive')} />
          </Form.Item>
        )}
      </Form>
      {error && <Alert type="error" showIcon message={error} />}
    </Modal>
  );
}
