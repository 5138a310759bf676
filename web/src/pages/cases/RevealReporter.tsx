import '../../messages/cases';
import { useState } from 'react';
import { Alert, Button, Form, Input, Modal, Typography } from 'antd';
import { EyeOutlined } from '@ant-design/icons';
import { api, unwrap } from '../../api/client';
import { useI18n } from '../../i18n';

/**
 * The reporter's name and phone in clear, for a stated purpose (e.g. the callback): the server records who asked,
 * why and which fields in the audit log. Shown only to users with `personal:reveal`.
 */
export function RevealReporter({ caseId }: { caseId: number }) {
  const { t } = useI18n();
  const [open, setOpen] = useState(false);
  const [purpose, setPurpose] = useState('');
  const [busy, setBusy] = useState(false);
  const [error, setError] = useState<string | null>(null);
  const [shown, setShown] = useState<{ name: string | null; phone: string | null } | null>(null);

  const reveal = async () => {
    setBusy(true);
    setError(null);
    try {
      const res = await unwrap(api.POST('/api/cases/{id}/reveal', { params: { path: { id: caseId } }, body: { fields: ['reporterName', 'reporterPhone'], purpose: purpose.trim() } }));
      setShown({ name: res.reporterName ?? null, phone: res.reporterPhone ?? null });
      setOpen(false);
    } catch (err) {
      setError(err instanceof Error ? err.message : String(err));
    } finally {
      setBusy(false);
    }
  };

  if (shown) {
    return (
      <Typography.Text strong data-testid="reporter-revealed" style={{ whiteSpace: 'nowrap', marginInlineStart: 8 }}>
        {[shown.name, shown.phone].filter(Boolean).join(' · ')}
      </Typography.Text>
    );
  }
  return (
    <>
      <Button size="small" type="link" icon={<EyeOutlined />} onClick={() => setOpen(true)} data-testid="reporter-reveal">
        {t('reveal.button')}
      </Button>
      {open && (
        <Modal
          open
          title={t('reveal.title')}
          okText={t('reveal.button')}
          cancelText={t('common.cancel')}
          confirmLoading={busy}
          okButtonProps={{ disabled: purpose.trim().length < 4, 'data-testid': 'reporter-reveal-ok' }}
          onOk={reveal}
          onCancel={() => setOpen(false)}
        >
          <Alert type="info" showIcon message={t('reveal.hint')} style={{ marginBottom: 16 }} />
          {error && <Alert type="error" showIcon message={error} style={{ marginBottom: 16 }} />}
          <Form layout="vertical">
            <Form.Item label={t('reveal.purpose')} required>
              <Input value={purpose} onChange={(e) => setPurpose(e.target.value)} maxLength={200} placeholder={t('reveal.purposePlaceholder')} data-testid="reporter-reveal-purpose" />
            </Form.Item>
          </Form>
        </Modal>
      )}
    </>
  );
}
