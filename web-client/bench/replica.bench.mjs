// The sync layer's cost per frame (docs/PERFORMANCE.md): `npm run bench`, or
// `node bench/replica.bench.mjs --src DIR` to measure another source tree (a copy of
// src/ with other sync files); `--only TEXT` runs the scenarios whose name has TEXT.
// Each figure: median of 3 runs, with the range.
import { build } from "esbuild";
import { readFileSync } from "node:fs";
import { dirname, resolve } from "node:path";
import { fileURLToPath, pathToFileURL } from "node:url";
import { mkdtempSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";

const here = dirname(fileURLToPath(import.meta.url));
const args = process.argv.slice(2);
const srcArg = args.indexOf("--src");
const src = resolve(srcArg >= 0 ? args[srcArg + 1] : resolve(here, "../src"));
const quick = args.includes("--quick");
const onlyArg = args.indexOf("--only"); // runs only the scenarios whose name contains this
const only = onlyArg >= 0 ? args[onlyArg + 1] : "";
const skip = (name) => only !== "" && !name.includes(only);

const out = await build({
  stdin: { contents: readFileSync(resolve(here, "scenarios.ts"), "utf8"), resolveDir: src, loader: "ts", sourcefile: "scenarios.ts" },
  bundle: true, format: "esm", platform: "node", write: false, nodePaths: [resolve(here, "../node_modules")], logLevel: "error",
});
const dir = mkdtempSync(resolve(tmpdir(), "tandem-bench-"));
const file = resolve(dir, "scenarios.mjs");
writeFileSync(file, out.outputFiles[0].text);
const S = await import(pathToFileURL(file).href);

const RUNS = 3;
const fmt = (x) => (x >= 100 ? x.toFixed(0) : x >= 1 ? x.toFixed(2) : x.toFixed(3));
function report(name, unit, runs) {
  const s = [...runs].sort((a, b) => a - b);
  console.log(`${name.padEnd(58)} ${fmt(s[1]).padStart(9)} ${unit}  (range ${fmt(s[0])} – ${fmt(s[2])})`);
}
const time = (fn) => {
  const t = performance.now();
  fn();
  return performance.now() - t;
};

console.log(`node ${process.version}, src ${src}`);
for (const n of [1000, 10000]) {
  for (const pending of n >= 10000 ? [0, 1, 100] : [0, 1]) {
    const name = `one remote change, ${n} notes, ${pending} pending`;
    if (skip(name)) continue;
    const s = S.session(n, pending);
    const per = quick ? 20 : n >= 10000 ? 50 : 200;
    s.client.subscribe(() => {});
    S.remoteFrames(s, n, 20).forEach((f) => s.deliver(f)); // warm-up
    const runs = [];
    for (let r = 0; r < RUNS; r++) {
      const frames = S.remoteFrames(s, n, per);
      runs.push(time(() => frames.forEach((f) => s.deliver(f))) / per);
    }
    report(name, "ms/change", runs);
    s.client.stop();
  }
}
for (const n of [1000, 10000]) {
  const name = `burst: 300 remote changes (300 frames), ${n} notes, 1 pending`;
  if (skip(name)) continue;
  const runs = [];
  for (let r = 0; r < RUNS; r++) {
    const s = S.session(n, 1);
    const frames = S.remoteFrames(s, n, 300);
    runs.push(time(() => frames.forEach((f) => s.deliver(f))));
    s.client.stop();
  }
  report(name, "ms total", runs);
}
for (const n of [1000, 10000]) {
  const name = `burst: 300 own changes made + acked, ${n} notes`;
  if (skip(name)) continue;
  const runs = [];
  for (let r = 0; r < RUNS; r++) {
    const s = S.session(n, 0);
    runs.push(time(() => S.ownBurst(s, 300)));
    s.client.stop();
  }
  report(name, "ms total", runs);
}
for (const n of [1000, 10000]) {
  const name = `cursor (presence) update, ${n} notes, 1 pending`;
  if (skip(name)) continue;
  const s = S.session(n, 1);
  const per = quick ? 50 : 500;
  S.presenceFrames(50).forEach((f) => s.deliver(f));
  const runs = [];
  for (let r = 0; r < RUNS; r++) {
    const frames = S.presenceFrames(per);
    runs.push(time(() => frames.forEach((f) => s.deliver(f))) / per);
  }
  report(name, "ms/update", runs);
  s.client.stop();
}
process.exit(0);
