/**
 * Validating JSON primitives over UTF-8 bytes, for the OpenAI chunk fast path (openai-fast.ts).
 * Each takes (bytes, position, end) and returns the position after what it read, or -1 where
 * the bytes are not what JSON.parse would accept. Nothing is read at or past `end`: the bytes
 * after a payload belong to the next line.
 *
 * Written as plain functions over local variables: the same loops over object fields ran ~4x
 * slower (V8 writes a field back to memory on every byte).
 */

/** What the last scanString() saw: the body [start, end), escapes present, UTF-16 length. */
export const lastString = { start: 0, end: 0, esc: false, units: 0 };

const QUOTE = 0x22;
const BACKSLASH = 0x5c;
/** Deeper values decline (the reference decides); no OpenAI chunk nests this far. */
export const MAX_DEPTH = 32;

export function ascii(s: string): Uint8Array {
  return Uint8Array.from(s, (c) => c.charCodeAt(0));
}

export const NULL = ascii('null');
const TRUE = ascii('true');
const FALSE = ascii('false');

export function ws(b: Buffer, p: number, e: number): number {
  while (p < e) {
    const c = b[p]!;
    if (c !== 0x20 && c !== 0x09 && c !== 0x0a && c !== 0x0d) break;
    p++;
  }
  return p;
}

/**
 * A string whose opening quote is at p. Validates escapes, rejects raw control characters and
 * ill-formed UTF-8 (where the reference would decode U+FFFD: declining keeps both equal), and
 * counts UTF-16 code units, as String#length does.
 */
export function scanString(b: Buffer, p: number, e: number): number {
  const start = ++p;
  let units = 0;
  let esc = false;
  for (;;) {
    if (p >= e) return -1;
    const c = b[p]!;
    if (c === QUOTE) break;
    if (c < 0x80) {
      if (c === BACKSLASH) {
        if (p + 1 >= e) return -1;
        const x = b[p + 1]!;
        if (x === 0x75) {
          if (p + 6 > e || !hex(b[p + 2]!) || !hex(b[p + 3]!) || !hex(b[p + 4]!) || !hex(b[p + 5]!)) return -1;
          p += 6;
        } else if (x === 0x22 || x === 0x5c || x === 0x2f || x === 0x62 || x === 0x66 || x === 0x6e || x === 0x72 || x === 0x74) {
          p += 2;
        } else return -1;
        esc = true;
      } else if (c < 0x20) return -1;
      else p++;
      units++;
    } else if (c >= 0xc2 && c <= 0xdf) {
      // Well-formed UTF-8 (Unicode table 3-7): no overlongs, no surrogates, <= U+10FFFF.
      if (p + 2 > e || !cont(b[p + 1]!)) return -1;
      p += 2;
      units++;
    } else if (c >= 0xe0 && c <= 0xef) {
      if (p + 3 > e) return -1;
      const c1 = b[p + 1]!;
      if (c1 < (c === 0xe0 ? 0xa0 : 0x80) || c1 > (c === 0xed ? 0x9f : 0xbf) || !cont(b[p + 2]!)) return -1;
      p += 3;
      units++;
    } else if (c >= 0xf0 && c <= 0xf4) {
      if (p + 4 > e) return -1;
      const c1 = b[p + 1]!;
      if (c1 < (c === 0xf0 ? 0x90 : 0x80) || c1 > (c === 0xf4 ? 0x8f : 0xbf) || !cont(b[p + 2]!) || !cont(b[p + 3]!)) return -1;
      p += 4;
      units += 2; // outside the BMP: a surrogate pair
    } else return -1;
  }
  const s = lastString;
  s.start = start;
  s.end = p;
  s.esc = esc;
  s.units = units;
  return p + 1;
}

/** The last scanned string equals k (an unescaped ASCII name). */
export function lastStringIs(b: Buffer, k: Uint8Array): boolean {
  const { start, end, esc } = lastString;
  const n = k.length;
  if (esc || end - start !== n) return false;
  for (let i = 0; i < n; i++) if (b[start + i] !== k[i]) return false;
  return true;
}

/** The last scanned string's value; JSON.parse of the literal only when it had escapes. */
export function lastStringValue(b: Buffer): string {
  const { start, end, esc } = lastString;
  return esc ? (JSON.parse(b.toString('utf8', start - 1, end + 1)) as string) : b.toString('utf8', start, end);
}

