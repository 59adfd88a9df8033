// Generated from the Rust types by crates/app/tests/typescript.rs (ts-rs). Do not edit by hand.
// Regenerate: CATALOG_UPDATE_TS=1 cargo test -p catalog-app --test typescript

/**
 * Whether a dataset of a data category may be published as public.
 */
export type Access = "public" | "private";

/**
 * What the gate decides for a draft.
 */
export type AccessDecision = { 
/**
 * The classification allows a public dataset.
 */
public_allowed: boolean, 
/**
 * The dataset goes to the ADC as private.
 */
private: boolean, 
/**
 * GD Catalog consent (`allow_harvest`): forced for public datasets, the person's choice otherwise.
 */
allow_harvest: boolean, files: FilePolicy, 
/**
 * Why the dataset may not be public (empty when it may).
 */
reasons: Array<Bilingual>, };

/**
 * The account as the window and `status` show it.
 */
export type AccountView = { 
/**
 * The ADC in use (the one whose form is used); none until one is set.
 */
site: string | null, signed_in: boolean, 
/**
 * Where tokens are kept is not permanent (no OS keyring): the message says so.
 */
keyring_warning: UserMessage | null, 
/**
 * The organisations the account may publish to, as last seen.
 */
organizations: Array<Organization>, };

/**
 * What the window needs at start.
 */
export type AppStatus = { version: string, data_dir: string, 
/**
 * The interface language kept by [`Desk::set_language`] (Thai when none is kept).
 */
language: Lang, store_error: UserMessage | null, setup: SetupStatus, };

/**
 * What was written.
 */
export type Applied = { created: number, updated: number, 
/**
 * Ids of the drafts created or updated, in file order.
 */
draft_ids: Array<string>, };

export type AttachFailure = { path: string, error: UserMessage, };

/**
 * Per file: attached, or why not.
 */
export type AttachReport = { attached: Array<Resource>, failed: Array<AttachFailure>, };

/**
 * Text in both of the app's languages, Thai first.
 */
export type Bilingual = { th: string, en: string, };

export type Checklist = { steps: Array<ChecklistStep>, done: number, };

export type ChecklistItem = { done: boolean, message: Bilingual, 
/**
 * The field to fill, when the item is about one.
 */
field: string | null, };

export type ChecklistStep = { 
/**
 * 1 to 5.
 */
number: number, title: Bilingual, done: boolean, items: Array<ChecklistItem>, };

/**
 * One allowed value of a choice field; `value` is what the ADC stores (usually the Thai label itself).
 */
export type Choice = { value: string, label: Bilingual, interval: IntervalRule, };

/**
 * One data category (หมวดหมู่ข้อมูล): the classification levels it allows, whether it may be public,
 * the access condition the ADC fills in, and what it means and which law stands behind it.
 */
export type ClassificationRule = { category: string, levels: Array<string>, access: Access, accessible_condition: string | null, explain: Bilingual, law: Array<Bilingual>, };

export type ColumnProfile = { name: string, inferred_type: ColumnType, type_counts: TypeCounts, null_count: number, distinct_estimate: number, 
/**
 * Smallest and largest value, as text (numbers as numbers, dates as ISO C.E.).
 */
min: string | null, max: string | null, 
/**
 * Some of the dates were written in Buddhist era.
 */
buddhist_era_dates: boolean, year_range: YearRange | null, 
/**
 * Up to three distinct values; identifiers and long digit runs are masked.
 */
examples: Array<string>, };

/**
 * A column of the table: 0-based index in the layout and its name.
 */
export type ColumnRef = { index: number, name: string, };

/**
 * The type a whole column is given.
 */
export type ColumnType = "empty" | "boolean" | "integer" | "decimal" | "percentage" | "date" | "identifier" | "text";

/**
 * How an incoming package relates to what this computer has.
 */
export type Comparison = { "kind": "new" } | { "kind": "newer", changes: Array<PackageFieldChange>, state: [string, string] | null, files_added: number, files_removed: number, } | { "kind": "same" } | { "kind": "older" };

