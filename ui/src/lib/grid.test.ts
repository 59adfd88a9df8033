import { describe, expect, it } from "vitest";
import { missingBlock, visibleRange } from "./grid";

describe("visibleRange", () => {
  it("covers the viewport with overscan", () => {
    expect(visibleRange(0, 300, 30, 1000)).toEqual({ first: 0, end: 20 });
    expect(visibleRange(3000, 300, 30, 1000)).toEqual({ first: 90, end: 120 });
  });

  it("stays inside the table", () => {
    expect(visibleRange(29_900, 300, 30, 1000)).toEqual({ first: 986, end: 1000 });
    expect(visibleRange(0, 300, 30, 0)).toEqual({ first: 0, end: 0 });
  });
});

describe("missingBlock", () => {
  it("asks for the aligned block holding the first missing row", () => {
    const loaded = (row: number) => row < 200;
    expect(missingBlock({ first: 150, end: 230 }, loaded, 100)).toEqual({ first: 200, end: 300 });
  });

  it("asks for nothing when every visible row is there", () => {
    expect(missingBlock({ first: 0, end: 50 }, () => true, 100)).toBeNull();
  });
});
