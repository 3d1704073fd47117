// The console's first-load budget (issue 12): the JavaScript a browser fetches to show /console/ — the entry
// and every chunk it imports statically — at most 200 kB gzipped. Pages and the chart library are dynamic
// imports, fetched when first needed, and are listed apart. Reads dist/console/.vite/manifest.json; run after
// the console build (`npm run build` does). Exits 1 above the budget.
import { readFileSync } from "node:fs";
import { dirname, join } from "node:path";
import { gzipSync } from "node:zlib";

const BUDGET = 200 * 1000;
const dist = join(dirname(new URL(import.meta.url).pathname), "..", "dist", "console");
const manifest = JSON.parse(readFileSync(join(dist, ".vite", "manifest.json"), "utf8"));
const gz = (file) => gzipSync(readFileSync(join(dist, file)), { level: 9 }).length;

const entry = Object.keys(manifest).find((k) => manifest[k].isEntry);
const eager = new Set();
(function walk(key) {
  if (eager.has(key)) return;
  eager.add(key);
  for (const next of manifest[key].imports ?? []) walk(next);
})(entry);

const kb = (n) => `${(n / 1000).toFixed(1)} kB`;
let total = 0;
console.log("first load (entry and its static imports), gzipped:");
for (const key of eager) {
  const size = gz(manifest[key].file);
  total += size;
  console.log(`  ${manifest[key].file.padEnd(44)} ${kb(size)}`);
}
console.log(`  total ${kb(total)} of ${kb(BUDGET)}`);
console.log("loaded when first needed, gzipped:");
for (const [key, chunk] of Object.entries(manifest)) {
  if (!eager.has(key) && chunk.file.endsWith(".js")) console.log(`  ${chunk.file.padEnd(44)} ${kb(gz(chunk.file))}`);
}
// Informational: what landing on /console/ fetches in all, the overview's chunk and its chart included.
const landing = new Set(eager);
(function walk(key, dynamic) {
  if (!manifest[key] || landing.has(key)) return;
  landing.add(key);
  for (const next of manifest[key].imports ?? []) walk(next, false);
  if (dynamic) for (const next of manifest[key].dynamicImports ?? []) walk(next, false);
})("src/pages/Overview.tsx", true);
const landed = [...landing].reduce((sum, key) => sum + gz(manifest[key].file), 0);
console.log(`landing on the overview, its chunks and the chart included: ${kb(landed)} gzipped`);
if (total > BUDGET) {
  console.error(`The console's first load is ${kb(total)} gzipped: over the ${kb(BUDGET)} budget.`);
  process.exit(1);
}