/**
 * Required fields filled / required fields the draft's type shows (dataset level).
 */
export type Completeness = { filled: number, total: number, };

/**
 * How fields are separated and quoted.
 */
export type CsvDialect = { 
/**
 * One of `,` `;` `\t` `|`.
 */
delimiter: string, 
/**
 * `"` or `'`.
 */
quote: string, };

/**
 * One data row handed to the grid.
 */
export type DataRow = { 
/**
 * 0-based row in the sheet or file (record number for delimited files).
 */
source_row: number, 
/**
 * Exactly one cell per column of the layout.
 */
cells: Array<string>, };

/**
 * One value of the data-type field.
 */
export type DataType = { value: string, label: Bilingual, };

export type Draft = { id: string, title: string, slug: string, data_type: string | null, metadata: { [key in string]: JsonValue }, state: DraftState, created_at: string, updated_at: string, };

/**
 * One line of the draft list, with how complete the draft is.
 */
export type DraftListItem = { completeness: Completeness, completeness_percent: number, error_count: number, 
/**
 * How many of the five checklist steps are done.
 */
checklist_done: number, id: string, title: string, slug: string, data_type: string | null, state: DraftState, created_at: string, updated_at: string, resource_count: number, };

/**
 * Where a draft is in the steward's review: Draft → Submitted → Approved or ChangesRequested.
 */
export type DraftState = "draft" | "submitted" | "approved" | "changes_requested";

/**
 * Everything the draft page shows: the draft, its files, its problems and completeness.
 */
export type DraftView = { draft: Draft, resources: Array<Resource>, problems: Array<Problem>, completeness: Completeness, completeness_percent: number, unknown_keys: Array<UnknownKey>, 
/**
 * Each ISO date value in the draft, as shown in Thai mode (`2024-06-14` → `14 มิ.ย. 2567`).
 */
thai_dates: { [key in string]: string }, 
/**
 * What the classification gate decides (visibility, consent, file access, and why).
 */
access: AccessDecision, 
/**
 * The rule of the chosen data category (allowed levels, meaning, law), to show where it is chosen.
 */
classification_rule: ClassificationRule | null, 
/**
 * What each classification level means.
 */
level_explanations: { [key in string]: Bilingual }, 
/**
 * The chosen classification level, and its rank among the levels (0 = open … 4 = top secret) for
 * the badge colour.
 */
classification_level: string | null, classification_rank: number | null, 
/**
 * The review steps taken so far (who, when, decision, note), oldest first.
 */
review_log: Array<Revision>, 
/**
 * What the files' contents suggest about classification, with the person's decisions.
 */
hints: Array<HintView>, 
/**
 * Where each file's content scan stands (in attach order): a file not checked keeps the draft
 * from being public.
 */
scans: Array<FileScan>, };

/**
 * What publishing would send now: the paused item and the write calls it would make.
 */
export type DryRun = { item: OutboxItem, calls: Array<PlannedCall>, 
/**
 * The calls counted.
 */
summary: PublishSummary, 
/**
 * Set instead of calls when the ADC copy changed or the ADC refused: why nothing can be planned.
 */
stopped: RunOutcome | null, };

/**
 * The encoding a delimited file is read with, and how sure we are.
 */
export type EncodingReport = { 
/**
 * WHATWG name, e.g. `UTF-8`, `windows-874`, `UTF-16LE`.
 */
encoding: string, source: EncodingSource, 
/**
 * Length of the byte-order mark that is skipped (0 if none).
 */
bom_length: number, 
/**
 * How many bytes the guess is based on.
 */
examined_bytes: number, 
/**
 * True once the whole file has been examined (after a full pass such as the row index or profile).
 */
whole_file: boolean, };

/**
 * How the encoding in an [`EncodingReport`] was chosen.
 */
export type EncodingSource = "byte_order_mark" | "detected" | "ascii_only" | "override";

/**
 * Which file to write: drafts in our template or the NSO layout, or an empty template of ours.
 */
export type ExportKind = "ours" | "nso" | "empty_template";

