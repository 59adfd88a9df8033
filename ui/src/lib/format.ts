// How dates and sizes are shown: Thai mode uses the Buddhist era with Thai month names
// (14 มิ.ย. 2567); English mode the Gregorian calendar. Stored values stay ISO/UTC.
import type { Lang } from "./i18n/index.svelte";

const dateFormats: Record<Lang, Intl.DateTimeFormatOptions> = {
  th: { day: "numeric", month: "short", year: "numeric", calendar: "buddhist" },
  en: { day: "numeric", month: "short", year: "numeric", calendar: "gregory" },
};
const locales: Record<Lang, string> = { th: "th-TH", en: "en-GB" };

/** A stored timestamp as a date for people, in the given language and time zone. */
export function formatDate(iso: string, lang: Lang, timeZone?: string): string {
  const date = new Date(iso);
  if (Number.isNaN(date.getTime())) return iso;
  return new Intl.DateTimeFormat(locales[lang], { ...dateFormats[lang], timeZone }).format(date);
}

/** A stored timestamp as date and time (hours:minutes). */
export function formatDateTime(iso: string, lang: Lang, timeZone?: string): string {
  const date = new Date(iso);
  if (Number.isNaN(date.getTime())) return iso;
  const time = new Intl.DateTimeFormat(locales[lang], { hour: "2-digit", minute: "2-digit", hour12: false, timeZone }).format(date);
  return `${formatDate(iso, lang, timeZone)} ${time}`;
}

const units = ["B", "KB", "MB", "GB", "TB"];

/** A byte count in binary units with thousands separators (1,536 → "1.5 KB"). */
export function formatBytes(bytes: number, lang: Lang): string {
  let value = bytes;
  let unit = 0;
  while (value >= 1024 && unit < units.length - 1) {
    value /= 1024;
    unit += 1;
  }
  const number = new Intl.NumberFormat(locales[lang], { maximumFractionDigits: unit === 0 ? 0 : 1 }).format(value);
  return `${number} ${units[unit]}`;
}

/** A count with thousands separators (Arabic digits, as Thai offices write them). */
export function formatNumber(value: number, lang: Lang): string {
  return new Intl.NumberFormat(locales[lang]).format(value);
}
