// Turns whatever a failed call threw into text for the person: the backend's bilingual message when
// there is one, otherwise a generic sentence (never a raw stack trace).
import { isUserMessage } from "./api";
import { translate, type Lang } from "./i18n/index.svelte";

export function errorText(error: unknown, lang: Lang): string {
  return isUserMessage(error) ? error.message[lang] : translate(lang, "error.unknown");
}