/**
 * One metadata field, every behaviour already derived from the schema data.
 */
export type Field = { key: string, scope: Scope, label: Bilingual, help: Bilingual | null, placeholder: Bilingual | null, section: string, widget: Widget, value_kind: ValueKind, choices: Array<Choice>, 
/**
 * The server rejects values outside `choices` (`scheming_choices` / `scheming_multiple_choice`).
 */
choices_enforced: boolean, 
/**
 * `required: true`, or a `not_empty` / `owner_org_validator` validator (CKAN refuses a dataset
 * without an organisation unless the site allows unowned datasets).
 */
required: boolean, 
/**
 * The server checks `YYYY-MM-DD` (`isodate`).
 */
iso_date: boolean, 
/**
 * The server checks the e-mail form (`email_validator`).
 */
email: boolean, validators: Array<string>, 
/**
 * Data types whose form shows the field; `None` means every type.
 */
form_data_type: Array<string> | null, 
/**
 * Free-text companion required when one of `other_values` is chosen.
 */
other_field: string | null, other_values: Array<string>, 
/**
 * The field whose "other" choice this field explains.
 */
companion_of: string | null, 
/**
 * What a file's preview can suggest for this (resource) field.
 */
suggest_from: Suggestion | null, 
/**
 * Part of the server's schema file; false for fields such as `private` that the ADC accepts outside it.
 */
from_server: boolean, };

/**
 * One field whose value on the ADC differs from the local one.
 */
export type FieldDiff = { field: string, local: JsonValue, remote: JsonValue, };

/**
 * The server's messages for one field (CKAN's 409 `{"error": {"<field>": ["msg", …]}}`). Resource fields
 * carry the resource's index in the package's `resources` list.
 */
export type FieldError = { field: string, resource: number | null, messages: Array<string>, };

export type FileFormat = "csv" | "tsv" | "xlsx" | "xlsm" | "xlsb" | "xls" | "ods";

/**
 * One file and the draft it goes to.
 */
export type FileMatch = { path: string, draft_id: string, slug: string, matched_by: MatchedBy, 
/**
 * The draft already has a file of this name and size; it is not attached again.
 */
already_attached: boolean, };

/**
 * How the draft's files may go up.
 */
export type FilePolicy = "as_marked" | "private_or_withheld";

/**
 * Progress of long work on one file: `{resource_id, task, rows_read, fraction}`.
 */
export type FileProgress = { resource_id: string, 
/**
 * `index` (the preview's row index) or `analysis` (the background scan of the whole file).
 */
task: string, rows_read: number, fraction: number | null, };

/**
 * A file's scan state, named for the person.
 */
export type FileScan = { resource_id: string, name: string, state: ScanState, };

/**
 * What attaching did.
 */
export type FolderApplied = { attached: number, skipped: number, 
/**
 * Stopped on request before every file was attached.
 */
cancelled: boolean, };

/**
 * The dry run of a folder import.
 */
export type FolderPlan = { matches: Array<FileMatch>, 
/**
 * Files no draft claims.
 */
unmatched: Array<string>, };

/**
 * Progress of attaching a folder's files: `{done, total}`.
 */
export type FolderProgress = { done: number, total: number, };

/**
 * The form for one data type: its sections, each with the fields that type shows, in order.
 */
export type FormLayout = { data_types: Array<DataType>, sections: Array<FormSection>, };

export type FormSection = { key: string, label: Bilingual, scope: Scope, fields: Array<Field>, 
/**
 * The section where the data category is chosen: the classification rules are shown there.
 */
shows_classification: boolean, };

/**
 * A warning the metadata form shows because of the GD Catalog state.
 */
export type FormWarning = { 
/**
 * The schema key of the field it is shown at; `None`: a banner over the whole form.
 */
field: string | null, message: Bilingual, };

/**
 * The state, as the UI switches on it.
 */
export type GdcState = "not_harvested" | "wait" | "under_approval" | "rejected" | "revoking" | "revoked" | "registered" | "other";

/**
 * What the UI shows for one dataset.
 */
