/**
 * Where benchmark data comes from: a local folder laid out like the shared datasets folder
 * (`--data-dir`: `<dir>/gsm8k/test.jsonl`, `<dir>/mmlu/test/<subject>_test.csv`, ...), or the
 * Hugging Face hub, downloaded once into a cache (hub.ts). Each adapter knows both layouts; this
 * file holds the local readers and the row checks both share. Every error is one line naming the
 * file and line (or row), so a broken copy is easy to find.
 */
import { hubEnv } from '../../config/hub.js';
import { readFile } from 'node:fs/promises';
import { join } from 'node:path';
import { csvObjects, parseCsv, type CsvRecord } from './csv.js';
import { DataError } from './errors.js';

export interface LocalSource {
  kind: 'dir';
  root: string;
}

export interface HubSource {
  kind: 'hub';
  /** `https://huggingface.co` unless EVALPERF_HUB_URL or the option says otherwise. */
  baseUrl: string;
  /** Downloads land in `<cacheDir>/<repo>/<revision>/<path>` and are reused. */
  cacheDir: string;
  /** Called once per file actually downloaded (not for cache hits): progress for the CLI. */
  onDownload?: (url: string) => void;
}

export type DataSource = LocalSource | HubSource;

/** A row with the place it came from (`file:line`, or `file row n` for parquet). */
export interface Located<T> {
  value: T;
  loc: string;
}

export type Row = Record<string, unknown>;

export function localSource(root: string): LocalSource {
  return { kind: 'dir', root };
}


/** The hub source from options, then EVALPERF_HUB_URL / EVALPERF_CACHE, then the defaults. */
export function hubSource(
  opts: { baseUrl?: string; cacheDir?: string; onDownload?: (url: string) => void } = {},
  env: NodeJS.ProcessEnv = process.env,
): HubSource {
  const hub = hubEnv(env);
  const baseUrl = opts.baseUrl?.replace(/\/+$/, '') ?? hub.baseUrl;
  const cacheRoot = hub.cacheRoot;
  const src: HubSource = { kind: 'hub', baseUrl, cacheDir: opts.cacheDir ?? join(cacheRoot, 'datasets') };
  if (opts.onDownload) src.onDownload = opts.onDownload;
  return src;
}

async function readLocalText(src: LocalSource, rel: string): Promise<{ text: string; file: string }> {
  const file = join(src.root, rel);
  try {
    return { text: await readFile(file, 'utf8'), file };
  } catch (e) {
    throw fileError(file, e);
  }
}

function fileError(file: string, e: unknown): DataError {
  const code = (e as NodeJS.ErrnoException).code;
  if (code === 'ENOENT') {
    return new DataError(`${file}: not found (--data-dir must mirror the shared datasets layout)`);
  }
  return new DataError(`${file}: cannot read (${(e as Error).message})`);
}

/** JSON lines; blank lines are skipped, a malformed line is an error naming it. */
export function parseJsonl(text: string, file: string): Located<Row>[] {
  const out: Located<Row>[] = [];
  const lines = text.split(/\r?\n/);
  lines.forEach((l, k) => {
    if (l.trim() === '') return;
    const loc = `${file}:${k + 1}`;
    let v: unknown;
    try {
      v = JSON.parse(l);
    } catch (e) {
      throw new DataError(`${loc}: malformed JSON (${(e as Error).message})`);
    }
    if (typeof v !== 'object' || v === null || Array.isArray(v)) throw new DataError(`${loc}: expected a JSON object`);
    out.push({ value: v as Row, loc });
  });
  return out;
}

export async function readLocalJsonl(src: LocalSource, rel: string): Promise<Located<Row>[]> {
  const { text, file } = await readLocalText(src, rel);
  return parseJsonl(text, file);
}

export async function readLocalJson(src: LocalSource, rel: string): Promise<{ value: unknown; file: string }> {
  const { text, file } = await readLocalText(src, rel);
  try {
    return { value: JSON.parse(text), file };
  } catch (e) {
    throw new DataError(`${file}: malformed JSON (${(e as Error).message})`);
  }
}

/** Headerless CSV (MMLU): every record must have `width` fields. */
export async function readLocalCsvRecords(src: LocalSource, rel: string, width: number): Promise<Located<string[]>[]> {
  const { text, file } = await readLocalText(src, rel);
  return parseCsv(text, file).map((r: CsvRecord) => {
    const loc = `${file}:${r.line}`;
    if (r.fields.length !== width) throw new DataError(`${loc}: expected ${width} fields, found ${r.fields.length}`);
    return { value: r.fields, loc };
  });
}

/** CSV with a header row (CMMLU, C-Eval, TruthfulQA). */
export async function readLocalCsvObjects(src: LocalSource, rel: string): Promise<Located<Row>[]> {
  const { text, file } = await readLocalText(src, rel);
  return csvObjects(text, file).map((r) => ({ value: r.row, loc: `${file}:${r.line}` }));
}

// ---- field checks shared by the local and hub readers ----

export function str(row: Located<Row>, key: string): string {
  const v = row.value[key];
  if (typeof v !== 'string') throw new DataError(`${row.loc}: field "${key}" missing or not a string`);
  return v;
}

/** Integers arrive as numbers (JSON), bigints (parquet INT64) or digit strings (CSV, HellaSwag labels). */
export function int(row: Located<Row>, key: string): number {
  const v = row.value[key];
  const n = typeof v === 'bigint' ? Number(v) : typeof v === 'string' && /^-?\d+$/.test(v.trim()) ? Number(v) : v;
  if (typeof n !== 'number' || !Number.isInteger(n)) throw new DataError(`${row.loc}: field "${key}" missing or not an integer`);
  return n;
}

export function strArray(row: Located<Row>, key: string, value: unknown = row.value[key]): string[] {
  if (!Array.isArray(value) || !value.every((x) => typeof x === 'string')) {
    throw new DataError(`${row.loc}: field "${key}" missing or not a list of strings`);
  }
  return value as string[];
}

export function letterOf(index: number): string {
  return String.fromCharCode(65 + index);
}

/** A gold letter that must name one of the item's options. */
export function goldLetter(row: { loc: string }, letter: string, options: number): string {
  const idx = letter.charCodeAt(0) - 65;
  if (letter.length !== 1 || idx < 0 || idx >= options) {
    throw new DataError(`${row.loc}: answer ${JSON.stringify(letter)} is not one of ${options} options`);
  }
  return letter;
}
