// Typed calls to the Rust commands. Every failure arrives as { code, message: { th, en } }.
import { invoke } from "@tauri-apps/api/core";
import type { Lang } from "./i18n/index.svelte";

export interface UserMessage {
  code: string;
  message: Record<Lang, string>;
}

export interface AppStatus {
  version: string;
  data_dir: string;
  language: Lang;
  store_error: UserMessage | null;
}

export type Bilingual = Record<Lang, string>;

export interface DraftSummary {
  id: string;
  title: string;
  slug: string;
  data_type: string | null;
  state: string;
  created_at: string;
  updated_at: string;
  resource_count: number;
}

export interface Completeness {
  filled: number;
  total: number;
}

export interface DraftListItem extends DraftSummary {
  completeness: Completeness;
  completeness_percent: number;
  error_count: number;
  checklist_done: number;
}

export interface Draft extends Omit<DraftSummary, "resource_count"> {
  metadata: Record<string, FieldValue>;
}

export type FieldValue = string | string[] | boolean | number | null;

export type Widget =
  | "text" | "markdown" | "select" | "multiselect" | "tags" | "date" | "yes_no"
  | "email" | "url" | "slug" | "organization" | "upload";

export interface Choice {
  value: string;
  label: Bilingual;
}

/** One metadata field, as the schema (built-in or the ADC's own) describes it. */
export interface Field {
  key: string;
  scope: "dataset" | "resource";
  label: Bilingual;
  help: Bilingual | null;
  placeholder: Bilingual | null;
  widget: Widget;
  choices: Choice[];
  required: boolean;
  other_field: string | null;
  other_values: string[];
  companion_of: string | null;
}

export interface FormSection {
  key: string;
  label: Bilingual;
  scope: "dataset" | "resource";
  fields: Field[];
  shows_classification: boolean;
}

export interface FormLayout {
  data_types: { value: string; label: Bilingual }[];
  sections: FormSection[];
}

export interface Problem {
  field: string;
  resource: number | null;
  code: string;
  message: Bilingual;
  severity: "error" | "warning";
}

export interface ClassificationRule {
  category: string;
  levels: string[];
  access: "public" | "private";
  accessible_condition: string | null;
  explain: Bilingual;
  law: Bilingual[];
}

export interface AccessDecision {
  public_allowed: boolean;
  private: boolean;
  allow_harvest: boolean;
  files: "as_marked" | "private_or_withheld";
  reasons: Bilingual[];
}

export interface DraftView {
  draft: Draft;
  resources: Resource[];
  problems: Problem[];
  completeness: Completeness;
  completeness_percent: number;
  unknown_keys: { key: string; resource: number | null }[];
  thai_dates: Record<string, string>;
  access: AccessDecision;
  classification_rule: ClassificationRule | null;
  level_explanations: Record<string, Bilingual>;
  classification_level: string | null;
  classification_rank: number | null;
  review_log: Revision[];
  hints: HintView[];
  scans: FileScan[];
}

/** Where the check of one file for personal data stands (decided in Rust; the gate waits for "done"). */
export type ScanState =
  | { state: "not_scannable" | "missing" | "stale" | "running" | "done" }
  | { state: "failed"; error: UserMessage };

export interface FileScan {
  resource_id: string;
  name: string;
  state: ScanState;
}

export interface Resource {
  id: string;
  draft_id: string;
  name: string;
  original_path: string;
  stored_path: string;
  sha256: string;
  size: number;
  media_type: string;
  added_at: string;
  metadata: Record<string, FieldValue>;
}

export interface SchemaInfo {
  adc_url: string | null;
  thaigdc_version: string | null;
  catalog_type: string | null;
  fetched_at: string | null;
}

export type ReviewDecision = "submit" | "approve" | "request_changes";

export interface Revision {
  seq: number;
  draft_id: string;
  at: string;
  actor: string;
  action: string;
  detail: Record<string, string | null>;
}

export interface EncodingReport {
  encoding: string;
  source: string;
  whole_file: boolean;
}

export interface SheetInfo {
  name: string;
  rows: number;
  columns: number;
  hidden: boolean;
}

export interface TableLayout {
  sheet: string | null;
  header_rows: number[];
  data_start: number;
  data_end: number | null;
  column_names: string[];
  skip_total_rows: boolean;
  skip_note_rows: boolean;
  skipped_rows: { row: number; reason: "title" | "header" | "blank" | "total" | "note" | "repeated_header" }[];
  title: string | null;
}

export interface DataRow {
  source_row: number;
  cells: string[];
}

export interface RowWindow {
  columns: string[];
  first_data_row: number;
  rows: DataRow[];
  has_more: boolean;
  total_data_rows: number | null;
}

export interface PreviewScreen {
  info: { format: string; size_bytes: number; encoding: EncodingReport | null; sheets: SheetInfo[] };
  layout: TableLayout;
  layout_corrected: boolean;
  window: RowWindow;
  saved_profile: ProfileReport["profile"] | null;
}

