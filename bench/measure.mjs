// What the per-call benchmarks share: timing sequential calls of several clients interleaved
// within one run (so every client meets the same machine load), medians of runs, and the
// ratio chart (an SVG written from the run's own numbers).
import { writeFileSync } from "node:fs";
import v8 from "node:v8";
import { runInNewContext } from "node:vm";
import { target } from "./targets.mjs";

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

/**
 * Times each client of `clients` (`{ name: () => Promise }`) on `calls` sequential calls,
 * `runs` times (after `warmup` calls each, once). Within a run the clients take turns call by
 * call, in a fresh random order each round, so that a drift of the shared machine's speed,
 * and whatever one client leaves in the caches, falls on every client alike (slices of a few
 * hundred calls each left ratios of a run between 0.9 and 1.5 for the same code). Each
 * client's figure for a run is the mean time of all its calls, none dropped: a collection
 * triggered by one client's garbage may land on another's call, which the interleaving
 * spreads over all of them. Returns `{ name: [ms per call per run] }`.
 */
export async function compare(clients, { calls, runs = 3, warmup = 200 }) {
  const names = Object.keys(clients);
  for (const name of names) for (let i = 0; i < warmup; i++) await clients[name]();
  const perRun = Object.fromEntries(names.map((n) => [n, []]));
  const order = [...names];
  for (let run = 0; run < runs; run++) {
    const total = Object.fromEntries(names.map((n) => [n, 0]));
    for (let round = 0; round < calls; round++) {
      for (let i = order.length - 1; i > 0; i--) {
        const j = Math.floor(Math.random() * (i + 1));
        [order[i], order[j]] = [order[j], order[i]];
      }
      for (const name of order) {
        const start = performance.now();
        await clients[name]();
        total[name] += performance.now() - start;
      }
    }
    for (const n of names) perRun[n].push(total[n] / calls);
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

/** A full collection, so heap figures compare live objects rather than garbage. */
function collect() {
  v8.setFlagsFromString("--expose-gc");
  runInNewContext("gc")();
}

/**
 * Runs `call` `calls` times in sequence and prints the wasm linear memory (`memory`, the
 * module's WebAssembly.Memory) and the JS heap after a full collection at the start, middle
 * and end; checks that neither grows from the middle to the end (the first half may grow
 * while caches and the allocator settle): wasm memory not at all, the heap by at most 10%
 * or 1 MB, whichever is more.
 */
export async function memoryTrend(label, call, memory, calls = 10_000) {
  const points = [];
  const mark = (at) => {
    collect();
    points.push({ at, wasm: memory.buffer.byteLength, heap: process.memoryUsage().heapUsed });
  };
  mark(0);
  for (let i = 1; i <= calls; i++) {
    await call();
    if (i === calls / 2 || i === calls) mark(i);
  }
  const mb = (n) => `${(n / 1048576).toFixed(2)} MB`;
  console.log(`\nmemory, ${label}: ${points.map((p) => `after ${p.at} calls wasm ${mb(p.wasm)}, JS heap ${mb(p.heap)}`).join("; ")}`);
  const [, middle, end] = points;
  target(`${label}: wasm memory grew from ${mb(middle.wasm)} to ${mb(end.wasm)} in the second half (target: no growth)`, end.wasm - middle.wasm, { atMost: 0 });
  const slack = Math.max(middle.heap * 0.1, 1048576);
  target(`${label}: JS heap grew from ${mb(middle.heap)} to ${mb(end.heap)} in the second half (target <= +${mb(slack)})`, end.heap - middle.heap, { atMost: slack });
  return points;
}
