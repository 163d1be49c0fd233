// The writer every generated file is built with: ts-morph's CodeBlockWriter API, with the methods the
// emitters use reimplemented for speed. The stock writer scans every character to track strings,
// comments and regexes and keeps the text as an array of tiny pieces; on a large schema that was most of
// the emit time and garbage. This one keeps the same layout rules (tested byte-for-byte against the stock
// writer in test/emit/code-writer.test.ts) but assumes what the emitters guarantee: no string literal,
// template or comment spans a line break it writes, so indentation never lands inside one.

import CodeBlockWriter from "code-block-writer";

const NEW_LINE = 10;
const CARRIAGE_RETURN = 13;
const SPACE = 32;
const NO_CHAR = -1;
const LINE_BREAK = /\r?\n/;

/**
 * A CodeBlockWriter (tab indentation, `\n` line ends) whose `write`, `writeLine`, `newLine`,
 * `newLineIfLastNot`, `blankLine`, `blankLineIfLastNot`, `spaceIfLastNot`, `indent`, `block`,
 * `inlineBlock`, `getLength`, `getLastChar`, `isLastNewLine`, `isLastBlankLine` and `toString` behave as
 * the stock writer's for code without multi-line literals. Other methods are not supported: they throw.
 */
export class FastCodeWriter extends CodeBlockWriter {
  #text = "";
  #last = NO_CHAR;
  #beforeLast = NO_CHAR;
  #level = 0;
  #newLineOnNextWrite = false;
  readonly #indentation: string[] = [""];

  constructor() {
    super({ indentNumberOfSpaces: 2, useTabs: true, newLine: "\n", useSingleQuote: false });
  }

  override write(text: string): this {
    this.#flushPendingNewLine();
    this.#writeIndenting(text);
    return this;
  }

  override writeLine(text: string): this {
    this.#flushPendingNewLine();
    if (this.#last !== NO_CHAR) this.newLineIfLastNot();
    this.#writeIndenting(text);
    return this.newLine();
  }

  override newLine(): this {
    this.#newLineOnNextWrite = false;
    this.#append("\n");
    return this;
  }

  override newLineIfLastNot(): this {
    this.#flushPendingNewLine();
    if (!this.isLastNewLine()) this.newLine();
    return this;
  }

  override blankLine(): this {
    return this.newLineIfLastNot().newLine();
  }

  override blankLineIfLastNot(): this {
    if (!this.isLastBlankLine()) this.blankLine();
    return this;
  }

  override spaceIfLastNot(): this {
    this.#flushPendingNewLine();
    if (this.#last !== SPACE) this.#writeIndenting(" ");
    return this;
  }

  override indent(timesOrBlock: number | (() => void) = 1): this {
    if (typeof timesOrBlock === "number") {
      this.#flushPendingNewLine();
      return this.write("\t".repeat(timesOrBlock));
    }
    this.#indentBlock(timesOrBlock);
    if (!this.isLastNewLine()) this.#newLineOnNextWrite = true;
    return this;
  }

  override block(block?: () => void): this {
    this.#flushPendingNewLine();
    if (this.#text.length > 0 && !this.isLastNewLine()) this.spaceIfLastNot();
    this.inlineBlock(block);
    this.#newLineOnNextWrite = true;
    return this;
  }

  override inlineBlock(block?: () => void): this {
    this.#flushPendingNewLine();
    this.write("{");
    this.#indentBlock(block);
    this.newLineIfLastNot().write("}");
    return this;
  }

  override getLength(): number {
    return this.#text.length;
  }

  override getLastChar(): string | undefined {
    return this.#last === NO_CHAR ? undefined : String.fromCharCode(this.#last);
  }

  override isLastNewLine(): boolean {
    return this.#last === NEW_LINE || this.#last === CARRIAGE_RETURN;
  }

  override isLastBlankLine(): boolean {
    // Only `\n` is ever written, so a blank line is exactly two trailing line feeds.
    return this.#last === NEW_LINE && this.#beforeLast === NEW_LINE;
  }

  override toString(): string {
    return this.#text;
  }

  override queueIndentationLevel(..._args: unknown[]): this {
    return unsupported("queueIndentationLevel");
  }

  override setIndentationLevel(..._args: unknown[]): this {
    return unsupported("setIndentationLevel");
  }

  override hangingIndent(..._args: unknown[]): this {
    return unsupported("hangingIndent");
  }

  override hangingIndentUnlessBlock(..._args: unknown[]): this {
    return unsupported("hangingIndentUnlessBlock");
  }

  override withIndentationLevel(..._args: unknown[]): this {
    return unsupported("withIndentationLevel");
  }

  override quote(..._args: unknown[]): this {
    return unsupported("quote");
  }

  override unsafeInsert(..._args: unknown[]): this {
    return unsupported("unsafeInsert");
  }

  override closeComment(..._args: unknown[]): this {
    return unsupported("closeComment");
  }

  #flushPendingNewLine(): void {
    if (this.#newLineOnNextWrite) {
      this.#newLineOnNextWrite = false;
      this.newLine();
    }
  }

  #indentBlock(block: (() => void) | undefined): void {
    if (this.#last !== NO_CHAR) this.newLineIfLastNot();
    this.#level++;
    block?.();
    this.#level = Math.max(0, this.#level - 1);
  }

  /** Writes text, indenting each line that starts here (an empty write at a line start still indents). */
  #writeIndenting(text: string): void {
    if (text.indexOf("\n") < 0) {
      this.#writePiece(text);
      return;
    }
    const pieces = text.split(LINE_BREAK);
    for (let i = 0; i < pieces.length; i++) {
      if (i > 0) this.#append("\n");
      const piece = pieces[i]!;
      if (piece.length > 0) this.#writePiece(piece);
    }
  }

  #writePiece(piece: string): void {
    if (this.#last === NO_CHAR || this.#last === NEW_LINE || this.#last === CARRIAGE_RETURN) {
      this.#append(this.#indentText());
    }
    this.#append(piece);
  }

  #indentText(): string {
    const cache = this.#indentation;
    while (cache.length <= this.#level) cache.push(`${cache[cache.length - 1]}\t`);
    return cache[this.#level]!;
  }

  #append(text: string): void {
    const n = text.length;
    if (n === 0) return;
    this.#text += text;
    if (n === 1) {
      this.#beforeLast = this.#last;
      this.#last = text.charCodeAt(0);
    } else {
      this.#beforeLast = text.charCodeAt(n - 2);
      this.#last = text.charCodeAt(n - 1);
    }
  }
}

function unsupported(method: string): never {
  throw new Error(`FastCodeWriter does not support ${method}()`);
}
