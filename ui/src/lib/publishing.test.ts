import { describe, expect, it } from "vitest";
import type { FormWarning, PublishSummary } from "./api";
import { formBanners, summaryParts, warningsAt } from "./publishing";

const nothing: PublishSummary = {
  dataset_created: false,
  dataset_updated: false,
  files_added: 0,
  files_replaced: 0,
  files_redescribed: 0,
  files_deleted: 0,
  bytes_uploaded: 0,
};

describe("summaryParts", () => {
  it("lists nothing when nothing is sent", () => {
    expect(summaryParts(nothing, "th")).toEqual([]);
  });

  it("counts deleted resources, Thai first", () => {
    const summary = { ...nothing, files_deleted: 1, dataset_updated: true };
    expect(summaryParts(summary, "th")).toEqual(["ปรับปรุงคำอธิบายชุดข้อมูล", "ลบทรัพยากรข้อมูลออกจาก ADC 1 รายการ"]);
    expect(summaryParts(summary, "en")).toEqual(["dataset description updated", "1 resource(s) deleted from the ADC"]);
  });

  it("names a new dataset, uploads and their size", () => {
    const summary = { ...nothing, dataset_created: true, files_added: 2, bytes_uploaded: 2048 };
    const parts = summaryParts(summary, "en");
    expect(parts.slice(0, 2)).toEqual(["new dataset", "2 resource(s) added"]);
    expect(parts[2]).toMatch(/uploaded$/);
  });
});

describe("form warnings", () => {
  const banner: FormWarning = { field: null, message: { th: "หลีกเลี่ยงการแก้ไข", en: "avoid editing" } };
  const atSlug: FormWarning = { field: "slug-key", message: { th: "ห้ามเปลี่ยน", en: "do not change" } };

  it("puts a warning without a field over the form and the others at their field", () => {
    expect(formBanners([banner, atSlug])).toEqual([banner]);
    expect(warningsAt([banner, atSlug], "slug-key")).toEqual([atSlug]);
    expect(warningsAt([banner, atSlug], "other-key")).toEqual([]);
  });
});
