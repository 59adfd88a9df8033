import { describe, expect, it } from "vitest";
import { nextPage, stepMark } from "./setup";

describe("nextPage", () => {
  it("starts a fresh folder at the language", () => {
    expect(nextPage(["language", "adc", "sign_in"], [])).toBe("language");
  });

  it("goes on to the first step still open", () => {
    expect(nextPage(["adc", "sign_in"], [])).toBe("adc");
    expect(nextPage(["sign_in"], [])).toBe("sign_in");
    expect(nextPage([], [])).toBe("done");
  });

  it("does not ask to sign in after the ADC was put off (working offline)", () => {
    expect(nextPage(["adc", "sign_in"], ["adc"])).toBe("done");
  });

  it("skips a sign-in put off for later", () => {
    expect(nextPage(["sign_in"], ["sign_in"])).toBe("done");
  });

  it("offers a step again that was done elsewhere and then undone (signed out in the dialog)", () => {
    expect(nextPage(["sign_in"], [])).toBe("sign_in");
  });
});

describe("stepMark", () => {
  it("marks done, current and to-do steps", () => {
    const open = ["adc", "sign_in"] as const;
    expect(stepMark("language", "adc", open, [])).toBe("done");
    expect(stepMark("adc", "adc", open, [])).toBe("current");
    expect(stepMark("sign_in", "adc", open, [])).toBe("todo");
  });

  it("marks steps put off as later on the summary", () => {
    expect(stepMark("adc", "done", ["adc", "sign_in"], ["adc"])).toBe("later");
    expect(stepMark("sign_in", "done", ["adc", "sign_in"], ["adc"])).toBe("later");
    expect(stepMark("sign_in", "done", ["sign_in"], ["sign_in"])).toBe("later");
  });

  it("marks a step still to come as to do once it can be done", () => {
    expect(stepMark("sign_in", "language", ["language", "sign_in"], [])).toBe("todo");
  });
});
