import { StrictMode } from 'react';
import { createRoot } from 'react-dom/client';
import { App } from './App';
import { getLang, translate } from './i18n';

document.documentElement.lang = getLang() === 'zh' ? 'zh-CN' : 'en';
document.title = translate(getLang(), 'app.title');

createRoot(document.getElementById('root')!).render(
  <StrictMode>
    <App />
  </StrictMode>,
);
