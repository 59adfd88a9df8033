// Publishing and GD Catalog results in words and places: a publish summary as a short list of what was
// (or would be) sent, and which of the form's GD Catalog warnings go over the form and which at a field.
// Which warnings apply is decided in Rust; the UI only places them.
import type { FormWarning, PublishSummary } from "./api";
import { formatBytes } from "./format";
import { translate, type Lang } from "./i18n/index.svelte";

/** The summary's parts that are not zero, in the person's language; empty when nothing is sent. */
export function summaryParts(summary: PublishSummary, lang: Lang): string[] {
  const parts: string[] = [];
  if (summary.dataset_created) parts.push(translate(lang, "publish.summary.created"));
  if (summary.dataset_updated) parts.push(translate(lang, "publish.summary.updated"));
  const counts = [
    ["publish.summary.added", summary.files_added],
    ["publish.summary.replaced", summary.files_replaced],
    ["publish.summary.redescribed", summary.files_redescribed],
    ["publish.summary.deleted", summary.files_deleted],
  ] as const;
  for (const [key, count] of counts) {
    if (count > 0) parts.push(translate(lang, key, { count }));
  }
  if (summary.bytes_uploaded > 0) parts.push(translate(lang, "publish.summary.bytes", { size: formatBytes(summary.bytes_uploaded, lang) }));
  return parts;
}

/** The warnings shown as a banner over the whole form (those that name no field). */
export function formBanners(warnings: FormWarning[]): FormWarning[] {
  return warnings.filter((w) => w.field === null);
}

/** The warnings shown at the field with this schema key. */
export function warningsAt(warnings: FormWarning[], key: string): FormWarning[] {
  return warnings.filter((w) => w.field === key);
}
