// The arithmetic of the virtualised preview grid: which rows a scroll position shows, and which of them
// still have to be fetched. Kept apart from the component so it can be tested.

export interface RowRange {
  first: number;
  /** One past the last row. */
  end: number;
}

/** The rows visible at `scrollTop`, plus `overscan` rows on each side, within `[0, total)`. */
export function visibleRange(scrollTop: number, viewport: number, rowHeight: number, total: number, overscan = 10): RowRange {
  const first = Math.max(0, Math.floor(scrollTop / rowHeight) - overscan);
  const end = Math.min(total, Math.ceil((scrollTop + viewport) / rowHeight) + overscan);
  return { first, end: Math.max(first, end) };
}

/** The first block of `size` rows (aligned to `size`) in `range` that is not loaded yet, if any. */
export function missingBlock(range: RowRange, loaded: (row: number) => boolean, size: number): RowRange | null {
  for (let row = range.first; row < range.end; row++) {
    if (!loaded(row)) {
      const first = Math.floor(row / size) * size;
      return { first, end: first + size };
    }
  }
  return null;
}
