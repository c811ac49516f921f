// Generates order_keys.txt, the shared test vectors of Tandem's order keys, from the
// npm `fractional-indexing` package (4.0.0) whose scheme DESIGN section 2 adopts. The C++
// (server/model/order_key.cpp) and TypeScript implementations must both pass them.
//
//   node protocol/testdata/gen_order_keys.mjs > protocol/testdata/order_keys.txt
//
// (run where `fractional-indexing` is installed, e.g. from web-client/)
// Line formats, fields separated by one space, "-" for an absent key:
//   between A B RESULT        generateKeyBetween(A, B) == RESULT
//   n A B COUNT K1,K2,...     generateNKeysBetween(A, B, COUNT)
//   error A B                 generateKeyBetween(A, B) throws
//   invalid KEY               not a valid order key
import { generateKeyBetween, generateNKeysBetween } from "fractional-indexing";

let seed = 20261124;
const rand = () => {  // mulberry32: deterministic vectors
  seed |= 0; seed = (seed + 0x6d2b79f5) | 0;
  let t = Math.imul(seed ^ (seed >>> 15), 1 | seed);
  t = (t + Math.imul(t ^ (t >>> 7), 61 | t)) ^ t;
  return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
};
const k = (x) => (x === null ? "-" : x);
const out = [];
const between = (a, b) => {
  const r = generateKeyBetween(a, b);
  out.push(`between ${k(a)} ${k(b)} ${r}`);
  return r;
};

// Edges: walking down and up through the integer heads.
let lo = null, hi = null;
for (let i = 0; i < 60; i++) lo = between(null, lo ?? "a0");
for (let i = 0; i < 60; i++) hi = between(hi ?? "a0", null);
between("Zz", "a0");
between("a0", "a1");
between("a0", "a0V");
between("a0V", "a1");
between("zzzzzzzzzzzzzzzzzzzzzzzzzzzy", null);
between(null, "A00000000000000000000000002");

// Random insertions into one list, as users make them.
const list = [];
for (let i = 0; i < 400; i++) {
  const at = Math.floor(rand() * (list.length + 1));
  const a = at > 0 ? list[at - 1] : null;
  const b = at < list.length ? list[at] : null;
  list.splice(at, 0, between(a, b));
}
// Many insertions into the same gap: keys grow.
let a = "a0", b = "a1";
for (let i = 0; i < 80; i++) {
  const m = between(a, b);
  if (rand() < 0.5) a = m; else b = m;
}

for (const [x, y, n] of [[null, null, 5], ["a0", null, 10], [null, "a0", 10], ["a0", "a1", 20], ["a0V", "a0X", 7], [null, null, 100]]) {
  out.push(`n ${k(x)} ${k(y)} ${n} ${generateNKeysBetween(x, y, n).join(",")}`);
}

between("a1", "a0");  // out of order: swapped (fractional-indexing 4)
for (const [x, y] of [["a0", "a0"], ["a00", null], [null, "a0V0"], ["b0", null]]) {
  try { generateKeyBetween(x, y); out.push(`# unexpectedly valid ${x} ${y}`); } catch { out.push(`error ${k(x)} ${k(y)}`); }
}
for (const key of ["a", "a00", "a10", "b1", "A", "A00000000000000000000000000", "Zz0", "!0", "a0!", "a0 "]) {
  out.push(`invalid ${key.replace(/ /g, "%20")}`);
}
out.push(`invalid ${"a0" + "V".repeat(127)}`);  // longer than the 128-character cap
console.log(out.join("\n"));
