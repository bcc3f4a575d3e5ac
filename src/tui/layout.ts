// The console's geometry for a terminal size (no Ink here: run.ts uses it before Ink loads).

/** From this width on, list and detail sit side by side. */
const WIDE_COLUMNS = 150;

export interface TerminalSize {
  columns: number;
  rows: number;
}

export interface Layout {
  columns: number;
  rows: number;
  body: number;
  wide: boolean;
  listWidth: number;
  detailWidth: number;
  pageSize: number;
}

export function layoutFor(size: TerminalSize): Layout {
  // One row short of the terminal: Ink redraws everything (and flickers) once output reaches its height.
  const rows = Math.max(8, size.rows - 1);
  const body = rows - 4;
  const wide = size.columns >= WIDE_COLUMNS;
  const listWidth = wide ? Math.floor(size.columns * 0.55) : size.columns;
  return {
    columns: size.columns,
    rows,
    body,
    wide,
    listWidth,
    detailWidth: wide ? size.columns - listWidth - 1 : size.columns,
    pageSize: Math.max(1, body - 1),
  };
}
