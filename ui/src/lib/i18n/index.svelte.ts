// The UI's words: one catalog per language (th.json, en.json), Thai first. Components call `t(key)`;
// the current language is reactive state, so switching re-renders every string.
import th from "./th.json";
import en from "./en.json";

export type Lang = "th" | "en";
export type MessageKey = keyof typeof th;
export type Params = Record<string, string | number>;

export const catalogs: Record<Lang, Record<MessageKey, string>> = { th, en } satisfies Record<Lang, Record<MessageKey, string>>;

let current = $state<Lang>("th");

export const locale = {
  get lang(): Lang {
    return current;
  },
  set lang(value: Lang) {
    current = value;
    document.documentElement.lang = value;
  },
};

/** The message for `key` in `lang`, with `{name}` placeholders filled from `params`. */
export function translate(lang: Lang, key: MessageKey, params: Params = {}): string {
  const template = catalogs[lang][key];
  return template.replace(/\{(\w+)\}/g, (whole, name: string) => (name in params ? String(params[name]) : whole));
}

/** The message for `key` in the current language. */
export function t(key: MessageKey, params?: Params): string {
  return translate(current, key, params);
}