export type GdcStatus = { state: GdcState, 
/**
 * The harvester's `governance_state` as received (`WAIT_VALIDATE` when validation has no time yet).
 */
code: string | null, label: Bilingual, 
/**
 * Shown next to the state (avoid editing, avoid renaming).
 */
warning: Bilingual | null, 
/**
 * The dataset's page at GD Catalog, once registered.
 */
gdc_url: string | null, registration_url: string, 
/**
 * What the metadata form warns about in this state ([`form_warnings`]).
 */
form_warnings: Array<FormWarning>, };

/**
 * One finding about a resource file.
 */
export type Hint = { 
/**
 * `kind:column_index` (`thai_citizen_id:3`): stable for a file and layout, the key under which the
 * app keeps the person's accept/dismiss decision.
 */
id: string, kind: HintKind, personal_data: boolean, suggestion: HintSuggestion | null, 
/**
 * The column the hint is about (for coordinates the latitude column, for a statistical table its
 * first year or category column).
 */
column: ColumnRef, 
/**
 * Other columns involved: the longitude column, the numeric columns of a statistical table.
 */
related_columns: Array<ColumnRef>, 
/**
 * Cells that matched, out of the non-empty cells of the column(s).
 */
matched: number, non_empty: number, 
/**
 * Up to three distinct masked examples.
 */
examples: Array<string>, advice: Bilingual, };

/**
 * The person's decision on a hint.
 */
export type HintDecision = { accepted: boolean, reason: string, actor: string, at: string, 
/**
 * The column the decision was about, by name (a decision on another column is stale).
 */
column: string, };

/**
 * What was found.
 */
export type HintKind = "thai_citizen_id" | "juristic_person_id" | "phone_number" | "email_address" | "personal_name" | "house_address" | "bank_account" | "coordinates" | "statistical_table";

/**
 * What a hint suggests; the app maps each to the schema's own choice (the hints crate names no
 * schema field or choice).
 */
export type HintSuggestion = "personal_data_category" | "geospatial_data_type" | "statistical_data_type";

/**
 * One hint about one file, with the decision on it if there is one.
 */
export type HintView = { resource_id: string, resource_name: string, 
/**
 * The hint as `catalog-hints` reported it (id, kind, personal_data, column, counts, masked
 * examples, advice).
 */
hint: Hint, decision: HintDecision | null, };

/**
 * One field that the import changes.
 */
export type ImportFieldChange = { field: string, before: JsonValue, after: JsonValue, };

/**
 * The whole dry run.
 */
export type ImportPlan = { file: string, template: Template, 
/**
 * The file was an old `.xls` (whatever its name says).
 */
legacy_xls: boolean, summary: Summary, rows: Array<RowPlan>, 
/**
 * Resource rows that belong to no dataset row, or come from an unreadable sheet.
 */
orphans: Array<Located>, 
/**
 * Notes on the file or a whole sheet.
 */
notes: Array<Located>, };

/**
 * A checked package, its files already in the blob store, ready to apply.
 */
export type IncomingPackage = { manifest: Manifest, comparison: Comparison, };

/**
 * Whether a choice of the update-frequency unit needs a number beside it.
 */
export type IntervalRule = "required" | "optional" | "none";

/**
 * Where an item is.
 */
export type ItemState = "queued" | "running" | "done" | "failed" | "paused" | "cancelled" | "remote_changed";

export type JsonValue = number | string | boolean | Array<JsonValue> | { [key in string]: JsonValue } | null;

/**
 * A language of the app: the review sheet's, the interface's.
 */
export type Lang = "th" | "en";

/**
 * How serious a cell note is: an error stops the row, a warning is imported and shown, info says what
 * Catalog Desk did differently from the ADC's importer.
 */
export type Level = "info" | "warning" | "error";

/**
 * A note with its place.
 */
export type Located = { sheet: string, row: number | null, column: string | null, field: string | null, level: Level, code: string, message: Bilingual, };

export type Manifest = { format: string, format_version: number, app_version: string, exported_at: string, exported_by: string, draft_id: string, title: string, };

/**
 * How a file was matched.
 */
