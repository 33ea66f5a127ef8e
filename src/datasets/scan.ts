import { DatasetError } from './errors.js';

/**
 * Splitting a file's bytes into lines or into the items of a top-level JSON array, with the line
 * each starts on. Works on the Buffer, so no string ever holds the whole file (V8 caps a string
 * at 512 MB; ShareGPT dumps are larger) and a caller can stop early.
 */
export interface Piece {
  text: string;
  line: number;
}

const LF = 10;
const CR = 13;

function bomLength(buf: Buffer): number {
  return buf[0] === 0xef && buf[1] === 0xbb && buf[2] === 0xbf ? 3 : 0;
}

/** The first byte that is not a BOM or whitespace, or -1 for an empty file. */
export function firstByte(buf: Buffer): number {
  for (let i = bomLength(buf); i < buf.length; i++) if (!isSpace(buf[i]!)) return buf[i]!;
  return -1;
}

const isSpace = (c: number) => c === 32 || c === 9 || c === LF || c === CR;

/**
 * Lines of `buf`. `complete`: `buf` is the whole file; otherwise it is a prefix and its last,
 * perhaps cut, line is held back.
 */
export function* textLines(buf: Buffer, complete = true): Generator<Piece> {
  let start = bomLength(buf);
  for (let line = 1; start < buf.length; line++) {
    let end = buf.indexOf(LF, start);
    if (end < 0 && !complete) return;
    if (end < 0) end = buf.length;
    yield { text: buf.toString('utf8', start, end > start && buf[end - 1] === CR ? end - 1 : end), line };
    start = end + 1;
  }
}

/** The closing quote of the JSON string opened at `at` (native search, escapes counted), or -1. */
function stringEnd(buf: Buffer, at: number): number {
  for (let j = at + 1; ; j++) {
    j = buf.indexOf(0x22, j);
    if (j < 0) return -1;
    let backslashes = 0;
    while (buf[j - 1 - backslashes] === 0x5c) backslashes++;
    if (backslashes % 2 === 0) return j;
  }
}

/**
 * Items of `[item, item, ...]`, each as its JSON text, found by tracking strings and nesting.
 * With `complete` false, `buf` is a prefix of the file and the scan stops at its end quietly.
 */
export function* jsonArrayItems(buf: Buffer, file: string, complete = true): Generator<Piece> {
  let i = bomLength(buf);
  let line = 1;
  for (; i < buf.length && isSpace(buf[i]!); i++) if (buf[i] === LF) line++;
  if (buf[i] !== 0x5b) throw new DatasetError(`${file}:${line}: expected a JSON array`);
  const open: number[] = [];
  let start = -1;
  let startLine = line;
  for (i++; i < buf.length; i++) {
    const c = buf[i]!;
    if (c === LF) line++;
    if (isSpace(c)) continue;
    const top = open.length === 0;
    if (start < 0 && !(top && (c === 0x2c || c === 0x5d))) [start, startLine] = [i, line];
    if (c === 0x22) {
      // A JSON string holds no raw line break, so skipping it loses no line count.
      i = stringEnd(buf, i);
      if (i < 0) break;
    } else if (c === 0x7b || c === 0x5b) open.push(c + 2); // the closing bracket: } is { + 2, ] is [ + 2
    else if ((c === 0x7d || c === 0x5d) && !top) {
      if (open.pop() !== c) throw new DatasetError(`${file}:${line}: a ${String.fromCharCode(c)} closes a bracket it does not match (an item of the array is not valid JSON)`);
    } else if (top && (c === 0x2c || c === 0x5d)) {
      if (start >= 0) yield { text: buf.toString('utf8', start, i), line: startLine };
      else if (c === 0x2c) throw new DatasetError(`${file}:${line}: an empty item in the array (two commas, or a comma first)`);
      if (c === 0x5d) return;
      start = -1;
    }
  }
  if (complete) throw new DatasetError(`${file}:${line}: the JSON array is never closed (is the file cut short?)`);
}
