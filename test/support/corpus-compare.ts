// Comparing a corpus case's expected diagnostics with the ones reported (used by test/corpus.test.ts).

/** One `// expect:` line: `key` is `file severity[CODE] line:column`, `text` a part of the message. */
export interface Expectation {
  readonly key: string;
  readonly text: string;
}

/** Pairs expectations with diagnostics; returns a readable list of what is missing and unexpected. */
export function compare(
  expected: readonly Expectation[],
  actual: readonly { key: string; message: string }[],
): string[] {
  const left = [...actual];
  const problems: string[] = [];
  for (const e of expected) {
    const i = left.findIndex((a) => a.key === e.key && a.message.includes(e.text));
    if (i >= 0) left.splice(i, 1);
    else problems.push(`missing:    ${e.key} ${e.text}`);
  }
  for (const a of left) problems.push(`unexpected: ${a.key} ${a.message}`);
  return problems;
}