export type MatchedBy = "folder" | "file_name" | "resource_link";

/**
 * A rectangle of merged cells, 0-based and inclusive.
 */
export type MergedRegion = { first_row: number, first_column: number, last_row: number, last_column: number, };

/**
 * Suggestions for the resource form; every field may be empty.
 */
export type MetadataSuggestion = { 
/**
 * CKAN format name, e.g. `CSV`, `XLSX`.
 */
format: string, encoding: string | null, 
/**
 * First and last year covered, Gregorian (C.E.).
 */
first_year: number | null, last_year: number | null, 
/**
 * The same years in Buddhist era, as Thai forms show them.
 */
first_year_be: number | null, last_year_be: number | null, year_evidence: YearEvidence | null, created: string | null, last_updated: string | null, title_hint: string | null, row_count: number, column_count: number, };

/**
 * An organisation from `organization_list_for_user`.
 */
export type Organization = { id: string, name: string, title: string, display_name: string | null, };

/**
 * What the person does with a queued item.
 */
export type OutboxAction = "pause" | "retry" | "cancel" | "overwrite";

/**
 * One publish in the queue, as the UI lists it.
 */
export type OutboxItem = { id: number, draft_id: string, 
/**
 * The ADC's site address.
 */
site: string, owner_org: string | null, 
/**
 * Files the classification allows only as private are left out rather than uploaded as private.
 */
withhold_files: boolean, state: ItemState, attempt: number, 
/**
 * Unix seconds of the next automatic attempt (failed items with a transient error).
 */
next_attempt_at: number | null, last_error: UserMessage | null, 
/**
 * The fields the ADC refused with the last error (409), to mark in the form: a list of
 * `{field, resource, messages}` (`resource` is the index among the draft's files). Kept as the JSON
 * `publish.rs` stored, a list of [`catalog_adc::FieldError`]; TypeScript sees that type.
 */
error_fields: Array<FieldError> | null, 
/**
 * Done: the published dataset; remote-changed: the field-by-field differences. Kept as the JSON
 * `publish.rs` stored, a [`crate::RunOutcome`]; TypeScript sees that type.
 */
result: RunOutcome | null, created_at: number, updated_at: number, };

/**
 * What applying the plan does to one row or resource.
 */
export type Outcome = "created" | "updated" | "unchanged" | "error";

export type PackageFieldChange = { field: string, 
/**
 * The field's label in the schema in use (none for a key the schema does not know).
 */
label: Bilingual | null, before: JsonValue, after: JsonValue, };

/**
 * One write call the run makes (or, in a dry run, would make).
 */
export type PlannedCall = { 
/**
 * `package_create`, `resource_create`, `resource_patch`, `resource_delete`, `package_patch`.
 */
action: string, 
/**
 * The dataset name, the remote resource id, or the local file name.
 */
target: string, 
/**
 * Whether the call uploads a file, and its size.
 */
upload_bytes: number | null, };

/**
 * The person's choices when opening: another sheet, or an encoding instead of the detected one.
 */
export type PreviewChoice = { sheet: string | null, encoding: string | null, };

/**
 * What the preview shows at once.
 */
export type PreviewScreen = { info: SourceInfo, layout: TableLayout, 
/**
 * The layout is the person's correction, not the detected one.
 */
layout_corrected: boolean, window: RowWindow, 
/**
 * The file's analysed profile, if it was made with this layout (shown without profiling again).
 */
saved_profile: Profile | null, };

/**
 * One problem, attached to a field key (and to a resource by index for resource fields).
 */
export type Problem = { field: string, resource: number | null, code: ProblemCode, message: Bilingual, severity: Severity, };

/**
 * A stable machine code the UI may switch on.
 */
export type ProblemCode = "required" | "required_hidden_field" | "slug_length" | "slug_characters" | "slug_reserved" | "title_duplicate" | "tags_missing" | "tag_length" | "tag_characters" | "email_invalid" | "date_invalid" | "choice_unknown" | "other_missing" | "interval_missing" | "interval_invalid" | "interval_unexpected" | "harvest_forced_for_public" | "classification_not_allowed" | "must_be_private";

