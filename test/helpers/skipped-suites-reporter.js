'use strict';
// A jest reporter that repeats, at the end of the run, why suites were skipped. describeWhen()
// warns when a suite needs a tool the machine lacks (redis-server, botocore...), but jest's default
// reporter drops the console output of a file whose tests were all skipped whenever it runs more
// than one file: without this, a plain `npm test` skipped those suites silently.
class SkippedSuitesReporter {
  constructor() {
    this.skipped = [];
  }

  onTestResult(_test, result) {
    for (const entry of result.console ?? []) {
      if (entry.type === 'warn' && entry.message.includes('!!! SKIPPING')) {
        const lines = entry.message.split('\n').filter((line) => /^!!! \w/.test(line));
        this.skipped.push(lines.join('\n'));
      }
    }
  }

  onRunComplete() {
    if (this.skipped.length === 0) return;
    process.stderr.write(
      `\n${'!'.repeat(100)}\n!!! ${this.skipped.length} suite(s) SKIPPED for a missing tool:\n` +
        `${this.skipped.join('\n')}\n${'!'.repeat(100)}\n\n`,
    );
  }
}

module.exports = SkippedSuitesReporter;
