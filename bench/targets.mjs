// The benchmarks' targets (bench/README.md): each figure that has one is checked where it is
// measured, and the run ends with the list of missed targets and exit code 1, or 0 when every
// target was met. The benchmarks stay out of CI: the exit code is for whoever runs them.
const missed = [];
let checked = 0;

/**
 * Checks `value` against `{ atMost }` or `{ atLeast }`; `shown` is how the figure and its
 * target read in the report (e.g. `steady calls/s ÷ allowed 94.1% (target >= 95%)`).
 */
export function target(shown, value, { atMost = Infinity, atLeast = -Infinity }) {
  checked++;
  const met = value <= atMost && value >= atLeast;
  if (!met) missed.push(shown);
  return met;
}

/** Prints the verdict and returns the exit code: 1 when a target was missed. */
export function verdict() {
  if (checked === 0) throw new Error("no target was checked");
  if (missed.length === 0) {
    console.log(`all ${checked} targets met`);
    return 0;
  }
  console.error(`MISSED ${missed.length} of ${checked} targets:\n${missed.map((m) => `  - ${m}`).join("\n")}`);
  return 1;
}