/**
 * The result of profiling a table.
 */
export type Profile = { data_rows: number, columns: Array<ColumnProfile>, skipped: SkippedCounts, 
/**
 * Rows holding more cells than there are columns (the extra cells are not profiled).
 */
rows_wider_than_header: number, 
/**
 * Rows (0-based) whose bytes do not decode in the chosen encoding: the first 1000, and how many.
 */
undecodable_rows: Array<number>, undecodable_row_count: number, 
/**
 * The encoding guessed from the whole file (delimited files only); if it differs from the one
 * used, suggest reopening with it.
 */
whole_file_encoding: EncodingReport | null, };

/**
 * A whole-file profile and what it suggests for the resource's fields.
 */
export type ProfileReport = { profile: Profile, suggestion: MetadataSuggestion, suggested_values: Array<SuggestedValue>, };

/**
 * The publish panel of one draft, decided here; the window only draws it.
 */
export type PublishPanel = { stage: PublishStage, 
/**
 * The draft's latest item in the outbox for the ADC in use.
 */
item: OutboxItem | null, 
/**
 * Publish and dry run may be pressed now (ready, and no item of the draft is queued or running).
 */
can_publish: boolean, 
/**
 * The actions the item offers now.
 */
item_actions: Array<OutboxAction>, 
/**
 * The classification keeps the files private: offer to withhold them instead of uploading them.
 */
offer_withhold: boolean, 
/**
 * Why publishing as public is refused now (empty when it is not): the draft asks to be public and
 * the gate says no; each reason names the file or the field.
 */
public_refused: Array<Bilingual>, };

/**
 * What the UI hears while an item runs: the call under way and, for an upload, the bytes sent.
 */
export type PublishProgress = { item_id: number, action: string, target: string, sent: number, total: number, };

/**
 * Where a draft stands for publishing, as the publish panel shows it.
 */
export type PublishStage = "no_adc" | "needs_approval" | "needs_sign_in" | "ready";

/**
 * What a run wrote (or a dry run would write), counted for the person: the dataset created, or its
 * description changed (the final patch after a create is part of creating it), files added, replaced
 * (new content), re-described (fields only) and deleted.
 */
export type PublishSummary = { dataset_created: boolean, dataset_updated: boolean, files_added: number, files_replaced: number, files_redescribed: number, files_deleted: number, bytes_uploaded: number, };

/**
 * The layout and first screen after the person chose the header row.
 */
export type Relayout = { layout: TableLayout, window: RowWindow, };

export type Resource = { id: string, draft_id: string, 
/**
 * Shown name; starts as the file name.
 */
name: string, 
/**
 * Where the file was when it was attached (it may since have moved).
 */
original_path: string, 
/**
 * The copy, relative to the data folder.
 */
stored_path: string, sha256: string, size: number, media_type: string, added_at: string, 
/**
 * The resource's own metadata fields (name, description, format, access flag …), by schema key.
 */
metadata: { [key in string]: JsonValue }, 
/**
 * The table layout the person corrected in the preview; `None` while the detected one is used.
 */
layout: JsonValue | null, 
/**
 * When the file's contents were last shown in the preview.
 */
previewed_at: string | null, };

export type ResourcePlan = { sheet: string, row: number, name: string, outcome: Outcome, resource_id: string | null, changes: Array<ImportFieldChange>, };

/**
 * A step of the review.
 */
export type ReviewDecision = "submit" | "approve" | "request_changes";

export type Revision = { seq: number, draft_id: string, at: string, actor: string, action: RevisionAction, detail: JsonValue, };

export type RevisionAction = "created" | "field_changed" | "resource_added" | "resource_removed" | "state_changed" | "layout_changed" | "package_imported" | "hint_decided" | "deleted";

/**
 * The result of [`Source::build_row_index`].
 */
export type RowIndexSummary = { data_rows: number, undecodable_rows: Array<number>, undecodable_row_count: number, whole_file_encoding: EncodingReport | null, };

