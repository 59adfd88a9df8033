// Typed calls to the Rust commands. Every failure arrives as { code, message: { th, en } } (a `UserMessage`).
//
// The types of what the commands send and take are generated from the Rust types (ts-rs) into
// ./generated/types.ts by crates/app/tests/typescript.rs, which fails when that file no longer matches the
// Rust types. Regenerate: `CATALOG_UPDATE_TS=1 cargo test -p catalog-app --test typescript`. Only the few
// UI-side names below are written here.
import { invoke } from "@tauri-apps/api/core";
import type { Lang } from "./i18n/index.svelte";
import type {
  AccountView,
  Applied,
  AppStatus,
  AttachReport,
  Checklist,
  Draft,
  DraftListItem,
  DraftView,
  DryRun,
  ExportKind,
  FileProgress,
  FolderApplied,
  FolderPlan,
  FormLayout,
  ImportPlan,
  IncomingPackage,
  JsonValue,
  Manifest,
  OutboxAction,
  OutboxItem,
  PreviewChoice,
  PreviewScreen,
  ProfileReport,
  PublishPanel,
  Relayout,
  ReviewDecision,
  Revision,
  RowIndexSummary,
  RowWindow,
  SchemaInfo,
  SetupStatus,
  StoredGdc,
  TableLayout,
  TitleCheck,
  UserMessage,
} from "./generated/types";

export type * from "./generated/types";

/** What the form sends for one field (a part of the `JsonValue` the command takes). */
export type FieldValue = string | string[] | boolean | number | null;

/** The `file-progress` event's payload. */
export type PreviewProgress = FileProgress;

/** One draft's publish panel, as the core decides it. */
export type PublishPanelView = PublishPanel;

/** A review step of the review log: the `detail` of a `state_changed` revision, which Rust keeps as free
 *  JSON (crates/core/src/store/review.rs writes `{from, to, decision, note}`, or `{from, to, reason:
 *  "edited"}` when an edit reopened the draft). Read here field by field; anything else reads as null. */
export interface ReviewStep {
  to: string | null;
  reason: string | null;
  note: string | null;
}

export function reviewStep(revision: Revision): ReviewStep {
  const detail = revision.detail;
  const fields = typeof detail === "object" && detail !== null && !Array.isArray(detail) ? detail : {};
  const text = (value: JsonValue | undefined) => (typeof value === "string" ? value : null);
  return { to: text(fields.to), reason: text(fields.reason), note: text(fields.note) };
}

/** Event with the progress of indexing or profiling a file (a `FileProgress`). */
export const PREVIEW_PROGRESS = "file-progress";

/** Event after each file of a folder import (a `FolderProgress`). */
export const FOLDER_PROGRESS = "folder-progress";

/** Events of the publish outbox (`outbox-changed` has no payload; `publish-progress` a `PublishProgress`). */
export const OUTBOX_CHANGED = "outbox-changed";
export const PUBLISH_PROGRESS = "publish-progress";
/** Event with a new GD Catalog answer (a `StoredGdc`), from the regular checks or a check on request. */
export const GDC_CHANGED = "gdc-changed";

/** Event the backend sends after a draft's files changed; its payload is the draft id. */
export const RESOURCES_CHANGED = "resources-changed";

export function isUserMessage(value: unknown): value is UserMessage {
  if (typeof value !== "object" || value === null) return false;
  const candidate = value as Partial<UserMessage>;
  return typeof candidate.code === "string" && typeof candidate.message?.th === "string" && typeof candidate.message?.en === "string";
}

