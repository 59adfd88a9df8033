import { describe, expect, it } from "vitest";
import { formatBytes, formatDate, formatDateTime, formatNumber } from "./format";

describe("dates", () => {
  it("shows the Buddhist era with Thai month names in Thai mode", () => {
    expect(formatDate("2024-06-14T03:00:00.000Z", "th", "Asia/Bangkok")).toBe("14 มิ.ย. 2567");
  });

  it("shows the Gregorian calendar in English mode", () => {
    expect(formatDate("2024-06-14T03:00:00.000Z", "en", "Asia/Bangkok")).toBe("14 Jun 2024");
  });

  it("uses the local day, not the UTC day", () => {
    expect(formatDate("2024-12-31T18:30:00.000Z", "th", "Asia/Bangkok")).toBe("1 ม.ค. 2568");
  });

  it("adds a 24-hour time", () => {
    expect(formatDateTime("2024-06-14T03:05:00.000Z", "th", "Asia/Bangkok")).toBe("14 มิ.ย. 2567 10:05");
  });

  it("leaves text that is not a date as it is", () => {
    expect(formatDate("not a date", "th")).toBe("not a date");
  });
});

describe("numbers", () => {
  it("groups thousands with Arabic digits in both languages", () => {
    expect(formatNumber(5980, "th")).toBe("5,980");
    expect(formatNumber(1234567, "en")).toBe("1,234,567");
  });
});

describe("sizes", () => {
  it("uses binary units with one decimal", () => {
    expect(formatBytes(0, "th")).toBe("0 B");
    expect(formatBytes(1536, "en")).toBe("1.5 KB");
    expect(formatBytes(1_165_634, "th")).toBe("1.1 MB");
    expect(formatBytes(2 ** 30, "en")).toBe("1 GB");
  });
});
