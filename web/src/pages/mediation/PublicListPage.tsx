import '../../messages/mediation';
import { useEffect, useState } from 'react';
import { Alert, Card, Layout, Table, Typography } from 'antd';
import { LEVEL_NAMES_EN, useI18n } from '../../i18n';

interface Published {
  items: Array<{ matter: string; level: 'city' | 'district' | 'street' | 'community'; body: string; remedy: string }>;
  version: number;
  effectiveFrom: string;
}

const LEVEL_ZH = { city: '市级', district: '区县级', street: '街道（乡镇）级', community: '社区（村）级' } as const;

/** The published administrative-mediation list (HH39): open to everyone, no sign-in. */
export default function PublicListPage() {
  const { t, lang } = useI18n();
  const [list, setList] = useState<Published>();
  const [error, setError] = useState<string>();
  useEffect(() => {
    // public: a plain fetch without session or CSRF (the route is outside the staff API document)
    fetch('/api/public/lists/administrative-mediation')
      .then(async (r) => (r.ok ? setList((await r.json()) as Published) : setError(((await r.json()) as { error: { message: string } }).error.message)))
      .catch((e: Error) => setError(e.message));
  }, []);
  return (
    <Layout style={{ minHeight: '100vh', padding: 24 }}>
      <Card>
        <Typography.Title level={3} data-testid="public-list-title">{t('med.publicList')}</Typography.Title>
        {list && <Typography.Paragraph type="secondary" data-testid="public-list-version">{t('med.list.version', { version: list.version, from: list.effectiveFrom })}</Typography.Paragraph>}
        {error && <Alert type="warning" showIcon message={error} />}
        <Table
          rowKey={(r) => r.matter}
          dataSource={list?.items ?? []}
          pagination={false}
          loading={!list && !error}
          data-testid="public-list"
          columns={[
            { title: '#', render: (_v, _r, i) => i + 1, width: 50 },
            { title: t('med.list.matter'), dataIndex: 'matter' },
            { title: t('med.list.level'), dataIndex: 'level', width: 130, render: (l: keyof typeof LEVEL_ZH) => (lang === 'en' ? LEVEL_NAMES_EN[l] : LEVEL_ZH[l]) },
            { title: t('med.list.body'), dataIndex: 'body', width: 240 },
            { title: t('med.list.remedy'), dataIndex: 'remedy' },
          ]}
        />
      </Card>
    </Layout>
  );
}