export interface ColumnProfile {
  name: string;
  inferred_type: "empty" | "boolean" | "integer" | "decimal" | "percentage" | "date" | "identifier" | "text";
  null_count: number;
  distinct_estimate: number;
  min: string | null;
  max: string | null;
  buddhist_era_dates: boolean;
  examples: string[];
}

export interface ProfileReport {
  profile: { data_rows: number; columns: ColumnProfile[]; undecodable_row_count: number; whole_file_encoding: EncodingReport | null };
  suggested_values: { key: string; value: FieldValue }[];
}

export interface PreviewProgress {
  resource_id: string;
  task: "index" | "profile" | "analysis";
  rows_read: number;
  fraction: number | null;
}

/** Event with the progress of indexing or profiling a file. */
export const PREVIEW_PROGRESS = "file-progress";

export interface ImportNote {
  sheet: string;
  row: number | null;
  column: string | null;
  field: string | null;
  level: "info" | "warning" | "error";
  code: string;
  message: Bilingual;
}

export interface ImportPlan {
  file: string;
  summary: { rows: number; created: number; updated: number; unchanged: number; errors: number; blocks_publish: number };
  rows: {
    sheet: string;
    row: number;
    slug: string;
    title: string;
    outcome: "created" | "updated" | "unchanged" | "error";
    changes: { field: string }[];
    notes: ImportNote[];
    blocks_publish: boolean;
  }[];
  orphans: ImportNote[];
  notes: ImportNote[];
}

export interface IncomingPackage {
  manifest: { draft_id: string; title: string; exported_by: string; exported_at: string };
  comparison:
    | { kind: "new" }
    | { kind: "same" }
    | { kind: "older" }
    | { kind: "newer"; changes: { field: string; label: Bilingual | null; before: unknown; after: unknown }[]; state: [string, string] | null; files_added: number; files_removed: number };
}

export interface Checklist {
  done: number;
  steps: { number: number; title: Bilingual; done: boolean; items: { done: boolean; message: Bilingual; field: string | null }[] }[];
}

export interface HintView {
  resource_id: string;
  resource_name: string;
  hint: {
    id: string;
    kind: string;
    personal_data: boolean;
    column: { index: number; name: string };
    matched: number;
    non_empty: number;
    examples: string[];
    advice: Bilingual;
  };
  decision: { accepted: boolean; reason: string; actor: string; at: string } | null;
}

export interface FolderPlan {
  matches: { path: string; draft_id: string; slug: string; matched_by: string; already_attached: boolean }[];
  unmatched: string[];
}

/** Event after each file of a folder import. */
export const FOLDER_PROGRESS = "folder-progress";

export interface AccountView {
  site: string | null;
  signed_in: boolean;
  keyring_warning: UserMessage | null;
  organizations: { id: string; name: string; title: string; display_name: string | null }[];
}

export type OutboxState = "queued" | "running" | "done" | "failed" | "paused" | "cancelled" | "remote_changed";

export interface OutboxItem {
  id: number;
  draft_id: string;
  site: string;
  state: OutboxState;
  attempt: number;
  next_attempt_at: number | null;
  last_error: UserMessage | null;
  result: { url?: string; name?: string; diff?: { field: string }[]; summary?: PublishSummary } | null;
}

export type OutboxAction = "pause" | "retry" | "cancel" | "overwrite";

/** One draft's publish panel, as the core decides it. */
export interface PublishPanelView {
  stage: "no_adc" | "needs_approval" | "needs_sign_in" | "ready";
  item: OutboxItem | null;
  can_publish: boolean;
  item_actions: OutboxAction[];
  offer_withhold: boolean;
  public_refused: Bilingual[];
}

/** What a publish wrote (or a dry run would write), counted. */
export interface PublishSummary {
  dataset_created: boolean;
  dataset_updated: boolean;
  files_added: number;
  files_replaced: number;
  files_redescribed: number;
  files_deleted: number;
  bytes_uploaded: number;
}

export interface PlannedCall {
  action: string;
  target: string;
  upload_bytes: number | null;
}

export interface PublishProgress {
  item_id: number;
  action: string;
  target: string;
  sent: number;
  total: number;
}

export type GdcState = "not_harvested" | "wait" | "under_approval" | "rejected" | "revoking" | "revoked" | "registered" | "other";

/** A warning the metadata form shows because of the GD Catalog state: at the field with this schema key,
 *  or, without one, as a banner over the form. */
export interface FormWarning {
  field: string | null;
  message: Bilingual;
}

export interface GdcStatus {
  state: GdcState;
  code: string | null;
  label: Bilingual;
  warning: Bilingual | null;
  gdc_url: string | null;
  registration_url: string;
  form_warnings: FormWarning[];
}

