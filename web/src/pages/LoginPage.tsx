import { useState } from 'react';
import { Alert, Button, Card, Form, Input, Typography } from 'antd';
import { LockOutlined, UserOutlined } from '@ant-design/icons';
import { Navigate, useNavigate, useSearchParams } from 'react-router-dom';
import { ApiError } from '../api/client';
import { useSession } from '../auth/session';
import { LangSwitch } from '../components/LangSwitch';
import { useI18n } from '../i18n';

interface LoginForm {
  username: string;
  password: string;
  totp?: string;
}

function safeNext(next: string | null): string {
  // only paths inside the console: never an absolute or protocol-relative address
  return next && next.startsWith('/') && !next.startsWith('//') ? next : '/';
}

export default function LoginPage() {
  const { t } = useI18n();
  const { state, login } = useSession();
  const navigate = useNavigate();
  const [params] = useSearchParams();
  const [error, setError] = useState<ApiError | null>(null);
  const [submitting, setSubmitting] = useState(false);
  const [needTotp, setNeedTotp] = useState(false);
  const next = safeNext(params.get('next'));

  if (state.status === 'signed-in') return <Navigate to={next} replace />;

  const onFinish = async (values: LoginForm) => {
    setSubmitting(true);
    setError(null);
    try {
      await login(values.username, values.password, values.totp);
      navigate(next, { replace: true });
    } catch (err) {
      const e = err instanceof ApiError ? err : new ApiError(0, 'unknown', String(err));
      if (e.code === 'totp_required') {
        setNeedTotp(true);
        setError(null);
        return;
      }
      setError(e);
    } finally {
      setSubmitting(false);
    }
  };

  return (
    <div
      style={{
        minHeight: '100%',
        display: 'flex',
        flexDirection: 'column',
        alignItems: 'center',
        justifyContent: 'center',
        background: 'linear-gradient(160deg, #e6f0ff 0%, #f5f7fa 55%, #eef5ee 100%)',
        padding: 16,
        position: 'relative',
      }}
    >
      <div style={{ position: 'absolute', top: 16, right: 16 }}>
        <LangSwitch />
      </div>
      <Card style={{ width: 380, maxWidth: '100%', boxShadow: '0 6px 24px rgba(0,0,0,0.08)' }}>
        <div style={{ textAlign: 'center', marginBottom: 24 }}>
          <div
            aria-hidden
            style={{ width: 48, height: 48, margin: '0 auto 12px', borderRadius: 10, background: '#1677ff', color: '#fff', fontSize: 26, lineHeight: '48px' }}
          >
            治
          </div>
          <Typography.Title level={4} style={{ margin: 0 }}>
            {t('login.title')}
          </Typography.Title>
          <Typography.Text type="secondary">{t('login.subtitle')}</Typography.Text>
        </div>
        {params.get('expired') && !error && <Alert type="info" showIcon message={t('login.expired')} style={{ marginBottom: 16 }} />}
        <Form<LoginForm> layout="vertical" onFinish={onFinish} requiredMark={false} disabled={submitting} onValuesChange={() => setError(null)}>
          <Form.Item name="username" label={t('login.username')} rules={[{ required: true, message: t('login.usernameRequired') }]}>
            <Input id="username" prefix={<UserOutlined />} autoComplete="username" autoFocus size="large" status={error?.field === 'username' ? 'error' : undefined} />
          </Form.Item>
          <Form.Item name="password" label={t('login.password')} rules={[{ required: true, message: t('login.passwordRequired') }]}>
            <Input.Password id="password" prefix={<LockOutlined />} autoComplete="current-password" size="large" status={error?.field === 'password' ? 'error' : undefined} />
          </Form.Item>
          {needTotp && (
            <Form.Item name="totp" label={t('login.totp')} extra={t('login.totpHelp')} rules={[{ required: true, message: t('login.totpRequired') }]}>
              <Input id="totp" data-testid="login-totp" autoComplete="one-time-code" inputMode="numeric" autoFocus size="large" status={error?.field === 'totp' ? 'error' : undefined} />
            </Form.Item>
          )}
          <Button type="primary" htmlType="submit" block size="large" loading={submitting} data-testid="login-submit">
            {t('login.submit')}
          </Button>
        </Form>
        {error && <Alert type="error" showIcon message={error.message} data-testid="login-error" role="alert" style={{ marginTop: 16 }} />}
      </Card>
      <Typography.Text type="secondary" style={{ marginTop: 24, fontSize: 12 }}>
        {t('login.footer')}
      </Typography.Text>
    </div>
  );
}
