import { Alert, Card, Col, Descriptions, Row, Skeleton, Space, Statistic, Tag, Typography } from 'antd';
import { Link } from 'react-router-dom';
import { api, unwrap, type Level } from '../api/client';
import { useUser } from '../auth/session';
import { useFetch } from '../hooks/useFetch';
import { pick, ROLE_LABELS, useI18n } from '../i18n';
import { MODULE_ICONS } from '../layout/moduleIcons';
import { menuModulesFor } from '../modules';
import { useLevelName } from '../settings';

const CHILD_LEVEL: Partial<Record<string, Level>> = { city: 'district', district: 'street', street: 'community' };

export default function DashboardPage() {
  const user = useUser();
  const { lang, t } = useI18n();
  const levelName = useLevelName();
  const canReadJurisdiction = user.abilities.includes('jurisdiction:read');
  const jurisdiction = useFetch(
    canReadJurisdiction ? () => unwrap(api.GET('/api/jurisdictions/{code}', { params: { path: { code: user.jurisdictionCode } } })) : null,
    [user.jurisdictionCode, canReadJurisdiction],
  );
  const j = jurisdiction.data;
  const childLevel = CHILD_LEVEL[user.jurisdictionLevel];
  const modules = menuModulesFor(user.abilities, user.roles).filter((m) => m.key !== 'dashboard');

  return (
    <Space direction="vertical" size={16} style={{ width: '100%' }} data-testid="dashboard">
      {user.mustChangePassword && <Alert type="warning" showIcon message={t('dash.mustChangePassword')} />}
      <Card>
        <Typography.Title level={3} style={{ marginTop: 0 }}>
          {t('dash.hello', { name: user.displayName })}
        </Typography.Title>
        <Descriptions column={{ xs: 1, sm: 2, lg: 3 }} size="small">
          <Descriptions.Item label={t('dash.roles')}>
            <Space size={[4, 4]} wrap>
              {user.roles.map((r) => (
                <Tag color="blue" key={r}>
                  {pick(lang, ROLE_LABELS[r], r)}
                </Tag>
              ))}
            </Space>
          </Descriptions.Item>
          <Descriptions.Item label={t('dash.jurisdiction')}>
            <span data-testid="dashboard-jurisdiction">{j ? j.name : user.jurisdictionCode}</span>
            <Typography.Text type="secondary" style={{ marginLeft: 8 }}>
              {levelName(user.jurisdictionLevel)} · {user.jurisdictionCode}
            </Typography.Text>
          </Descriptions.Item>
          {j && j.ancestors.length > 0 && (
            <Descriptions.Item label={t('dash.path')}>{j.ancestors.map((a) => a.name).join(' / ')}</Descriptions.Item>
          )}
        </Descriptions>
      </Card>
      {canReadJurisdiction && (
        <Row gutter={16}>
          {childLevel && (
            <Col xs={24} sm={12} lg={6}>
              <Card>
                {j ? <Statistic title={t('dash.childrenOf', { level: levelName(childLevel) })} value={j.childCount} suffix={t('dash.unit')} /> : <Skeleton active paragraph={false} />}
              </Card>
            </Col>
          )}
          <Col xs={24} sm={12} lg={6}>
            <Card>{j ? <Statistic title={t('dash.grids')} value={j.gridCount} suffix={t('dash.unit')} /> : <Skeleton active paragraph={false} />}</Card>
          </Col>
        </Row>
      )}
      {jurisdiction.error && <Alert type="error" showIcon message={jurisdiction.error.message} />}
      <Card title={t('dash.modules')}>
        <Row gutter={[16, 16]}>
          {modules.map((m) => (
            <Col key={m.key} xs={12} sm={8} lg={4}>
              <Link to={m.path}>
                <Card hoverable size="small" style={{ textAlign: 'center' }}>
                  <div style={{ fontSize: 24, color: '#1677ff' }}>{MODULE_ICONS[m.key]}</div>
                  <div style={{ marginTop: 8 }}>{t(m.label)}</div>
                </Card>
              </Link>
            </Col>
          ))}
        </Row>
      </Card>
    </Space>
  );
}