export const api = {
  appStatus: () => invoke<AppStatus>("app_status"),
  setLanguage: (language: Lang) => invoke<void>("set_language", { language }),
  endSetup: () => invoke<SetupStatus>("end_setup"),
  windowReady: () => invoke<void>("window_ready"),
  listDrafts: (search: string) => invoke<DraftListItem[]>("list_drafts", { search }),
  createDraft: (title: string) => invoke<Draft>("create_draft", { title }),
  renameDraft: (id: string, title: string) => invoke<Draft>("rename_draft", { id, title }),
  deleteDraft: (id: string) => invoke<void>("delete_draft", { id }),
  attachFiles: (draftId: string, paths: string[]) => invoke<AttachReport>("attach_files", { draftId, paths }),
  pickAndAttachFiles: (draftId: string, dialogTitle: string) => invoke<AttachReport>("pick_and_attach_files", { draftId, dialogTitle }),
  removeResource: (id: string) => invoke<void>("remove_resource", { id }),
  formLayout: (dataType: string | null) => invoke<FormLayout>("form_layout", { dataType }),
  draftView: (id: string) => invoke<DraftView>("draft_view", { id }),
  draftChecklist: (draftId: string) => invoke<Checklist>("draft_checklist", { draftId }),
  setField: (draftId: string, key: string, value: JsonValue) => invoke<DraftView>("set_field", { draftId, key, value }),
  setResourceField: (resourceId: string, key: string, value: JsonValue) =>
    invoke<DraftView>("set_resource_field", { resourceId, key, value }),
  undoChange: (draftId: string) => invoke<DraftView>("undo_change", { draftId }),
  reviewDraft: (draftId: string, decision: ReviewDecision, note: string) => invoke<DraftView>("review_draft", { draftId, decision, note }),
  schemaInfo: () => invoke<SchemaInfo>("schema_info"),
  accountStatus: () => invoke<AccountView>("account_status"),
  signInWithToken: (token: string) => invoke<AccountView>("sign_in_with_token", { token }),
  signInWithPassword: (login: string, password: string, code: string | null) => invoke<AccountView>("sign_in_with_password", { login, password, code }),
  signOut: () => invoke<AccountView>("sign_out"),
  publishDraft: (draftId: string, withholdFiles: boolean) => invoke<OutboxItem>("publish_draft", { draftId, withholdFiles }),
  outboxList: () => invoke<OutboxItem[]>("outbox_list"),
  outboxAction: (itemId: number, action: OutboxAction) => invoke<OutboxItem>("outbox_action", { itemId, action }),
  publishPanel: (draftId: string) => invoke<PublishPanel>("publish_panel", { draftId }),
  gdcState: (draftId: string) => invoke<StoredGdc | null>("gdc_state", { draftId }),
  gdcStates: () => invoke<StoredGdc[]>("gdc_states"),
  publishDryRun: (draftId: string, withholdFiles: boolean) =>
    invoke<DryRun>("publish_dry_run", { draftId, withholdFiles }),
  pullOrganization: (organizationId: string) => invoke<string[]>("pull_organization", { organizationId }),
  setGdcHarvester: (url: string) => invoke<void>("set_gdc_harvester", { url }),
  exportReviewPackage: (draftId: string, dialogTitle: string) => invoke<Manifest | null>("export_review_package", { draftId, dialogTitle }),
  readReviewPackage: (dialogTitle: string) => invoke<IncomingPackage | null>("read_review_package", { dialogTitle }),
  applyReviewPackage: () => invoke<string>("apply_review_package"),
  importPlanFile: (path: string) => invoke<ImportPlan>("import_plan_file", { path }),
  importPickFile: (dialogTitle: string) => invoke<ImportPlan | null>("import_pick_file", { dialogTitle }),
  folderPick: (dialogTitle: string) => invoke<FolderPlan | null>("folder_pick", { dialogTitle }),
  folderAttach: () => invoke<FolderApplied>("folder_attach"),
  folderCancel: () => invoke<void>("folder_cancel"),
  importApply: () => invoke<Applied>("import_apply"),
  importDiscard: () => invoke<void>("import_discard"),
  importSaveReport: (dialogTitle: string) => invoke<string | null>("import_save_report", { dialogTitle }),
  exportFile: (kind: ExportKind, dialogTitle: string) => invoke<string | null>("export_file", { kind, dialogTitle }),
  previewOpen: (resourceId: string, choice: PreviewChoice) => invoke<PreviewScreen>("preview_open", { resourceId, choice }),
  previewRows: (resourceId: string, first: number, count: number) => invoke<RowWindow>("preview_rows", { resourceId, first, count }),
  previewIndex: (resourceId: string) => invoke<RowIndexSummary>("preview_index", { resourceId }),
  previewProfile: (resourceId: string) => invoke<ProfileReport>("preview_profile", { resourceId }),
  previewSetLayout: (resourceId: string, layout: TableLayout) => invoke<RowWindow>("preview_set_layout", { resourceId, layout }),
  previewChooseHeader: (resourceId: string, headerRow: number) =>
    invoke<Relayout>("preview_choose_header", { resourceId, headerRow }),
  analysisCancel: (resourceId: string) => invoke<void>("analysis_cancel", { resourceId }),
  analysisRetry: (resourceId: string) => invoke<void>("analysis_retry", { resourceId }),
  decideHint: (resourceId: string, hintId: string, column: string, accepted: boolean, reason: string) =>
    invoke<DraftView>("decide_hint", { resourceId, hintId, column, accepted, reason }),
  reviewSheet: (draftId: string, lang: Lang) => invoke<string>("review_sheet", { draftId, lang }),
  saveReviewSheet: (draftId: string, lang: Lang, dialogTitle: string) => invoke<string | null>("save_review_sheet", { draftId, lang, dialogTitle }),
  previewCancel: (resourceId: string) => invoke<void>("preview_cancel", { resourceId }),
  previewClose: (resourceId: string) => invoke<void>("preview_close", { resourceId }),
  checkTitleOnAdc: (draftId: string) => invoke<TitleCheck>("check_title_on_adc", { draftId }),
  refreshSchema: (adcUrl: string) => invoke<SchemaInfo>("refresh_schema", { adcUrl }),
};

