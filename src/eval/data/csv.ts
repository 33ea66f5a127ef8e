/**
 * RFC 4180 CSV: fields separated by commas, records by CRLF or LF (a lone CR too), fields
 * optionally quoted with `"`; inside quotes a doubled `""` is one quote and commas and line
 * breaks are data. A leading UTF-8 BOM is dropped (TruthfulQA.csv has one).
 *
 * Lenient where Python's csv module is (the benchmark files were written with it): a quote in the
 * middle of an unquoted field is data, and text after a closing quote is appended. An unclosed
 * quote is an error, because it swallows the rest of the file.
 */
import { DataError } from './errors.js';

export interface CsvRecord {
  fields: string[];
  /** 1-based line on which the record starts (records can span lines). */
  line: number;
}

export function parseCsv(text: string, file = '<csv>'): CsvRecord[] {
  const out: CsvRecord[] = [];
  const n = text.length;
  let i = text.charCodeAt(0) === 0xfeff ? 1 : 0;
  let line = 1;
  let fields: string[] = [];
  let recordLine = 1;
  // A record with one empty unquoted field is a blank line, skipped.
  let blank = true;
  // Whole slices instead of one character at a time: MMLU's 6 MB parse several times faster.
  const sep = /[,\r\n]/g;
  const endRecord = (): void => {
    if (!blank) out.push({ fields, line: recordLine });
    fields = [];
    blank = true;
  };
  while (i < n) {
    if (fields.length === 0) recordLine = line;
    let field = '';
    if (text[i] === '"') {
      blank = false;
      const quoteLine = line;
      let j = i + 1;
      for (;;) {
        const q = text.indexOf('"', j);
        if (q < 0) throw new DataError(`${file}:${quoteLine}: unclosed quoted field`);
        const part = text.slice(j, q);
        line += countBreaks(part);
        field += part;
        if (text[q + 1] !== '"') {
          j = q + 1;
          break;
        }
        field += '"';
        j = q + 2;
      }
      i = j;
    }
    // The unquoted field, or what follows a closing quote (kept, as Python's csv: `"ab"cd` -> `abcd`).
    sep.lastIndex = i;
    const m = sep.exec(text);
    const stop = m ? m.index : n;
    field += text.slice(i, stop);
    if (field !== '') blank = false;
    fields.push(field);
    i = stop;
    if (i >= n) break;
    if (text[i] === ',') {
      blank = false;
      i++;
      // A trailing comma at the very end still opens one (empty) last field.
      if (i >= n) fields.push('');
      continue;
    }
    i += text[i] === '\r' && text[i + 1] === '\n' ? 2 : 1;
    line++;
    endRecord();
  }
  if (fields.length > 0) endRecord();
  return out;
}

function countBreaks(s: string): number {
  let k = 0;
  for (let p = 0; p < s.length; p++) {
    const c = s.charCodeAt(p);
    if (c === 10 || (c === 13 && s.charCodeAt(p + 1) !== 10)) k++;
  }
  return k;
}

/**
 * Records as objects keyed by the header row. Each record must have as many fields as the
 * header; the error names the file and the record's line.
 */
export function csvObjects(text: string, file: string): { row: Record<string, string>; line: number }[] {
  const records = parseCsv(text, file);
  const header = records.shift();
  if (!header) throw new DataError(`${file}: empty CSV file (no header row)`);
  return records.map((r) => {
    if (r.fields.length !== header.fields.length) {
      throw new DataError(
        `${file}:${r.line}: expected ${header.fields.length} fields like the header, found ${r.fields.length}`,
      );
    }
    const row: Record<string, string> = {};
    header.fields.forEach((h, k) => (row[h] = r.fields[k]!));
    return { row, line: r.line };
  });
}
