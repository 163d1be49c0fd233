// Literal tokens -> values: integers as bigint (with the 64-bit range check), floats, and strings with
// their escapes decoded. Bad literals become diagnostics; the value returned is still usable.

import type { Reporter } from "../diagnostics/diagnostic.js";
import { SyntaxCode } from "./syntax-codes.js";

const MIN_INT = -(2n ** 63n);
const MAX_INT = 2n ** 64n - 1n;

/** The value of an integer token (`-12`, `0x1F`, `+3`), reporting values outside -2^63 .. 2^64-1. */
export function integerValue(image: string, file: string, start: number, reporter: Reporter): bigint {
  const negative = image.startsWith("-");
  const digits = image.startsWith("-") || image.startsWith("+") ? image.slice(1) : image;
  const magnitude = BigInt(digits);
  const value = negative ? -magnitude : magnitude;
  if (value < MIN_INT || value > MAX_INT) {
    reporter.report({
      code: SyntaxCode.integerOutOfRange,
      severity: "error",
      message: `integer \`${image}\` does not fit in 64 bits`,
      span: { file, start, end: start + image.length },
      label: "out of range",
      hint: "integers range from -9223372036854775808 (i64) to 18446744073709551615 (u64)",
    });
  }
  return value;
}

/** The value of a float token, reporting literals too large to be finite. */
export function floatValue(image: string, file: string, start: number, reporter: Reporter): number {
  const value = Number(image);
  if (!Number.isFinite(value)) {
    reporter.report({
      code: SyntaxCode.floatOutOfRange,
      severity: "error",
      message: `float \`${image}\` is too large`,
      span: { file, start, end: start + image.length },
      label: "this would be infinite",
      hint: "the largest f64 is about 1.8e308",
    });
    return 0;
  }
  return value;
}

const SIMPLE_ESCAPES: Readonly<Record<string, string>> = {
  '"': '"',
  "\\": "\\",
  n: "\n",
  t: "\t",
  r: "\r",
  "0": "\0",
};

/**
 * The decoded text of a string token (with or without its closing quote), reporting unknown escapes
 * and bad `\u{...}` code points at the escape itself.
 */
export function stringValue(image: string, file: string, start: number, reporter: Reporter): string {
  const closed = image.length >= 2 && image.endsWith('"') && !isEscapedQuoteAtEnd(image);
  const bodyEnd = closed ? image.length - 1 : image.length;
  if (image.indexOf("\\") < 0) return image.slice(1, bodyEnd);
  let out = "";
  let i = 1;
  while (i < bodyEnd) {
    const ch = image[i] as string;
    if (ch !== "\\") {
      out += ch;
      i++;
      continue;
    }
    const next = image[i + 1];
    if (next === undefined || i + 1 >= bodyEnd) {
      i++;
      continue; // a lone trailing backslash of an unterminated string: the lexer already reported it
    }
    const simple = SIMPLE_ESCAPES[next];
    if (simple !== undefined) {
      out += simple;
      i += 2;
      continue;
    }
    if (next === "u") {
      const match = /^\\u\{([0-9a-fA-F]{1,6})\}/.exec(image.slice(i, bodyEnd));
      const code = match?.[1] === undefined ? -1 : Number.parseInt(match[1], 16);
      if (match !== null && code <= 0x10ffff && (code < 0xd800 || code > 0xdfff)) {
        out += String.fromCodePoint(code);
        i += match[0].length;
        continue;
      }
      const length = match === null ? 2 : match[0].length;
      reporter.report({
        code: SyntaxCode.invalidEscape,
        severity: "error",
        message:
          match === null ? "malformed unicode escape" : `\`${match[0]}\` is not a Unicode scalar value`,
        span: { file, start: start + i, end: start + i + length },
        label: "invalid escape",
        hint: "write a code point as `\\u{1F600}`: 1 to 6 hex digits, at most 10FFFF, no surrogates",
      });
      i += length;
      continue;
    }
    const escaped = String.fromCodePoint(image.codePointAt(i + 1) ?? 0);
    reporter.report({
      code: SyntaxCode.invalidEscape,
      severity: "error",
      message: `unknown escape \`\\${escaped}\``,
      span: { file, start: start + i, end: start + i + 1 + escaped.length },
      label: "invalid escape",
      hint: 'the escapes are `\\"`, `\\\\`, `\\n`, `\\t`, `\\r`, `\\0` and `\\u{...}`',
    });
    i += 1 + escaped.length;
  }
  return out;
}

// `"abc\"` is an unterminated string whose last quote is escaped.
function isEscapedQuoteAtEnd(image: string): boolean {
  let backslashes = 0;
  for (let i = image.length - 2; i >= 1 && image[i] === "\\"; i--) backslashes++;
  return backslashes % 2 === 1;
}
