import { describe, expect, it } from "vitest";
import { catalogs, translate } from "./index.svelte";

describe("message catalogs", () => {
  it("have the same keys in Thai and English", () => {
    expect(Object.keys(catalogs.en).sort()).toEqual(Object.keys(catalogs.th).sort());
  });

  it("use the same placeholders in both languages", () => {
    const placeholders = (text: string) => [...text.matchAll(/\{(\w+)\}/g)].map((m) => m[1]).sort();
    for (const key of Object.keys(catalogs.th) as (keyof typeof catalogs.th)[]) {
      expect(placeholders(catalogs.en[key]), key).toEqual(placeholders(catalogs.th[key]));
    }
  });

  it("have no empty message", () => {
    for (const catalog of Object.values(catalogs)) {
      for (const [key, text] of Object.entries(catalog)) expect(text.trim(), key).not.toBe("");
    }
  });

  it("fill placeholders and keep unknown ones visible", () => {
    expect(translate("th", "drafts.files", { count: 3 })).toBe("3 ไฟล์");
    expect(translate("en", "drafts.files", {})).toBe("{count} files");
  });
});
