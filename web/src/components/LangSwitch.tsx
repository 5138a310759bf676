import { Button } from 'antd';
import { TranslationOutlined } from '@ant-design/icons';
import { useI18n } from '../i18n';

export function LangSwitch({ type = 'text' }: { type?: 'text' | 'link' | 'default' }) {
  const { lang, t, setLang } = useI18n();
  return (
    <Button
      type={type}
      icon={<TranslationOutlined />}
      data-testid="lang-switch"
      onClick={() => setLang(lang === 'zh' ? 'en' : 'zh')}
      aria-label={lang === 'zh' ? 'Switch to English' : '切换到中文'}
    >
      {t('header.switchTo')}
    </Button>
  );
}
