import { Result } from 'antd';
import { useI18n } from '../i18n';

export default function ComingSoonPage() {
  const { t } = useI18n();
  return <Result status="info" title={t('common.comingSoon')} />;
}
