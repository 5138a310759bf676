import { useState } from 'react';
import { Alert, Button, Card, Form, Input, Space, Typography, message } from 'antd';
import { useNavigate } from 'react-router-dom';
import { api, ApiError, unwrap } from '../api/client';
import { useSession, useUser } from '../auth/session';
import { useI18n } from '../i18n';

interface PasswordForm {
  currentPassword: string;
  newPassword: string;
  confirm: string;
}

/** Change the password, enrol a second factor, sign out everywhere: where a restricted session is sent. */
export default function AccountPage() {
  const { t } = useI18n();
  const user = useUser();
  const { refresh, logout } = useSession();
  const navigate = useNavigate();
  const [form] = Form.useForm<PasswordForm>();
  const [error, setError] = useState<ApiError | null>(null);
  const [setup, setSetup] = useState<{ secret: string; qrCode: string } | null>(null);
  const [code, setCode] = useState('');
  const [recovery, setRecovery] = useState<string[] | null>(null);
  const [busy, setBusy] = useState(false);

  const run = async (fn: () => Promise<void>) => {
    setBusy(true);
    setError(null);
    try {
      await fn();
    } catch (err) {
      setError(err instanceof ApiError ? err : new ApiError(0, 'unknown', String(err)));
    } finally {
      setBusy(false);
    }
  };

  const changePassword = (v: PasswordForm) =>
    run(async () => {
      await unwrap(api.POST('/api/auth/password', { body: { currentPassword: v.currentPassword, newPassword: v.newPassword } }));
      form.resetFields();
      message.success(t('account.saved'));
      await refresh();
    });

  const startTotp = () => run(async () => setSetup(await unwrap(api.POST('/api/auth/totp/setup'))));
  const enableTotp = () =>
    run(async () => {
      const res = await unwrap(api.POST('/api/auth/totp/enable', { body: { code } }));
      setRecovery(res.recoveryCodes);
      setSetup(null);
      await refresh();
    });

  const restricted = user.mustChangePassword || user.needsTotpEnrolment;
  return (
    <Space direction="vertical" size="large" style={{ width: '100%', maxWidth: 640 }}>
      <Typography.Title level={3} style={{ margin: 0 }}>
        {t('account.title')}
      </Typography.Title>
      {error && <Alert type="error" showIcon message={error.message} data-testid="account-error" />}

      <Card title={t('account.password')}>
        {user.mustChangePassword && <Alert type="warning" showIcon message={t('account.passwordMust')} style={{ marginBottom: 16 }} />}
        <Form<PasswordForm> form={form} layout="vertical" onFinish={changePassword} disabled={busy}>
          <Form.Item name="currentPassword" label={t('account.current')} rules={[{ required: true }]}>
            <Input.Password id="current-password" autoComplete="current-password" />
          </Form.Item>
          <Form.Item name="newPassword" label={t('account.new')} rules={[{ required: true }]} validateStatus={error?.field === 'newPassword' ? 'error' : undefined}>
            <Input.Password id="new-password" autoComplete="new-password" />
          </Form.Item>
          <Form.Item
            name="confirm"
            label={t('account.confirm')}
            dependencies={['newPassword']}
            rules={[{ required: true }, ({ getFieldValue }) => ({ validator: (_, v) => (v === getFieldValue('newPassword') ? Promise.resolve() : Promise.reject(new Error(t('account.mismatch')))) })]}
          >
            <Input.Password id="confirm-password" autoComplete="new-password" />
          </Form.Item>
          <Button type="primary" htmlType="submit" loading={busy} data-testid="password-save">
            {t('account.save')}
          </Button>
        </Form>
      </Card>

      <Card title={t('account.totp')}>
        {user.needsTotpEnrolment && <Alert type="warning" showIcon message={t('account.totpMust')} style={{ marginBottom: 16 }} />}
        {recovery ? (
          <Space direction="vertical">
            <Typography.Text strong>{t('account.recovery')}</Typography.Text>
            <Typography.Paragraph copyable={{ text: recovery.join('\n') }} data-testid="recovery-codes">
              <pre style={{ margin: 0 }}>{recovery.join('\n')}</pre>
            </Typography.Paragraph>
          </Space>
        ) : setup ? (
          <Space direction="vertical">
            <Typography.Text>{t('account.totpScan')}</Typography.Text>
            <img src={setup.qrCode} alt="TOTP QR" width={200} height={200} />
            <Typography.Text code copyable data-testid="totp-secret">
              {setup.secret}
            </Typography.Text>
            <Space>
              <Input placeholder={t('account.totpCode')} value={code} onChange={(e) => setCode(e.target.value.trim())} maxLength={6} inputMode="numeric" data-testid="totp-code" />
              <Button type="primary" onClick={enableTotp} loading={busy} disabled={!/^\d{6}$/.test(code)} data-testid="totp-confirm">
                {t('account.totpConfirm')}
              </Button>
            </Space>
          </Space>
        ) : (
          <Space>
            <Typography.Text>{user.needsTotpEnrolment ? t('account.totpOff') : t('account.totpOn')}</Typography.Text>
            {user.needsTotpEnrolment && (
              <Button onClick={startTotp} loading={busy} data-testid="totp-start">
                {t('account.totpStart')}
              </Button>
            )}
          </Space>
        )}
      </Card>

      <Card title={t('account.logoutAll')}>
        <Space>
          <Typography.Text type="secondary">{t('account.logoutAllHelp')}</Typography.Text>
          <Button
            danger
            onClick={() =>
              run(async () => {
                await unwrap(api.POST('/api/auth/logout-all'));
                await logout();
              })
            }
          >
            {t('account.logoutAll')}
          </Button>
        </Space>
      </Card>
      {!restricted && (
        <Button type="link" onClick={() => navigate('/')}>
          {t('account.continue')}
        </Button>
      )}
    </Space>
  );
}
