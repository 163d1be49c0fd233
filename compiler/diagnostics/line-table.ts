// Offsets -> 1-based lines and columns, computed only when rendering. Columns count UTF-16 code units
// (what JavaScript string offsets count), plus one; editors such as VS Code use the same unit.

/** 1-based line and column of an offset. */
export interface Position {
  readonly line: number;
  readonly column: number;
}

/** The line starts of one text; `\n`, `\r\n` and a lone `\r` each end a line. */
export class LineTable {
  readonly #text: string;
  readonly #starts: number[] = [0];

  constructor(text: string) {
    this.#text = text;
    for (let i = 0; i < text.length; i++) {
      const code = text.charCodeAt(i);
      if (code === 10) this.#starts.push(i + 1);
      else if (code === 13) {
        if (text.charCodeAt(i + 1) === 10) i++;
        this.#starts.push(i + 1);
      }
    }
  }

  /** The position of `offset`, clamped into the text. */
  position(offset: number): Position {
    const at = Math.max(0, Math.min(offset, this.#text.length));
    let low = 0;
    let high = this.#starts.length - 1;
    while (low < high) {
      const mid = (low + high + 1) >>> 1;
      if ((this.#starts[mid] as number) <= at) low = mid;
      else high = mid - 1;
    }
    return { line: low + 1, column: at - (this.#starts[low] as number) + 1 };
  }

  /** The text of 1-based line `line`, without its line break ("" past the end). */
  lineText(line: number): string {
    const start = this.#starts[line - 1];
    if (start === undefined) return "";
    const next = this.#starts[line];
    const end = next === undefined ? this.#text.length : next;
    return this.#text.slice(start, end).replace(/\r?\n$|\r$/, "");
  }

  /** Offset where 1-based line `line` starts. */
  lineStart(line: number): number {
    return this.#starts[line - 1] ?? this.#text.length;
  }
}

/** A lazily built LineTable per file, for renderers that look up many diagnostics. */
export class LineTables {
  readonly #sources: ReadonlyMap<string, string>;
  readonly #tables = new Map<string, LineTable>();

  constructor(sources: ReadonlyMap<string, string>) {
    this.#sources = sources;
  }

  /** The table of `file`, or undefined when its text is unknown (a missing or unreadable file). */
  get(file: string): LineTable | undefined {
    let table = this.#tables.get(file);
    if (table === undefined) {
      const text = this.#sources.get(file);
      if (text === undefined) return undefined;
      table = new LineTable(text);
      this.#tables.set(file, table);
    }
    return table;
  }

  /** The position of `offset` in `file`; line 1, column 1 when the text is unknown. */
  position(file: string, offset: number): Position {
    return this.get(file)?.position(offset) ?? { line: 1, column: 1 };
  }
}
