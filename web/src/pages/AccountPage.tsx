import '../messages/accounts';
import { useState } from 'react';
import { Alert, Button, Card, Form, Input, Popconfirm, Space, Typography, message } from 'antd';
import { useNavigate } from 'react-router-dom';
import { api, ApiError, unwrap } from '../api/client';
import { useSession, useUser } from '../auth/session';
import { useI18n } from '../i18n';

interface PasswordForm {
  currentPassword: string;
  newPassword: string;
  confirm: string;
  code?: string;
}

/** The current password and, once a second factor is enrolled, a current code: what every security change asks for again. */
interface Reauth {
  currentPassword: string;
  code: string;
}

function ReauthFields({ prefix, value, onChange, withCode }: { prefix: string; value: Reauth; onChange: (v: Reauth) => void; withCode: boolean }) {
  const { t } = useI18n();
  return (
    <Space direction="vertical" style={{ width: '100%' }}>
      <Typography.Text type="secondary">{t('account.reauth', { code: withCode ? t('account.reauthCode') : '' })}</Typography.Text>
      <Space wrap>
        <Input.Password
          placeholder={t('account.current')}
          autoComplete="current-password"
          value={value.currentPassword}
          onChange={(e) => onChange({ ...value, currentPassword: e.target.value })}
          data-testid={`${prefix}-password`}
          style={{ width: 220 }}
        />
        {withCode && (
          <Input
            placeholder={t('account.currentCode')}
            autoComplete="one-time-code"
            value={value.code}
            onChange={(e) => onChange({ ...value, code: e.target.value.trim() })}
            maxLength={20}
            data-testid={`${prefix}-code`}
            style={{ width: 220 }}
          />
        )}
      </Space>
    </Space>
  );
}

const EMPTY: Reauth = { currentPassword: '', code: '' };
const body = (r: Reauth) => ({ currentPassword: r.currentPassword, ...(r.code ? { code: r.code } : {}) });

/** Change the password, enrol or replace a second factor, sign out everywhere: where a restricted session is sent. */
export default function AccountPage() {
  const { t } = useI18n();
  const user = useUser();
  const { refresh, logout } = useSession();
  const navigate = useNavigate();
  const [form] = Form.useForm<PasswordForm>();
  const [error, setError] = useState<ApiError | null>(null);
  const [setup, setSetup] = useState<{ secret: string; qrCode: string } | null>(null);
  const [totpAuth, setTotpAuth] = useState<Reauth>(EMPTY);
  const [logoutAuth, setLogoutAuth] = useState<Reauth>(EMPTY);
  const [code, setCode] = useState('');
  const [recovery, setRecovery] = useState<string[] | null>(null);
  const [busy, setBusy] = useState(false);
  const enrolled = user.totpEnabled;

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
      await unwrap(api.POST('/api/auth/password', { body: { currentPassword: v.currentPassword, newPassword: v.newPassword, ...(v.code ? { code: v.code.trim() } : {}) } }));
      form.resetFields();
      message.success(t('account.saved'));
      await refresh();
    });

  const startTotp = () =>
    run(async () => {
      setRecovery(null);
      setSetup(await unwrap(api.POST('/api/auth/totp/setup', { body: body(totpAuth) })));
    });
  const enableTotp = () =>
    run(async () => {
      const res = await unwrap(api.POST('/api/auth/totp/enable', { body: { code, currentPassword: totpAuth.currentPassword } }));
      setRecovery(res.recoveryCodes);
      setSetup(null);
      setCode('');
      setTotpAuth(EMPTY);
      message.success(t('account.totpDone'));
      await refresh();
    });
  const newRecoveryCodes = () =>
    run(async () => {
      setRecovery((await unwrap(api.POST('/api/auth/recovery-codes', { body: body(totpAuth) }))).recoveryCodes);
      setTotpAuth(EMPTY);
    });
  const removeTotp = () =>
    run(async () => {
      await unwrap(api.POST('/api/auth/totp/remove', { body: body(totpAuth) }));
      setTotpAuth(EMPTY);
      await refresh();
    });

  const restricted = user.mustChangePassword || user.needsTotpEnrolment;
  const canAct = totpAuth.currentPassword.length > 0 && (!enrolled || totpAuth.code.length >= 6);
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
          {enrolled && (
            <Form.Item name="code" label={t('account.currentCode')} rules={[{ required: true }]} validateStatus={error?.field === 'code' ? 'error' : undefined}>
              <Input id="password-code" autoComplete="one-time-code" maxLength={20} />
            </Form.Item>
          )}
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
        {recovery && (
          <Space direction="vertical" style={{ marginBottom: 16 }}>
            <Typography.Text strong>{t('account.recovery')}</Typography.Text>
            <Typography.Paragraph copyable={{ text: recovery.join('\n') }} data-testid="recovery-codes">
              <pre style={{ margin: 0 }}>{recovery.join('\n')}</pre>
            </Typography.Paragraph>
          </Space>
        )}
        {setup ? (
          <Space direction="vertical">
            <Typography.Text>{t('account.totpScan')}</Typography.Text>
            <img src={setup.qrCode} alt="TOTP QR" width={200} height={200} />
            <Typography.Text code copyable data-testid="totp-secret">
              {setup.secret}
            </Typography.Text>
            <Space>
              <Input placeholder={enrolled ? t('account.totpNewCode') : t('account.totpCode')} value={code} onChange={(e) => setCode(e.target.value.trim())} maxLength={6} inputMode="numeric" data-testid="totp-code" />
              <Button type="primary" onClick={enableTotp} loading={busy} disabled={!/^\d{6}$/.test(code)} data-testid="totp-confirm">
                {t('account.totpConfirm')}
              </Button>
            </Space>
          </Space>
        ) : (
          <Space direction="vertical" style={{ width: '100%' }}>
            <Typography.Text>{enrolled ? t('account.totpOn') : t('account.totpOff')}</Typography.Text>
            <ReauthFields prefix="totp" value={totpAuth} onChange={setTotpAuth} withCode={enrolled} />
            <Space wrap>
              <Button type={enrolled ? 'default' : 'primary'} onClick={startTotp} loading={busy} disabled={!canAct} data-testid="totp-start">
                {enrolled ? t('account.totpReplace') : t('account.totpStart')}
              </Button>
              {enrolled && (
                <Button onClick={newRecoveryCodes} loading={busy} disabled={!canAct} data-testid="recovery-new">
                  {t('account.recoveryNew')}
                </Button>
              )}
              {enrolled && !user.secondFactorRequired && (
                <Button danger onClick={removeTotp} loading={busy} disabled={!canAct} data-testid="totp-remove">
                  {t('account.totpRemove')}
                </Button>
              )}
            </Space>
          </Space>
        )}
      </Card>

      <Card title={t('account.logoutAll')}>
        <Space direction="vertical" style={{ width: '100%' }}>
          <Typography.Text type="secondary">{t('account.logoutAllHelp')}</Typography.Text>
          <ReauthFields prefix="logout-all" value={logoutAuth} onChange={setLogoutAuth} withCode={enrolled} />
          <Popconfirm
            title={t('account.logoutAllHelp')}
            onConfirm={() =>
              run(async () => {
                await unwrap(api.POST('/api/auth/logout-all', { body: body(logoutAuth) }));
                await logout();
              })
            }
          >
            <Button danger disabled={!logoutAuth.currentPassword || (enrolled && logoutAuth.code.length < 6)} data-testid="logout-all">
              {t('account.logoutAll')}
            </Button>
          </Popconfirm>
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
