import '../../messages/mediation';
import { Card, Descriptions, Space, Statistic } from 'antd';
import { api, unwrap } from '../../api/client';
import { useFetch } from '../../hooks/useFetch';
import { useI18n } from '../../i18n';
import { DisputeTable } from './DisputeListPage';

/** A mediator's own desk: their record (caseload, outcomes) and the disputes assigned to them. */
export default function WorkbenchPage() {
  const { t } = useI18n();
  const me = useFetch(() => unwrap(api.GET('/api/mediators/me')).catch(() => null), []);
  return (
    <Space direction="vertical" style={{ width: '100%' }}>
      {me.data && (
        <Card title={t('med.myRecord')} size="small">
          <Space size="large" wrap>
            <Descriptions size="small" column={1}>
              <Descriptions.Item label={t('med.name')}>{me.data.displayName}</Descriptions.Item>
              <Descriptions.Item label={t('med.org')}>{me.data.orgName}</Descriptions.Item>
            </Descriptions>
            <Statistic title={t('med.activeCases')} value={me.data.activeCases} />
            <Statistic title={t('med.agreements')} value={me.data.agreements} />
            <Statistic title={t('med.concluded')} value={me.data.concluded} />
          </Space>
        </Card>
      )}
      <Card title={t('med.myDisputes')}>
        <DisputeTable mine />
      </Card>
    </Space>
  );
}
