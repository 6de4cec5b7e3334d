'use strict';
// A jest reporter: after the run, one line naming the prerequisites this machine lacks, the suites
// that skipped for them, and how to install them; nothing when none is missing.
const { PREREQUISITES, missing } = require('../../__tests__/prerequisites');

class SkippedReporter {
  onRunComplete() {
    const names = missing();
    if (names.length === 0) return;
    const parts = names.map((n) => `${n} (${PREREQUISITES[n].suites}: ${PREREQUISITES[n].install})`);
    process.stdout.write(`skipped, missing on this machine: ${parts.join('; ')}\n`);
  }
}

module.exports = SkippedReporter;
