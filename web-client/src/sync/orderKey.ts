// Order keys: fractional index strings that sort bytewise (protocol/SPEC.md ORDER-*).
// The scheme of the npm `fractional-indexing` package (4.0.0), the same as the
// server's server/model/order_key.cpp; both pass protocol/testdata/order_keys.txt.
//
//   key      := integer fraction
//   integer  := head digit{n}   head 'a'..'z': n = head - 'a' + 1; 'A'..'Z': n = 'Z' - head + 1
//   fraction := digit*          no trailing '0'
//   digit    := [0-9A-Za-z]     base 62, in byte order

export const MAX_KEY_LENGTH = 128; // server cap, as LexoRank does
const DIGITS = "0123456789ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz";
const ZERO = "0";
const LAST = "z";
const SMALLEST_INTEGER = "A" + ZERO.repeat(26);

function digitIndex(c: string): number {
  return DIGITS.indexOf(c);
}

function integerLength(head: string): number {
  if (head >= "a" && head <= "z") return head.charCodeAt(0) - 97 + 2;
  if (head >= "A" && head <= "Z") return 90 - head.charCodeAt(0) + 2;
  return 0;
}

export function isValidKey(key: string): boolean {
  if (key.length === 0 || key.length > MAX_KEY_LENGTH) return false;
  for (const c of key) if (digitIndex(c) < 0) return false;
  const n = integerLength(key[0]);
  if (n === 0 || n > key.length) return false;
  if (key === SMALLEST_INTEGER) return false;
  if (key.length > n && key.endsWith(ZERO)) return false;
  return true;
}

function midpoint(a: string, b: string | null): string {
  if (b !== null) {
    let n = 0;
    while (n < b.length && (a[n] ?? ZERO) === b[n]) n++;
    if (n > 0) return b.slice(0, n) + midpoint(a.slice(n), b.slice(n));
  }
  const da = a ? digitIndex(a[0]) : 0;
  const db = b !== null ? digitIndex(b[0]) : DIGITS.length;
  if (db - da > 1) return DIGITS[Math.floor((da + db + 1) / 2)];
  if (b !== null && b.length > 1) return b.slice(0, 1);
  return DIGITS[da] + midpoint(a.slice(1), null);
}

function incrementInteger(x: string): string | null {
  const head = x[0];
  const digs = x.slice(1).split("");
  let carry = true;
  for (let i = digs.length - 1; carry && i >= 0; i--) {
    const d = digitIndex(digs[i]) + 1;
    if (d === DIGITS.length) digs[i] = ZERO;
    else {
      digs[i] = DIGITS[d];
      carry = false;
    }
  }
  if (!carry) return head + digs.join("");
  if (head === "Z") return "a" + ZERO;
  if (head === "z") return null;
  const h = String.fromCharCode(head.charCodeAt(0) + 1);
  if (h > "a") digs.push(ZERO);
  else digs.pop();
  return h + digs.join("");
}

function decrementInteger(x: string): string | null {
  const head = x[0];
  const digs = x.slice(1).split("");
  let borrow = true;
  for (let i = digs.length - 1; borrow && i >= 0; i--) {
    const d = digitIndex(digs[i]) - 1;
    if (d === -1) digs[i] = LAST;
    else {
      digs[i] = DIGITS[d];
      borrow = false;
    }
  }
  if (!borrow) return head + digs.join("");
  if (head === "a") return "Z" + LAST;
  if (head === "A") return null;
  const h = String.fromCharCode(head.charCodeAt(0) - 1);
  if (h < "Z") digs.push(LAST);
  else digs.pop();
  return h + digs.join("");
}

/** A key strictly between a and b (null = open end); null when impossible or invalid input. */
export function keyBetween(a: string | null, b: string | null): string | null {
  if ((a !== null && !isValidKey(a)) || (b !== null && !isValidKey(b))) return null;
  if (a !== null && b !== null) {
    if (a === b) return null;
    if (a > b) [a, b] = [b, a];
  }
  if (a === null) {
    if (b === null) return "a" + ZERO;
    const ib = b.slice(0, integerLength(b[0]));
    const fb = b.slice(ib.length);
    if (ib === SMALLEST_INTEGER) return ib + midpoint("", fb);
    if (ib.length < b.length) return ib;
    return decrementInteger(ib);
  }
  const ia = a.slice(0, integerLength(a[0]));
  const fa = a.slice(ia.length);
  if (b === null) {
    const i = incrementInteger(ia);
    return i !== null ? i : ia + midpoint(fa, null);
  }
  const ib = b.slice(0, integerLength(b[0]));
  const fb = b.slice(ib.length);
  if (ia === ib) return ia + midpoint(fa, fb);
  const i = incrementInteger(ia);
  if (i === null) return null;
  if (i < b) return i;
  return ia + midpoint(fa, null);
}

/** n ascending keys strictly between a and b. */
export function nKeysBetween(a: string | null, b: string | null, n: number): string[] | null {
  if (n === 0) return [];
  if (n === 1) {
    const k = keyBetween(a, b);
    return k === null ? null : [k];
  }
  if (b === null) {
    const out: string[] = [];
    let c = keyBetween(a, b);
    for (let i = 0; i < n; i++) {
      if (c === null) return null;
      out.push(c);
      if (i + 1 < n) c = keyBetween(c, b);
    }
    return out;
  }
  if (a === null) {
    const out: string[] = [];
    let c = keyBetween(a, b);
    for (let i = 0; i < n; i++) {
      if (c === null) return null;
      out.push(c);
      if (i + 1 < n) c = keyBetween(a, c);
    }
    return out.reverse();
  }
  const mid = Math.floor(n / 2);
  const c = keyBetween(a, b);
  if (c === null) return null;
  const left = nKeysBetween(a, c, mid);
  const right = nKeysBetween(c, b, n - mid - 1);
  if (!left || !right) return null;
  return [...left, c, ...right];
}

/** Board order: by key bytewise, then by id (ORDER-3). */
export function compareOrder(ka: string, ida: string, kb: string, idb: string): number {
  if (ka !== kb) return ka < kb ? -1 : 1;
  return ida < idb ? -1 : ida > idb ? 1 : 0;
}
