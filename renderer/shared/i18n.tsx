/** Language state and the t() lookup. Simplified Chinese is the default; the choice is remembered. */
import { createContext, useCallback, useContext, useEffect, useMemo, useState, type ReactNode } from 'react';
import type { ApiError } from '../../preload/api.js';
import { en, zh, type MessageKey } from './messages.js';

export type Lang = 'zh' | 'en';
export type Vars = Record<string, string | number>;

const STORAGE_KEY = 'wecom-audit.lang';

function fill(text: string, vars?: Vars): string {
  if (!vars) return text;
  return text.replace(/\{(\w+)\}/g, (whole, name: string) => (name in vars ? String(vars[name]) : whole));
}

export function translate(lang: Lang, key: MessageKey, vars?: Vars): string {
  return fill(lang === 'zh' ? zh[key] : en[key], vars);
}

/** A bilingual error made in the renderer (form checks), shaped like the core's ApiError. */
export function localError(key: MessageKey, vars?: Vars): ApiError {
  const messageZh = translate('zh', key, vars);
  const messageEn = translate('en', key, vars);
  return { code: 'usage', message: `${messageZh} / ${messageEn}`, messageZh, messageEn };
}

type I18n = { lang: Lang; setLang(l: Lang): void; t(key: MessageKey, vars?: Vars): string };

const Ctx = createContext<I18n>({ lang: 'zh', setLang: () => {}, t: (k, v) => translate('zh', k, v) });

function initialLang(): Lang {
  try {
    return window.localStorage.getItem(STORAGE_KEY) === 'en' ? 'en' : 'zh';
  } catch {
    return 'zh';
  }
}

export function I18nProvider({ children }: { children: ReactNode }) {
  const [lang, setLangState] = useState<Lang>(initialLang);
  const setLang = useCallback((l: Lang) => {
    setLangState(l);
    try {
      window.localStorage.setItem(STORAGE_KEY, l);
    } catch {
      /* storage unavailable: the choice lasts for this window */
    }
  }, []);
  useEffect(() => {
    document.documentElement.lang = lang === 'zh' ? 'zh-CN' : 'en';
    document.title = translate(lang, 'app.title');
  }, [lang]);
  const value = useMemo<I18n>(() => ({ lang, setLang, t: (k, v) => translate(lang, k, v) }), [lang, setLang]);
  return <Ctx.Provider value={value}>{children}</Ctx.Provider>;
}

export function useI18n(): I18n {
  return useContext(Ctx);
}