export function literal(b: Buffer, p: number, e: number, lit: Uint8Array): number {
  const n = lit.length;
  if (p + n > e) return -1;
  for (let i = 0; i < n; i++) if (b[p + i] !== lit[i]) return -1;
  return p + n;
}

/** -?(0|[1-9][0-9]*)(\.[0-9]+)?([eE][+-]?[0-9]+)? */
function number(b: Buffer, p: number, e: number): number {
  if (b[p] === 0x2d) p++;
  if (p >= e) return -1;
  if (b[p] === 0x30) p++;
  else if (digit(b[p]!)) while (p < e && digit(b[p]!)) p++;
  else return -1;
  if (p < e && b[p] === 0x2e) {
    if (++p >= e || !digit(b[p]!)) return -1;
    while (p < e && digit(b[p]!)) p++;
  }
  if (p < e && (b[p] === 0x65 || b[p] === 0x45)) {
    p++;
    if (p < e && (b[p] === 0x2b || b[p] === 0x2d)) p++;
    if (p >= e || !digit(b[p]!)) return -1;
    while (p < e && digit(b[p]!)) p++;
  }
  return p;
}

/** Validates and skips the JSON value at p (p < e and not whitespace). */
export function skipValue(b: Buffer, p: number, e: number, depth: number): number {
  if (p >= e || depth > MAX_DEPTH) return -1;
  const c = b[p]!;
  if (c === QUOTE) return scanString(b, p, e);
  if (c === 0x7b) {
    p = ws(b, p + 1, e);
    if (p < e && b[p] === 0x7d) return p + 1;
    for (;;) {
      // Names of skipped objects may have escapes: nothing reads them.
      if (p >= e || b[p] !== QUOTE || (p = scanString(b, p, e)) < 0) return -1;
      if ((p = colon(b, p, e)) < 0 || (p = skipValue(b, p, e, depth + 1)) < 0) return -1;
      p = ws(b, p, e);
      if (p >= e) return -1;
      if (b[p] === 0x7d) return p + 1;
      if (b[p] !== 0x2c) return -1;
      p = ws(b, p + 1, e);
    }
  }
  if (c === 0x5b) {
    p = ws(b, p + 1, e);
    if (p < e && b[p] === 0x5d) return p + 1;
    for (;;) {
      if ((p = skipValue(b, p, e, depth + 1)) < 0) return -1;
      p = ws(b, p, e);
      if (p >= e) return -1;
      if (b[p] === 0x5d) return p + 1;
      if (b[p] !== 0x2c) return -1;
      p = ws(b, p + 1, e);
    }
  }
  if (c === 0x6e) return literal(b, p, e, NULL);
  if (c === 0x74) return literal(b, p, e, TRUE);
  if (c === 0x66) return literal(b, p, e, FALSE);
  return number(b, p, e);
}

/** `:` between a name and its value, with whitespace; returns the value's position (< e). */
export function colon(b: Buffer, p: number, e: number): number {
  p = ws(b, p, e);
  if (p >= e || b[p] !== 0x3a) return -1;
  p = ws(b, p + 1, e);
  return p < e ? p : -1;
}

/**
 * After a member's value: returns the position of the next name's quote after a `,`, the
 * position of the closing `}`, or -1. The caller tells them apart by the byte there.
 */
export function nextMember(b: Buffer, p: number, e: number): number {
  p = ws(b, p, e);
  if (p >= e) return -1;
  if (b[p] === 0x7d) return p;
  if (b[p] !== 0x2c) return -1;
  p = ws(b, p + 1, e);
  return p < e && b[p] === QUOTE ? p : -1;
}

/** After `{`: the position of the first name's quote or of `}`, or -1. */
export function firstMember(b: Buffer, p: number, e: number): number {
  p = ws(b, p, e);
  return p < e && (b[p] === QUOTE || b[p] === 0x7d) ? p : -1;
}

const digit = (c: number) => c >= 0x30 && c <= 0x39;
const cont = (c: number) => c >= 0x80 && c <= 0xbf;
const hex = (c: number) => (c >= 0x30 && c <= 0x39) || (c >= 0x61 && c <= 0x66) || (c >= 0x41 && c <= 0x46);
