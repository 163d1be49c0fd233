// Mocha reporter: mocha's own "spec" output while running, then failures in full, and last the one
// line CI reads, `N passed, N failed, N skipped`.
"use strict";
const Mocha = require("mocha");

const { EVENT_RUN_END, EVENT_TEST_PASS, EVENT_TEST_FAIL, EVENT_TEST_PENDING } = Mocha.Runner.constants;

class SummaryReporter extends Mocha.reporters.Base {
  constructor(runner, options) {
    super(runner, options);
    let passed = 0;
    let failed = 0;
    let skipped = 0;
    const failures = [];
    runner.on(EVENT_TEST_PASS, () => passed++);
    runner.on(EVENT_TEST_PENDING, () => skipped++);
    runner.on(EVENT_TEST_FAIL, (test, err) => {
      failed++;
      failures.push({ title: test.fullTitle(), err });
      process.stdout.write(`  FAIL ${test.fullTitle()}\n`);
    });
    runner.once(EVENT_RUN_END, () => {
      for (const [i, f] of failures.entries()) {
        process.stdout.write(
          `\n${i + 1}) ${f.title}\n   ${(f.err && (f.err.stack || f.err.message)) || f.err}\n`,
        );
      }
      process.stdout.write(`\n${passed} passed, ${failed} failed, ${skipped} skipped\n`);
    });
  }
}

module.exports = SummaryReporter;
