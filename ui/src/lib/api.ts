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

export interface Draft extends Omit<DraftSummary, "resource_count"> {
  metadata: Record<string, unknown>;
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
}

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
  listDrafts: (search: string) => invoke<DraftSummary[]>("list_drafts", { search }),
  getDraft: (id: string) => invoke<Draft>("get_draft", { id }),
  createDraft: (title: string) => invoke<Draft>("create_draft", { title }),
  renameDraft: (id: string, title: string) => invoke<Draft>("rename_draft", { id, title }),
  deleteDraft: (id: string) => invoke<void>("delete_draft", { id }),
  listResources: (draftId: string) => invoke<Resource[]>("list_resources", { draftId }),
  attachFiles: (draftId: string, paths: string[]) => invoke<AttachReport>("attach_files", { draftId, paths }),
  pickAndAttachFiles: (draftId: string, dialogTitle: string) => invoke<AttachReport>("pick_and_attach_files", { draftId, dialogTitle }),
  removeResource: (id: string) => invoke<void>("remove_resource", { id }),
};