export type RowPlan = { sheet: string, row: number, slug: string, title: string, data_type: string | null, outcome: Outcome, 
/**
 * The draft this row updates, if one has its slug.
 */
draft_id: string | null, changes: Array<ImportFieldChange>, resources: Array<ResourcePlan>, notes: Array<Located>, 
/**
 * The draft's problems after the import; an error one blocks publishing (the ADC would refuse it).
 */
problems: Array<Problem>, blocks_publish: boolean, };

/**
 * A window of data rows.
 */
export type RowWindow = { columns: Array<string>, 
/**
 * 0-based index of the first row among data rows.
 */
first_data_row: number, rows: Array<DataRow>, 
/**
 * More data rows follow the window.
 */
has_more: boolean, 
/**
 * Known once the row index is built.
 */
total_data_rows: number | null, };

/**
 * What the item's run ended with.
 */
export type RunOutcome = { "outcome": "published", package_id: string, name: string, url: string, writes: Array<PlannedCall>, summary: PublishSummary, } | { "outcome": "remote_changed", remote_metadata_modified: string, diff: Array<FieldDiff>, } | { "outcome": "failed", error: UserMessage, 
/**
 * The fields a 409 names (`resource` is the index among the draft's files), to mark in the form.
 */
fields: Array<FieldError>, retry_at: number | null, } | { "outcome": "not_approved" };

/**
 * Where a file's content scan stands.
 */
export type ScanState = { "state": "not_scannable" } | { "state": "missing" } | { "state": "stale" } | { "state": "running" } | { "state": "failed", error: UserMessage, } | { "state": "done" };

/**
 * Where the schema in use came from, for the UI.
 */
export type SchemaInfo = { 
/**
 * The ADC the schema came from; `None` for the built-in copy.
 */
adc_url: string | null, 
/**
 * The ADC's name as its `status_show` gives it (`site_title`), to tell the person which ADC this is.
 */
site_title: string | null, 
/**
 * The ADC's CKAN version (`status_show`; hidden when the ADC sets `ckan.hide_version`).
 */
ckan_version: string | null, 
/**
 * thai_gdc version: the ADC's (`status_show`) or the built-in asset's.
 */
thaigdc_version: string | null, catalog_type: string | null, 
/**
 * When it was fetched from the ADC.
 */
fetched_at: string | null, };

/**
 * Whether a field belongs to the dataset or to each resource.
 */
export type Scope = "dataset" | "resource";

/**
 * How the first-run setup ended.
 */
export type SetupEnd = "finished" | "skipped";

/**
 * The first-run setup: offered while `ended` is none, at the first of its open steps.
 */
export type SetupStatus = { ended: SetupEnd | null, 
/**
 * The steps not done yet, in order.
 */
open_steps: Array<SetupStep>, };

/**
 * A step of the first-run setup, in the order it is offered. Each can also be done later: the
 * language from the window's language switch, the ADC and signing in from the ADC dialog.
 */
export type SetupStep = "language" | "adc" | "sign_in";

/**
 * How serious a problem is.
 */
export type Severity = "error" | "warning";

/**
 * One sheet as listed to the user.
 */
export type SheetInfo = { name: string, 
/**
 * Rows and columns of the used area (from the sheet's own dimension record for XLSX/XLSB).
 */
rows: number, columns: number, merged_regions: Array<MergedRegion>, 
/**
 * False when a large XLSX sheet was listed without reading it to its end, where merged regions
 * are stored; they are read with the first whole-sheet pass (see [`crate::Source::sheets`]).
 */
merged_regions_complete: boolean, hidden: boolean, };

/**
 * Why a row is left out of the preview and the profile.
 */
export type SkipReason = "title" | "header" | "blank" | "total" | "note" | "repeated_header";

export type SkippedCounts = { title: number, header: number, blank: number, total: number, note: number, repeated_header: number, };

export type SkippedRow = { 
/**
 * 0-based row of the sheet or file.
 */
row: number, reason: SkipReason, };

/**
 * What is known about an opened file.
 */
