// What the per-call benchmarks share: timing sequential calls of several clients interleaved
// within one run (so every client meets the same machine load), medians of runs, and the
// ratio chart (an SVG written from the run's own numbers).
import { writeFileSync } from "node:fs";

export const arg = (name, fallback) => {
  const i = process.argv.indexOf(`--${name}`);
  return i > 0 ? Number(process.argv[i + 1]) : fallback;
};

/** Median, min and max of numbers. */
export function stats(values) {
  const sorted = [...values].sort((a, b) => a - b);
  const mid = sorted.length >> 1;
  const median = sorted.length % 2 ? sorted[mid] : (sorted[mid - 1] + sorted[mid]) / 2;
  return { median, min: sorted[0], max: sorted[sorted.length - 1] };
}

/** Milliseconds per call of `fn` over `calls` sequential calls. */
async function timePerCall(fn, calls) {
  const start = performance.now();
  for (let i = 0; i < calls; i++) await fn();
  return (performance.now() - start) / calls;
}

/**
 * Times each client of `clients` (`{ name: () => Promise }`) on `calls` sequential calls,
 * `runs` times, the clients taking turns in every run (after `warmup` calls each, once).
 * Each run is split in `slices` interleaved slices so that a burst of load on the shared
 * machine falls on every client alike. Returns `{ name: [ms per call per run] }`.
 */
export async function compare(clients, { calls, runs = 3, warmup = 200, slices = 5 }) {
  const names = Object.keys(clients);
  for (const name of names) for (let i = 0; i < warmup; i++) await clients[name]();
  const perRun = Object.fromEntries(names.map((n) => [n, []]));
  const per = Math.max(1, Math.round(calls / slices));
  for (let run = 0; run < runs; run++) {
    const total = Object.fromEntries(names.map((n) => [n, 0]));
    for (let s = 0; s < slices; s++) {
      // Rotate the order each slice: no client always runs right after a GC-heavy one.
      for (let k = 0; k < names.length; k++) {
        const name = names[(k + s + run) % names.length];
        total[name] += await timePerCall(clients[name], per);
      }
    }
    for (const n of names) perRun[n].push(total[n] / slices);
  }
  return perRun;
}

/** `a / b` run by run (same run, same load), then median/min/max of those ratios. */
export function ratio(a, b) {
  return stats(a.map((x, i) => x / b[i]));
}

export const fmt = (s, digits = 2) =>
  `${s.median.toFixed(digits)} (min ${s.min.toFixed(digits)}, max ${s.max.toFixed(digits)})`;

/**
 * Writes a horizontal bar chart of `rows` (`{ label, value, target }`, a ratio each: 1 is
 * the peer's own cost) to `file`: one bar per row, a dashed line at each row's target.
 */
export function ratioChart(file, title, rows) {
  const width = 720, left = 330, barH = 18, gap = 10, top = 40;
  const maxValue = Math.max(2, ...rows.map((r) => Math.max(r.value, r.target ?? 0))) * 1.05;
  const x = (v) => left + ((width - left - 60) * v) / maxValue;
  const height = top + rows.length * (barH + gap) + 30;
  const esc = (s) => String(s).replace(/&/g, "&amp;").replace(/</g, "&lt;");
  const bars = rows.map((r, i) => {
    const y = top + i * (barH + gap);
    const met = r.target === undefined || r.value <= r.target;
    const mark = r.target === undefined ? "" :
      `<line x1="${x(r.target)}" x2="${x(r.target)}" y1="${y - 3}" y2="${y + barH + 3}" stroke="#333" stroke-dasharray="3,2"/>`;
    return `<text x="${left - 8}" y="${y + 13}" text-anchor="end">${esc(r.label)}</text>` +
      `<rect x="${left}" y="${y}" width="${x(r.value) - left}" height="${barH}" fill="${met ? "#2f9e44" : "#e03131"}"/>` +
      `<text x="${x(r.value) + 4}" y="${y + 13}">${r.value.toFixed(2)}×</text>${mark}`;
  });
  const one = `<line x1="${x(1)}" x2="${x(1)}" y1="${top - 6}" y2="${height - 24}" stroke="#999"/>` +
    `<text x="${x(1)}" y="${height - 10}" text-anchor="middle">1× (peer)</text>`;
  writeFileSync(file, `<svg xmlns="http://www.w3.org/2000/svg" width="${width}" height="${height}" font-family="sans-serif" font-size="12">` +
    `<rect width="100%" height="100%" fill="#fff"/><text x="10" y="22" font-size="14" font-weight="bold">${esc(title)}</text>` +
    `${one}${bars.join("")}</svg>\n`);
}
