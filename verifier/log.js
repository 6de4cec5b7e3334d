'use strict';
// Structured logs: one JSON line per entry, with a timestamp. Callers pass facts, never tokens.

/** @typedef {Record<string, string | number | boolean | undefined>} LogEntry */
/** @typedef {(entry: LogEntry) => void} Log */

/**
 * @param {(line: string) => void} [write]  defaults to stdout
 * @param {() => number} [now]
 * @returns {Log}
 */
function createLog(write = (line) => process.stdout.write(`${line}\n`), now = Date.now) {
  return (entry) => {
    try {
      write(JSON.stringify({ time: new Date(now()).toISOString(), ...entry }));
    } catch {
      // A log line that cannot be written must never turn into a failed request.
    }
  };
}

/**
 * An error's message, for a log line or a reason.
 * @param {unknown} err
 */
function errorText(err) {
  return err instanceof Error ? err.message : String(err);
}

module.exports = { createLog, errorText };