export type SourceInfo = { path: string, format: FileFormat, size_bytes: number, 
/**
 * Delimited files only. At open the guess uses the first [`OPEN_DETECTION_BYTES`]; a full pass
 * (row index, profile) checks the whole file.
 */
encoding: EncodingReport | null, dialect: CsvDialect | null, 
/**
 * Workbooks only.
 */
sheets: Array<SheetInfo>, 
/**
 * Document properties (workbooks) or the file's modification time, ISO 8601.
 */
created: string | null, modified: string | null, };

/**
 * The last known GD Catalog state of a draft's dataset, as the window lists it.
 */
export type StoredGdc = { draft_id: string, status: GdcStatus, 
/**
 * Unix seconds of the answer.
 */
checked_at: number, 
/**
 * Unix seconds of the next check by itself; `None`: not polled.
 */
next_check_at: number | null, };

/**
 * A value the preview suggests for one resource field; the person accepts or edits it.
 */
export type SuggestedValue = { key: string, value: JsonValue, };

/**
 * A value the preview of a resource file can suggest (catalog-preview's `MetadataSuggestion`).
 */
export type Suggestion = "format" | "first_year_be" | "last_year_be" | "created" | "last_updated";

export type Summary = { rows: number, created: number, updated: number, unchanged: number, errors: number, resources_created: number, resources_updated: number, orphan_resources: number, blocks_publish: number, };

/**
 * Where the table is inside a sheet or file. Every row number is 0-based in the sheet (for delimited
 * files: the record number, where blank lines do not count). Produced by detection, editable by the
 * user, saved with the resource, and the only input that reading and profiling follow.
 */
export type TableLayout = { 
/**
 * The sheet, for workbooks; `None` for delimited files.
 */
sheet: string | null, 
/**
 * The header rows, top to bottom (empty when the table has no header).
 */
header_rows: Array<number>, 
/**
 * First row that may hold data.
 */
data_start: number, 
/**
 * Row after the last data row; `None` reads to the end.
 */
data_end: number | null, 
/**
 * One name per column; the column count of the table.
 */
column_names: Array<string>, skip_total_rows: boolean, skip_note_rows: boolean, 
/**
 * Rows seen during detection and left out, with why (informative; blank rows are not listed).
 */
skipped_rows: Array<SkippedRow>, 
/**
 * Text of the title rows above the header, joined with " | " (a hint for the dataset title).
 */
title: string | null, };

/**
 * Which template the file is.
 */
export type Template = { "kind": "nso", version: string | null, } | { "kind": "ours" };

/**
 * Whether the draft's title is free on the ADC; `checked` is false when no ADC is set or it could not
 * be reached (the check then waits for the next try; publishing reports a clash anyway).
 */
export type TitleCheck = { checked: boolean, problem: Problem | null, };

/**
 * How many non-null cells of a column had each shape.
 */
export type TypeCounts = { boolean: number, integer: number, decimal: number, percentage: number, date: number, identifier: number, text: number, };

/**
 * A stored key the schema has no field for; `resource` is the resource's index when it is a resource key.
 */
export type UnknownKey = { key: string, resource: number | null, };

/**
 * What the UI receives for a failed command: `{ "code": "...", "message": { "th": "...", "en": "..." } }`.
 */
export type UserMessage = { code: string, message: Bilingual, };

/**
 * How a field's value is written in the CKAN package JSON.
 */
export type ValueKind = "text" | "list" | "true_false" | "boolean" | "tags";

/**
 * The form control a field uses.
 */
export type Widget = "text" | "markdown" | "select" | "multiselect" | "tags" | "date" | "yes_no" | "email" | "url" | "slug" | "organization" | "upload";

/**
 * Where the covered years were found.
 */
export type YearEvidence = "data_columns" | "column_names" | "title_or_sheet_name";

/**
 * First and last year in a column, Gregorian (C.E.); B.E. = C.E. + 543.
 */
export type YearRange = { first: number, last: number, source: YearSource, };

/**
 * What a year range was read from.
 */
export type YearSource = "dates" | "buddhist_era_years" | "gregorian_years";
