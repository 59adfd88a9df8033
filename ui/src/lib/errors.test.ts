import { describe, expect, it } from "vitest";
import { errorText } from "./errors";

describe("errorText", () => {
  const locked = { code: "store.locked", message: { th: "ฐานข้อมูลถูกใช้งานอยู่", en: "The database is in use" } };

  it("shows the backend's message in the current language", () => {
    expect(errorText(locked, "th")).toBe("ฐานข้อมูลถูกใช้งานอยู่");
    expect(errorText(locked, "en")).toBe("The database is in use");
  });

  it("never shows a raw error", () => {
    expect(errorText(new Error("TypeError: x is undefined"), "th")).toBe("เกิดข้อผิดพลาดที่ไม่คาดคิด โปรดลองอีกครั้ง");
    expect(errorText("plain string", "en")).toBe("An unexpected error occurred. Please try again.");
  });
});