/** A GD Catalog answer as kept: when it came (Unix seconds) and when the app asks again by itself. */
export interface StoredGdc {
  draft_id: string;
  status: GdcStatus;
  checked_at: number;
  next_check_at: number | null;
}

/** Events of the publish outbox. */
export const OUTBOX_CHANGED = "outbox-changed";
export const PUBLISH_PROGRESS = "publish-progress";
/** Event with a new GD Catalog answer (a `StoredGdc`), from the regular checks or a check on request. */
export const GDC_CHANGED = "gdc-changed";

export interface AttachReport {
  attached: Resource[];
  failed: { path: string; error: UserMessage }[];
}

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
  setField: (draftId: string, key: string, value: FieldValue) => invoke<DraftView>("set_field", { draftId, key, value }),
  setResourceField: (resourceId: string, key: string, value: FieldValue) =>
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
  publishPanel: (draftId: string) => invoke<PublishPanelView>("publish_panel", { draftId }),
  gdcState: (draftId: string) => invoke<StoredGdc | null>("gdc_state", { draftId }),
  gdcStates: () => invoke<StoredGdc[]>("gdc_states"),
  publishDryRun: (draftId: string, withholdFiles: boolean) =>
    invoke<{ item: OutboxItem; calls: PlannedCall[]; summary: PublishSummary; stopped: unknown }>("publish_dry_run", { draftId, withholdFiles }),
  pullOrganization: (organizationId: string) => invoke<string[]>("pull_organization", { organizationId }),
  setGdcHarvester: (url: string) => invoke<void>("set_gdc_harvester", { url }),
  exportReviewPackage: (draftId: string, dialogTitle: string) => invoke<{ draft_id: string } | null>("export_review_package", { draftId, dialogTitle }),
  readReviewPackage: (dialogTitle: string) => invoke<IncomingPackage | null>("read_review_package", { dialogTitle }),
  applyReviewPackage: () => invoke<string>("apply_review_package"),
  importPlanFile: (path: string) => invoke<ImportPlan>("import_plan_file", { path }),
  importPickFile: (dialogTitle: string) => invoke<ImportPlan | null>("import_pick_file", { dialogTitle }),
  folderPick: (dialogTitle: string) => invoke<FolderPlan | null>("folder_pick", { dialogTitle }),
  folderAttach: () => invoke<{ attached: number; skipped: number; cancelled: boolean }>("folder_attach"),
  folderCancel: () => invoke<void>("folder_cancel"),
  importApply: () => invoke<{ created: number; updated: number; draft_ids: string[] }>("import_apply"),
  importDiscard: () => invoke<void>("import_discard"),
  importSaveReport: (dialogTitle: string) => invoke<string | null>("import_save_report", { dialogTitle }),
  exportFile: (kind: "ours" | "nso" | "empty_template", dialogTitle: string) => invoke<string | null>("export_file", { kind, dialogTitle }),
  previewOpen: (resourceId: string, choice: { sheet?: string; encoding?: string }) => invoke<PreviewScreen>("preview_open", { resourceId, choice }),
  previewRows: (resourceId: string, first: number, count: number) => invoke<RowWindow>("preview_rows", { resourceId, first, count }),
  previewIndex: (resourceId: string) => invoke<{ data_rows: number; undecodable_row_count: number }>("preview_index", { resourceId }),
  previewProfile: (resourceId: string) => invoke<ProfileReport>("preview_profile", { resourceId }),
  previewSetLayout: (resourceId: string, layout: TableLayout) => invoke<RowWindow>("preview_set_layout", { resourceId, layout }),
  previewChooseHeader: (resourceId: string, headerRow: number) =>
    invoke<{ layout: TableLayout; window: RowWindow }>("preview_choose_header", { resourceId, headerRow }),
  analysisCancel: (resourceId: string) => invoke<void>("analysis_cancel", { resourceId }),
  analysisRetry: (resourceId: string) => invoke<void>("analysis_retry", { resourceId }),
  decideHint: (resourceId: string, hintId: string, column: string, accepted: boolean, reason: string) =>
    invoke<DraftView>("decide_hint", { resourceId, hintId, column, accepted, reason }),
  reviewSheet: (draftId: string, lang: Lang) => invoke<string>("review_sheet", { draftId, lang }),
  saveReviewSheet: (draftId: string, lang: Lang, dialogTitle: string) => invoke<string | null>("save_review_sheet", { draftId, lang, dialogTitle }),
  previewCancel: (resourceId: string) => invoke<void>("preview_cancel", { resourceId }),
  previewClose: (resourceId: string) => invoke<void>("preview_close", { resourceId }),
  checkTitleOnAdc: (draftId: string) => invoke<{ checked: boolean; problem: Problem | null }>("check_title_on_adc", { draftId }),
  refreshSchema: (adcUrl: string) => invoke<SchemaInfo>("refresh_schema", { adcUrl }),
};

