import { createContext, useContext, useEffect, useMemo, useState, type ReactNode } from 'react';
import { api, unwrap, type Level, type PublicSettings } from './api/client';
import { LEVEL_NAMES_EN, useI18n } from './i18n';

const DEFAULTS: PublicSettings = {
  mapTileUrl: '',
  mapTileAttribution: '',
  mapCoordSystem: 'WGS84',
  levelNames: { city: '市', district: '区县', street: '街道', community: '社区' },
};

const SettingsContext = createContext<PublicSettings>(DEFAULTS);

export function SettingsProvider({ children }: { children: ReactNode }) {
  const [settings, setSettings] = useState<PublicSettings>(DEFAULTS);
  useEffect(() => {
    unwrap(api.GET('/api/settings/public'))
      .then(setSettings)
      .catch(() => undefined); // defaults keep the console usable
  }, []);
  return <SettingsContext.Provider value={settings}>{children}</SettingsContext.Provider>;
}

export function useSettings(): PublicSettings {
  return useContext(SettingsContext);
}

/** Display name of a level: the city's configured names (区县/旗区, 街道/苏木…) in Chinese, plain English otherwise. */
export function useLevelName(): (level: Level | string) => string {
  const { levelNames } = useSettings();
  const { lang } = useI18n();
  return useMemo(
    () => (level: string) => {
      const key = level as Level;
      if (!(key in LEVEL_NAMES_EN)) return level;
      return lang === 'en' ? LEVEL_NAMES_EN[key] : levelNames[key];
    },
    [lang, levelNames],
  );
}
